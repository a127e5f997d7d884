import { ARCHIVE_BUSY, type ArchiveSession } from '../../archive/ingest/session.ts';
import { pullArchive, type PullSummary } from '../../archive/ingest/puller.ts';
import { sleepUnlessAborted } from '../../util/stop-signal.ts';
import { isUserError, type UserError } from '../../util/errors.ts';
import type { Runtime } from '../runtime.ts';
import type { ArchiveWatchReport, CorpError, WatchEntry } from '../types/archive.ts';
import { runMediaQueue } from './media.ts';
import { allCorps } from './per-corp.ts';
import type { PullReporter } from './pull.ts';
import { langOf, openCorpSession, type ArchiveRunInput } from './session.ts';

/**
 * `archive watch` (and the background worker): for every corp at once, pull until caught up,
 * download the media of what arrived, wait `intervalSeconds`, and again, until the signal stops it
 * (after the page being written). A failed cycle (network, WeCom) is reported and tried again next
 * interval: WeCom keeps 5 days, so a few failed cycles lose nothing. A corp whose archive lease
 * another process holds stands by and takes over when that process stops, so several machines can
 * watch one PostgreSQL store and one of them pulls each corp.
 */

export interface WatchInput extends ArchiveRunInput {
  intervalSeconds: number;
  /** Download media after each pull (default true). */
  media?: boolean;
  /** Required: a watch runs until it is stopped. */
  signal: AbortSignal;
}

export interface WatchReporter extends PullReporter {
  /** Another process holds the corp's lease: this one waits (said once per corp). */
  onStandBy?(corpId: string): void;
  onCycle?(corpId: string, cycle: { summary: PullSummary; mediaDownloaded: number }): void;
  /** A cycle failed for a reason WeCom or the SDK gave; the next interval tries again. */
  onCycleFailed?(corpId: string, error: UserError): void;
  /** The corp's watch ended on an error (its config, a bug); the other corps' watches go on. */
  onCorpFailed?(corpId: string, error: CorpError): void;
}

export async function watchArchives(rt: Runtime, input: WatchInput, reporter: WatchReporter = {}): Promise<ArchiveWatchReport> {
  const corpIds = rt.corps(input.corpId).map((config) => config.corpId!);
  return allCorps<WatchEntry>(corpIds, langOf(rt, input), (corpId) => watchCorp(rt, corpId, input, reporter), reporter.onCorpFailed);
}

async function watchCorp(rt: Runtime, corpId: string, input: WatchInput, reporter: WatchReporter): Promise<WatchEntry> {
  const entry: WatchEntry = { cycles: 0, stored: 0, mediaDownloaded: 0, failedCycles: 0 };
  const session = await standBy(rt, corpId, input, reporter);
  if (!session) return entry;
  const config = rt.corp(corpId);
  const { signal } = input;
  try {
    while (!signal.aborted) {
      try {
        const summary = await pullArchive(session, {
          signal, onPage: (page) => reporter.onPage?.(corpId, page), onRetry: (retry) => reporter.onRetry?.(corpId, retry),
        });
        entry.cycles++;
        entry.stored += summary.stored;
        // Media expire with their messages: each cycle fetches what it pulled, on the same host.
        let mediaDownloaded = 0;
        if (input.media !== false && !signal.aborted) {
          mediaDownloaded = (await runMediaQueue(config, session.store, { source: session.pool, signal })).downloaded;
          entry.mediaDownloaded += mediaDownloaded;
        }
        reporter.onCycle?.(corpId, { summary, mediaDownloaded });
      } catch (err) {
        // Bugs stop the watch; what WeCom or the SDK did wrong waits for the next cycle.
        if (!isUserError(err)) throw err;
        entry.failedCycles++;
        reporter.onCycleFailed?.(corpId, err);
      }
      await sleepUnlessAborted(input.intervalSeconds * 1000, signal);
    }
  } finally {
    await session.close();
  }
  return entry;
}

/** The corp's session once its lease is free; undefined when stopped first. */
async function standBy(rt: Runtime, corpId: string, input: WatchInput, reporter: WatchReporter): Promise<ArchiveSession | undefined> {
  for (let told = false; !input.signal.aborted; told = true) {
    try {
      return await openCorpSession(rt, corpId, input.session, reporter);
    } catch (err) {
      if (!isUserError(err) || err.code !== ARCHIVE_BUSY) throw err;
      if (!told) reporter.onStandBy?.(corpId);
    }
    await sleepUnlessAborted(input.intervalSeconds * 1000, input.signal);
  }
  return undefined;
}
