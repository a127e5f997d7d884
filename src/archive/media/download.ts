import { redactKnown, redactText } from '../../util/redact.ts';
import { SDK_CODE } from '../../wecom/errcodes.ts';
import { FinanceSdkError, SdkHostError } from '../sdk/errors.ts';
import type { MediaChunk } from '../sdk/protocol.ts';
import type { MediaBlobs } from './blobs.ts';
import { fingerprint, PartialFile } from './partial.ts';
import { sniffMime } from './sniff.ts';

/**
 * One media item from the first missing chunk to a verified, content-addressed file: the chunk loop
 * of GetMediaData (≤ 512 KB per call, continued by indexbuf: archive-sdk.md §1.4), each chunk
 * streamed to a partial file that survives a crash, transient failures (10001–10003, a crashed or
 * hung SDK host) retried with backoff, and the md5 WeCom declared checked, with a fresh download
 * when it does not match (§7: it sometimes does not, and a retry usually fixes it).
 */

/** What the SDK pool offers for media (SdkPool implements it). */
export interface MediaSource {
  mediaChunk(sdkfileid: string, indexbuf: string): Promise<MediaChunk>;
}

export interface DownloadSettings {
  source: MediaSource;
  blobs: MediaBlobs;
  /** Further tries of one chunk after a transient failure. */
  chunkRetries: number;
  /** Fresh downloads after an md5 mismatch before the item is kept as md5_mismatch. */
  md5Retries: number;
  /** First backoff; it doubles per retry. */
  backoffMs: number;
  sleep(ms: number): Promise<void>;
  signal?: AbortSignal;
}

export interface MediaItem {
  /** Names the partial download (a hash of corp, msgid and item path). */
  key: string;
  /** A secret: used for the call, never written anywhere in clear. */
  sdkfileid: string;
  md5sum: string | null;
}

export interface StoredFile {
  kind: 'stored';
  status: 'downloaded' | 'md5_mismatch';
  storedPath: string;
  sha256: string;
  size: number;
  mime: string;
  deduplicated: boolean;
  /** Byte offset a crashed earlier run had reached (0: started from the beginning). */
  resumedFrom: number;
  md5Retries: number;
  /** GetMediaData calls this download made (retries included). */
  requests: number;
  error?: string;
}

export type DownloadResult =
  | StoredFile
  /** 10010: older than WeCom keeps media. */
  | { kind: 'expired'; error: string }
  /** 10005: WeCom does not know this sdkfileid. */
  | { kind: 'missing'; error: string }
  /** 10000 and the like: this item's request is wrong; retrying cannot help. */
  | { kind: 'rejected'; error: string }
  /** Still failing after the retries (network, SDK host): the partial file stays for next time. */
  | { kind: 'transient'; error: string };

const MAX_BACKOFF_MS = 30_000;

export function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) {
    const err = new Error('media download stopped');
    err.name = 'AbortError';
    throw err;
  }
}

/** Worth another try soon: the SDK says so (10001–10003 …), or its host process died or hung. */
function isTransient(err: unknown): boolean {
  if (err instanceof FinanceSdkError) return err.retryable;
  return err instanceof SdkHostError && ['crash', 'timeout', 'exit', 'protocol'].includes(err.failure);
}

/** GetMediaData for one chunk, again after a growing pause while the failure is transient. */
async function fetchChunk(settings: DownloadSettings, sdkfileid: string, indexbuf: string, counter: { requests: number }): Promise<MediaChunk> {
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(settings.signal);
    counter.requests++;
    try {
      return await settings.source.mediaChunk(sdkfileid, indexbuf);
    } catch (err) {
      if (!isTransient(err) || attempt >= settings.chunkRetries) throw err;
      await settings.sleep(Math.min(MAX_BACKOFF_MS, settings.backoffMs * 2 ** attempt));
    }
  }
}

