import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { syncStateRepository } from '../../store/index.ts';
import { flushSearchIndex, refreshStatistics } from '../../store/statistics.ts';
import { killPoint } from '../../util/kill-points.ts';
import { FinanceSdkError } from '../sdk/errors.ts';
import type { ChatDataEnvelope } from '../sdk/protocol.ts';
import { decryptEnvelopes } from './decrypt-page.ts';
import type { PreparedMessage } from './records.ts';
import { retryStored, type RetrySummary } from './retry.ts';
import type { ArchiveSession } from './session.ts';
import { emptyCounts, readSeqCursor, writePage, type PageWrite, type StatusCounts } from './write-page.ts';

/**
 * Pulls the archive from the stored seq cursor until caught up (GetChatData returns nothing more):
 * pages of ≤ 1000 envelopes, decrypted on every core by the SDK pool, parsed, and written with the
 * cursor in one transaction per page (write-page.ts). The next page is fetched, and its decryption
 * queued, while the current one is still decrypting or being written, so the hosts never wait for
 * the store; only committed pages move the cursor, so what was fetched ahead is simply fetched again
 * after a crash.
 */

export const MAX_PAGE = 1000;
/** The sync_cursors row with the outcome of the last pull (for `archive status` and `doctor`). */
export const LAST_PULL = 'archive/last-pull';

export interface PageProgress {
  page: number;
  firstSeq: bigint;
  lastSeq: bigint;
  envelopes: number;
  stored: number;
  duplicates: number;
  byStatus: StatusCounts;
  /** Totals of this pull so far. */
  totalStored: number;
}

export interface PullOptions {
  /** Envelopes per GetChatData call (≤ 1000). */
  pageSize?: number;
  /** Stop after this many pages even if not caught up. */
  maxPages?: number;
  /** Stops after the page being written has committed. */
  signal?: AbortSignal;
  onPage?(progress: PageProgress): void;
  onRetry?(summary: RetrySummary): void;
  now?: () => number;
}

export interface PullSummary {
  corpId: string;
  pages: number;
  /** Envelopes GetChatData returned. */
  pulled: number;
  stored: number;
  duplicates: number;
  byStatus: StatusCounts;
  /** missing_key messages decrypted now that their key is configured. */
  keyRetry: RetrySummary | null;
  fromSeq: bigint;
  cursor: bigint;
  headHash: string | null;
  caughtUp: boolean;
  durationMs: number;
}

export interface LastPull {
  finishedAt: number;
  caughtUp: boolean;
  /**
   * When the GetChatData call that came back empty was made: every message sent before it was
   * pulled, so nothing unpulled can expire before caughtUpAt + 5 days. Null when not caught up.
   */
  caughtUpAt: number | null;
  stored: number;
}

interface FetchedPage {
  /** When GetChatData was called. */
  requestedAt: number;
  envelopes: ChatDataEnvelope[];
  prepared: Promise<PreparedMessage[]>;
}

/** GetChatData calls per page before a transient failure ends the pull. */
export const PULL_TRIES = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GetChatData, again after a short pause when the SDK says the failure is transient (10001-10003). */
async function pullPage(session: ArchiveSession, after: bigint, limit: number): Promise<ChatDataEnvelope[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await session.pool.pull(after, limit);
    } catch (err) {
      if (!(err instanceof FinanceSdkError && err.retryable) || attempt >= PULL_TRIES) throw err;
      await sleep(500 * 2 ** (attempt - 1));
    }
  }
}

async function fetchPage(session: ArchiveSession, after: bigint, limit: number, now: () => number): Promise<FetchedPage> {
  const requestedAt = now();
  const envelopes = await pullPage(session, after, limit);
  killPoint('archive.page.fetched');
  const prepared = decryptEnvelopes(session.pool, envelopes);
  prepared.catch(() => {}); // observed when the page is written; a stop may leave it unread
  return { requestedAt, envelopes, prepared };
}

export async function readLastPull(db: Kysely<Database>, corpId: string): Promise<LastPull | undefined> {
  const text = await syncStateRepository.getCursor(db, corpId, LAST_PULL);
  return text ? (JSON.parse(text) as LastPull) : undefined;
}

export async function pullArchive(session: ArchiveSession, options: PullOptions = {}): Promise<PullSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const limit = Math.max(1, Math.min(MAX_PAGE, options.pageSize ?? MAX_PAGE));
  const db = session.store.db;
  const fromSeq = await readSeqCursor(db, session.corpId);
  const summary: PullSummary = {
    corpId: session.corpId, pages: 0, pulled: 0, stored: 0, duplicates: 0, byStatus: emptyCounts(), keyRetry: null,
    fromSeq, cursor: fromSeq, headHash: null, caughtUp: false, durationMs: 0,
  };

  // A key added since the last pull opens the messages stored without it.
  if (session.keys.versions().length > 0) {
    const retried = await retryStored(session, { statuses: ['missing_key'], signal: options.signal, now });
    if (retried.attempted > 0) {
      summary.keyRetry = retried;
      options.onRetry?.(retried);
    }
  }

  let caughtUpAt: number | null = null;
  let next: Promise<FetchedPage> | undefined = fetchPage(session, fromSeq, limit, now);
  try {
    while (next) {
      const page: FetchedPage = await next;
      next = undefined;
      if (page.envelopes.length === 0) {
        summary.caughtUp = true;
        caughtUpAt = page.requestedAt;
        break;
      }
      const lastSeq = page.envelopes.at(-1)!.seq;
      const more = !options.signal?.aborted && (options.maxPages === undefined || summary.pages + 1 < options.maxPages);
      if (more) next = fetchPage(session, lastSeq, limit, now);
      const prepared = await page.prepared;
      killPoint('archive.page.decrypted');
      const written = await writePage(db, session.corpId, prepared, lastSeq, now());
      killPoint('archive.page.committed');
      tally(summary, page.envelopes.length, written);
      // After the commit, outside the page's transaction: a rare ANALYZE on PostgreSQL (statistics.ts),
      // checked every 10 pages (a catalog query; the counts it reads lag by about a second anyway).
      if (summary.pages % 10 === 0) await refreshStatistics(db);
      options.onPage?.({
        page: summary.pages, firstSeq: page.envelopes[0]!.seq, lastSeq, envelopes: page.envelopes.length,
        stored: written.stored, duplicates: written.duplicates, byStatus: written.byStatus, totalStored: summary.stored,
      });
      if (!more) break;
    }
  } finally {
    // A page fetched ahead is dropped (its cursor never committed); its failure is not ours to report.
    await next?.then((page) => page.prepared).catch(() => {});
  }
  // PostgreSQL: searches after this pull do not scan the trigram index's pending list, nor plan
  // without statistics (statistics.ts).
  await flushSearchIndex(db);
  await refreshStatistics(db);
  summary.durationMs = now() - started;
  const last: LastPull = { finishedAt: now(), caughtUp: summary.caughtUp, caughtUpAt, stored: summary.stored };
  await syncStateRepository.setCursor(db, session.corpId, LAST_PULL, JSON.stringify(last), last.finishedAt);
  return summary;
}

function tally(summary: PullSummary, envelopes: number, written: PageWrite): void {
  summary.pages++;
  summary.pulled += envelopes;
  summary.stored += written.stored;
  summary.duplicates += written.duplicates;
  for (const [status, n] of Object.entries(written.byStatus)) summary.byStatus[status as keyof StatusCounts] += n;
  summary.cursor = written.cursor;
  summary.headHash = written.headHash;
}
