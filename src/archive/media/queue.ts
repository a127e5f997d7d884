import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { mediaRepository, type Database, type MediaRow, type MediaStatus } from '../../store/index.ts';
import { MediaBlobs } from './blobs.ts';
import { downloadItem, isAbort, type DownloadResult, type DownloadSettings, type MediaSource } from './download.ts';
import { acquireQueueLock } from './lock.ts';

/**
 * The media queue: every message_media row still `pending` (nested items included) is downloaded,
 * verified and stored (download.ts), a few at a time. Each row ends the run downloaded, expired,
 * missing, md5_mismatch or failed, or stays pending for the next run after a transient failure
 * (its attempts counted; at `maxAttempts` it is marked failed). A stop (signal) or a crash leaves
 * partial files that the next run continues.
 */

export interface MediaQueueOptions {
  db: Kysely<Database>;
  corpId: string;
  /** DATA_DIR: files go to DATA_DIR/media. */
  dataDir: string;
  source: MediaSource;
  /** Items downloading at once (default 2: one SDK call in flight while the other item writes and hashes). */
  concurrency?: number;
  /** Failed runs of an item before it is marked failed (default 5). */
  maxAttempts?: number;
  chunkRetries?: number;
  md5Retries?: number;
  backoffMs?: number;
  /** Items failing transiently in a row before the run gives up for now (the network is down). */
  maxConsecutiveFailures?: number;
  /** First put `failed` and `md5_mismatch` items back in the queue. */
  retryFailed?: boolean;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onItem?: (event: MediaItemEvent) => void;
}

export interface MediaItemRef {
  msgid: string;
  itemPath: string;
  mediaType: string | null;
}

export interface MediaItemEvent extends MediaItemRef {
  outcome: 'downloaded' | 'deduplicated' | 'md5_mismatch' | 'expired' | 'missing' | 'failed' | 'retry_later';
  size?: number;
  mime?: string;
  resumedFrom?: number;
  requests?: number;
  error?: string;
}

export interface MediaSummary {
  corpId: string;
  requeued: number;
  /** Stored and verified, deduplicated ones included. */
  downloaded: number;
  /** …of which the bytes were already stored (same sha256). */
  deduplicated: number;
  /** Items continued from a partial file a stopped or crashed run left. */
  resumed: number;
  /** Fresh downloads made because an md5 did not match. */
  md5Retries: number;
  md5Mismatches: number;
  expired: number;
  missing: number;
  failed: number;
  /** Failed this run, still pending: tried again next run. */
  retryLater: number;
  /** Bytes of the files received this run, and how many of them are new on disk. */
  bytes: number;
  storedBytes: number;
  /** Items still pending after the run. */
  pending: number;
  /** Expired, missing, mismatched and failed items (the first 100), for people to look at. */
  problems: MediaItemEvent[];
  stopped: 'aborted' | 'failing' | null;
  durationMs: number;
}

const PAGE = 200;
const MAX_PROBLEMS = 100;

function itemKey(corpId: string, row: MediaRow): string {
  return createHash('sha256').update(`${corpId}\0${row.msgid}\0${row.item_path}`).digest('hex');
}

/** Pending rows in pages, each row once per run (a row failing now is pending again, at the back). */
class PendingFeed {
  private buffer: MediaRow[] = [];
  private readonly seen = new Set<string>();
  private exhausted = false;
  private loading?: Promise<void>;

  constructor(private readonly options: MediaQueueOptions, private readonly maxAttempts: number) {}

  async next(): Promise<MediaRow | undefined> {
    for (;;) {
      const row = this.buffer.shift();
      if (row) return row;
      if (this.exhausted) return undefined;
      this.loading ??= this.load().finally(() => { this.loading = undefined; });
      await this.loading;
    }
  }

  private async load(): Promise<void> {
    const { db, corpId } = this.options;
    const rows = await mediaRepository.listPendingMedia(db, corpId, { limit: PAGE, maxAttempts: this.maxAttempts });
    const fresh = rows.filter((row) => !this.seen.has(`${row.msgid}\0${row.item_path}`));
    for (const row of fresh) this.seen.add(`${row.msgid}\0${row.item_path}`);
    if (fresh.length === 0) this.exhausted = true;
    this.buffer.push(...fresh);
  }
}

function emptySummary(corpId: string): MediaSummary {
  return {
    corpId, requeued: 0, downloaded: 0, deduplicated: 0, resumed: 0, md5Retries: 0, md5Mismatches: 0, expired: 0, missing: 0,
    failed: 0, retryLater: 0, bytes: 0, storedBytes: 0, pending: 0, problems: [], stopped: null, durationMs: 0,
  };
}