/** Receives chunks until the file is complete, counting the calls made in `counter`. */
async function receive(settings: DownloadSettings, item: MediaItem, partial: PartialFile, counter: { requests: number }): Promise<void> {
  let restarted = false;
  while (!partial.finished) {
    let chunk: MediaChunk;
    try {
      chunk = await fetchChunk(settings, item.sdkfileid, partial.indexbuf, counter);
    } catch (err) {
      // A resume point from an earlier run that the SDK refuses: start this file over, once.
      if (err instanceof FinanceSdkError && err.rc === SDK_CODE.PARAMETER_ERROR && partial.offset > 0 && !restarted) {
        restarted = true;
        await partial.reset();
        continue;
      }
      throw err;
    }
    // A continuation that goes nowhere would loop forever: the SDK's output is unusable (10002).
    if (!chunk.finished && (!chunk.nextIndexbuf || chunk.nextIndexbuf === partial.indexbuf)) throw new FinanceSdkError('media', SDK_CODE.PARSE_FAILURE);
    await partial.append(chunk.data, chunk.nextIndexbuf, chunk.finished);
  }
}

export function describeError(err: unknown, sdkfileid: string): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return redactText(redactKnown(text, [sdkfileid]));
}

/** Moves a complete download into the blob store; `mismatch` names the md5s when they never agreed. */
async function store(
  settings: DownloadSettings, partial: PartialFile, done: { resumedFrom: number; md5Retries: number; requests: number; mismatch?: string },
): Promise<StoredFile> {
  const size = partial.offset;
  const sha256 = partial.sha256Hex();
  const mime = sniffMime(partial.head);
  await partial.close();
  const { storedPath, deduplicated } = await settings.blobs.commit(partial.partPath, sha256, size);
  await partial.forgetSidecar();
  return {
    kind: 'stored', status: done.mismatch ? 'md5_mismatch' : 'downloaded', storedPath, sha256, size, mime, deduplicated,
    resumedFrom: done.resumedFrom, md5Retries: done.md5Retries, requests: done.requests, ...(done.mismatch ? { error: done.mismatch } : {}),
  };
}

/** SDK codes that concern this item alone: its row records the outcome and the queue goes on. */
const ITEM_OUTCOME: Partial<Record<number, 'expired' | 'missing' | 'rejected'>> = {
  [SDK_CODE.DATA_EXPIRED]: 'expired',
  [SDK_CODE.FILEID_ERROR]: 'missing',
  [SDK_CODE.PARAMETER_ERROR]: 'rejected',
};

/** What a failed download means for its row; errors that concern every item are thrown instead. */
async function failure(err: unknown, partial: PartialFile, item: MediaItem): Promise<Exclude<DownloadResult, StoredFile>> {
  if (isAbort(err)) throw err;
  const error = describeError(err, item.sdkfileid);
  const kind = err instanceof FinanceSdkError ? ITEM_OUTCOME[err.rc] : undefined;
  if (kind) {
    await partial.discard();
    return { kind, error };
  }
  // The egress IP is not trusted (10009), the SDK cannot start …: nothing else will work either.
  if (err instanceof FinanceSdkError ? err.rc === SDK_CODE.ILLEGAL_IP : !isTransient(err)) throw err;
  // Network or SDK host trouble: the partial file stays, the next run continues it.
  return { kind: 'transient', error };
}

/** Downloads (or finishes downloading) one item, checking the md5 its message declares. */
export async function downloadItem(settings: DownloadSettings, item: MediaItem): Promise<DownloadResult> {
  const partial = await PartialFile.open(settings.blobs.partialDir, item.key, fingerprint(item.sdkfileid));
  const resumedFrom = partial.resumedFrom;
  const declared = item.md5sum?.trim().toLowerCase() || undefined;
  const counter = { requests: 0 };
  try {
    for (let md5Retries = 0; ; md5Retries++) {
      await receive(settings, item, partial, counter);
      const md5 = partial.md5Hex();
      if (!declared || md5 === declared) return await store(settings, partial, { resumedFrom, md5Retries, requests: counter.requests });
      if (md5Retries >= settings.md5Retries) {
        const mismatch = `md5 ${md5} does not match the declared ${declared} (after ${md5Retries + 1} downloads)`;
        return await store(settings, partial, { resumedFrom, md5Retries, requests: counter.requests, mismatch });
      }
      await partial.reset();
    }
  } catch (err) {
    return await failure(err, partial, item);
  } finally {
    await partial.close();
  }
}
