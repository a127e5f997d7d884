import { archiveSettings, startPool } from '../../archive/ingest/session.ts';
import { downloadPendingMedia, type MediaSource, type MediaSummary } from '../../archive/media/index.ts';
import { lazyMediaSource } from '../../archive/media/source.ts';
import { join } from 'node:path';
import type { Config } from '../../config/types.ts';
import { asStorageError } from '../../store/storage-errors.ts';
import { withWhatWasKept } from './kept.ts';
import type { Store } from '../../store/database.ts';
import type { Runtime } from '../runtime.ts';
import type { ArchiveMediaReport } from '../types/archive.ts';

/**
 * `archive media`: downloads the media of one corp's stored messages (every pending item, nested
 * ones included), resuming what a stopped or crashed run left. One corp: `--corp`, or the only one.
 * `archive pull` and `archive watch` run the same queue for each corp they pull.
 */

export interface MediaInput {
  corpId?: string;
  retryFailed?: boolean;
  concurrency?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function downloadMedia(rt: Runtime, input: MediaInput = {}): Promise<ArchiveMediaReport> {
  const config = rt.corp(input.corpId);
  archiveSettings(config); // a missing secret or SDK path is said before anything runs
  const store = await rt.store();
  const summary = await runMediaQueue(config, store, input).catch(async (err: unknown) => {
    const storage = asStorageError(err);
    throw storage ? await withWhatWasKept(storage, store, config.corpId!) : err;
  });
  return { ok: true, ...summary };
}

export interface MediaRunOptions extends Omit<MediaInput, 'corpId'> {
  /** An SDK pool already running (a pull passes its own); else one starts if anything is pending. */
  source?: MediaSource;
}

/** Runs the corp's queue over the store. */
export async function runMediaQueue(config: Config, store: Store, options: MediaRunOptions = {}): Promise<MediaSummary> {
  const corpId = config.corpId!;
  // One decrypt host is the least a pool runs; media uses only its io host.
  const own = options.source ? undefined : lazyMediaSource(() => startPool(config, undefined, { hosts: 1, timeoutMs: options.timeoutMs }));
  try {
    return await downloadPendingMedia({
      db: store.db, corpId, dataDir: config.dataDir, source: options.source ?? own!, retryFailed: options.retryFailed,
      concurrency: options.concurrency, signal: options.signal,
    });
  } catch (err) {
    // A write to a file descriptor fails without a path: a full disk here is the media folder's.
    throw asStorageError(err, join(config.dataDir, 'media')) ?? err;
  } finally {
    await own?.close();
  }
}