export async function downloadPendingMedia(options: MediaQueueOptions): Promise<MediaSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const summary = emptySummary(options.corpId);
  const blobs = new MediaBlobs(options.dataDir);
  const lock = await acquireQueueLock(blobs.partialDir, options.corpId);
  try {
    if (options.retryFailed) {
      summary.requeued = await mediaRepository.requeueMedia(options.db, options.corpId, ['failed', 'md5_mismatch'], now());
    }
    await new QueueRun(options, blobs, summary).run();
    summary.pending = (await mediaRepository.countMediaByStatus(options.db, options.corpId)).pending ?? 0;
  } finally {
    await lock.release();
  }
  summary.durationMs = now() - started;
  return summary;
}

class QueueRun {
  private readonly settings: DownloadSettings;
  private readonly maxAttempts: number;
  private readonly feed: PendingFeed;
  private consecutiveFailures = 0;

  constructor(private readonly options: MediaQueueOptions, blobs: MediaBlobs, private readonly summary: MediaSummary) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.feed = new PendingFeed(options, this.maxAttempts);
    this.settings = {
      source: options.source, blobs, signal: options.signal,
      chunkRetries: options.chunkRetries ?? 4, md5Retries: options.md5Retries ?? 2, backoffMs: options.backoffMs ?? 500,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
  }

  async run(): Promise<void> {
    const workers = Array.from({ length: Math.max(1, this.options.concurrency ?? 2) }, () => this.work());
    const results = await Promise.allSettled(workers);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private async work(): Promise<void> {
    while (this.summary.stopped === null) {
      if (this.options.signal?.aborted) {
        this.summary.stopped = 'aborted';
        return;
      }
      const row = await this.feed.next();
      if (!row) return;
      let result: DownloadResult;
      try {
        result = await downloadItem(this.settings, { key: itemKey(this.options.corpId, row), sdkfileid: row.sdkfileid, md5sum: row.md5sum });
      } catch (err) {
        if (isAbort(err)) {
          this.summary.stopped = 'aborted';
          return;
        }
        // Another worker must not start new items once this run is doomed.
        this.summary.stopped = 'failing';
        throw err;
      }
      await this.record(row, result);
    }
  }

  private async record(row: MediaRow, result: DownloadResult): Promise<void> {
    const { db, corpId } = this.options;
    const ref: MediaItemRef = { msgid: row.msgid, itemPath: row.item_path, mediaType: row.media_type };
    const now = (this.options.now ?? Date.now)();
    const s = this.summary;
    let event: MediaItemEvent;
    if (result.kind === 'stored') {
      await mediaRepository.markMediaDownloaded(db, corpId, row.msgid, row.item_path, {
        stored_path: result.storedPath, sha256: result.sha256, mime: result.mime, size: result.size, status: result.status, error: result.error,
      }, now);
      const mismatch = result.status === 'md5_mismatch';
      s.downloaded += mismatch ? 0 : 1;
      s.md5Mismatches += mismatch ? 1 : 0;
      s.deduplicated += result.deduplicated ? 1 : 0;
      s.resumed += result.resumedFrom > 0 ? 1 : 0;
      s.md5Retries += result.md5Retries;
      s.bytes += result.size;
      s.storedBytes += result.deduplicated ? 0 : result.size;
      event = {
        ...ref, outcome: mismatch ? 'md5_mismatch' : result.deduplicated ? 'deduplicated' : 'downloaded', size: result.size,
        mime: result.mime, resumedFrom: result.resumedFrom, requests: result.requests, error: result.error,
      };
      this.consecutiveFailures = 0;
    } else {
      event = await this.recordFailure(row, ref, result, now);
    }
    if (event.outcome !== 'downloaded' && event.outcome !== 'deduplicated' && s.problems.length < MAX_PROBLEMS) s.problems.push(event);
    this.options.onItem?.(event);
  }

  private async recordFailure(row: MediaRow, ref: MediaItemRef, result: Exclude<DownloadResult, { kind: 'stored' }>, now: number): Promise<MediaItemEvent> {
    const { db, corpId } = this.options;
    const s = this.summary;
    let final: Exclude<MediaStatus, 'pending' | 'downloaded' | 'md5_mismatch'> | undefined;
    if (result.kind === 'expired') final = 'expired';
    else if (result.kind === 'missing') final = 'missing';
    else if (result.kind === 'rejected' || row.attempts + 1 >= this.maxAttempts) final = 'failed';
    await mediaRepository.markMediaFailed(db, corpId, row.msgid, row.item_path, result.error, final, now);
    if (final === 'expired') s.expired++;
    else if (final === 'missing') s.missing++;
    else if (final === 'failed') s.failed++;
    else s.retryLater++;
    if (result.kind === 'transient') {
      this.consecutiveFailures++;
      if (this.consecutiveFailures >= (this.options.maxConsecutiveFailures ?? 5) && s.stopped === null) s.stopped = 'failing';
    } else {
      this.consecutiveFailures = 0;
    }
    return { ...ref, outcome: final ?? 'retry_later', error: result.error };
  }
}
