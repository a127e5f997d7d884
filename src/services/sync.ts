import { explainUnreachable } from '../doctor/sandbox.ts';
import type { Lang } from '../i18n/index.ts';
import { syncStateRepository } from '../store/sync-state.repository.ts';
import { interruptibleFetch, interruptibleSleep, SYNC_INTERRUPTED } from '../sync/interrupt.ts';
import { meteredFetch } from '../sync/metering.ts';
import { silentProgress, SYNC_SCOPES, type SyncProgress, type SyncScope } from '../sync/progress.ts';
import { runSync } from '../sync/run.ts';
import { syncSummary } from '../sync/summary.ts';
import { Tally } from '../sync/tally.ts';
import { asStorageError } from '../store/storage-errors.ts';
import { corpError } from './archive/per-corp.ts';
import type { Runtime } from './runtime.ts';
import type { CorpError } from './types/archive.ts';
import type { CorpSyncSummary, SyncReport } from './types/sync.ts';

/**
 * `sync`: copies the directory, customers and customer groups of each corp in scope into the store,
 * each corp under its own leases (one per corp and stream), one corp after the other (each run
 * already keeps WeCom's per-corp limits busy), resuming where a killed run stopped.
 */

/** The code of a sync stopped on request (or killed): what a face says differently from a failure. */
export { SYNC_INTERRUPTED };

export interface SyncInput {
  /** `--corp`: only this corp; else every configured corp. */
  corpId?: string;
  /** Default: every scope (what the background sync runs). */
  scopes?: readonly SyncScope[];
  /** Commit at least every n records. */
  rowsPerCommit?: number;
  /** The language of the explained failures (default: the deployment's). */
  lang?: Lang;
  /** Aborted when the process stops: the run stops at its next page, the corps after it are left for the next sync. */
  signal?: AbortSignal;
}

export interface SyncReporter {
  /** The progress of one corp's run; called as the corp's run starts. */
  progress?(corpId: string): SyncProgress & { stop?(): void };
}

export async function syncCorps(rt: Runtime, input: SyncInput, reporter: SyncReporter = {}): Promise<SyncReport> {
  const configs = rt.corps(input.corpId);
  const store = await rt.store();
  const lang = input.lang ?? rt.deployment.lang;
  const corps: CorpSyncSummary[] = [];
  const { signal } = input;
  for (const config of configs) {
    if (signal?.aborted) break;
    const corpId = config.corpId!;
    const tally = new Tally();
    // A client of its own, counting every request into this run's tally (closed with the runtime);
    // a stop cuts its requests and rate-limit waits short.
    const fetch = meteredFetch(tally);
    const client = await rt.client(corpId, signal ? { fetch: interruptibleFetch(fetch, signal), sleep: interruptibleSleep(signal) } : { fetch });
    const shown: SyncProgress & { stop?(): void } = reporter.progress?.(corpId) ?? silentProgress;
    // The streams that completed: what a sync stopped by its storage (a full disk) says it kept.
    const completed: string[] = [];
    const progress: SyncProgress = { ...shown, done: (scope, outcome) => { if (outcome === 'done') completed.push(scope); shown.done(scope, outcome); } };
    try {
      const result = await runSync({ store, corpId, client, scopes: input.scopes ?? SYNC_SCOPES, tally, progress, rowsPerCommit: input.rowsPerCommit, signal })
        .catch((err: unknown) => {
          const storage = asStorageError(err, store.location);
          throw storage ? storage.withKept({ text: SYNC_KEPT, data: { completed } }, { completed: completed.join(', ') || '-' }) : err;
        });
      // A stopped sandbox is named as such, with the command that starts it, as for every other command.
      // A full disk met by a write that names no file (the token cache, a lock) is DATA_DIR's.
      const failures = result.failures.map((f) => corpError(asStorageError(f.error, config.dataDir) ?? explainUnreachable(f.error, [config]), lang));
      corps.push({ corpId, ...syncSummary(result), failures: distinct(failures) });
    } finally {
      shown.stop?.();
    }
  }
  // A stop before the last corp leaves the others unsynced: not ok.
  const notStarted = configs.slice(corps.length).map((config) => config.corpId!);
  return { ok: notStarted.length === 0 && corps.every((c) => c.ok), corps, notStarted };
}

/**
 * The corps whose scheduled sync is due: never synced, last synced longer than `everyHours` ago, or
 * whose last run was interrupted (the process stopped or was killed): that one resumes at once.
 */
export async function dueSyncs(rt: Runtime, everyHours: number, now = Date.now()): Promise<string[]> {
  const store = await rt.store();
  const due: string[] = [];
  for (const corpId of rt.corpIds) {
    const [last] = await syncStateRepository.listRuns(store.db, corpId, { limit: 1 });
    if (!last || last.startedAt < now - everyHours * 3_600_000 || last.errors.some((e) => e.code === SYNC_INTERRUPTED)) due.push(corpId);
  }
  return due;
}

function distinct(errors: CorpError[]): CorpError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.code}\u0000${e.what}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const SYNC_KEPT = {
  zh: '已保存：已完成的部分 {completed}；其余部分已提交到最后一个检查点，下次同步从那里继续',
  en: 'Kept: the parts completed ({completed}); the others are committed up to their last checkpoint, and the next sync resumes there',
};
