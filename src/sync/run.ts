import type { Kysely } from 'kysely';
import type { Text } from '../i18n/index.ts';
import { useBulkWriteSettings } from '../store/bulk-writes.ts';
import type { Database, Store } from '../store/database.ts';
import { acquireLease, holderVars, LeaseBusy, type Lease } from '../store/lease.ts';
import { refreshStatistics } from '../store/statistics.ts';
import { syncStateRepository, type RunError } from '../store/sync-state.repository.ts';
import type { RunStatus } from '../store/sync.table.ts';
import { isUserError, UserError } from '../util/errors.ts';
import { redactText } from '../util/redact.ts';
import type { WecomClient } from '../wecom/client.ts';
import { StreamState } from './checkpoint.ts';
import { Writer, type StreamContext } from './context.ts';
import { syncCustomers } from './customers.ts';
import { syncDirectory } from './directory.ts';
import { syncGroups } from './groups.ts';
import { silentProgress, SYNC_BUSY, SYNC_SCOPES, type SyncProgress, type SyncScope } from './progress.ts';
import { SYNC_INTERRUPTED, SyncInterrupted } from './interrupt.ts';
import { Tally } from './tally.ts';

/**
 * One sync run: the chosen streams run side by side (their endpoints have separate limits, so the
 * run takes as long as the slowest, not the sum), each resuming its unfinished pass if a previous
 * process was killed. The run is recorded in the store's history with its counts and errors.
 */

export interface SyncOptions {
  store: Store;
  corpId: string;
  client: WecomClient;
  scopes: readonly SyncScope[];
  /** Pass the tally the client's metered fetch counts into, so requests land in the same summary. */
  tally?: Tally;
  progress?: SyncProgress;
  /** Commit at least every this many records (default per stream): smaller loses less to a kill. */
  rowsPerCommit?: number;
  /** Aborted when the process stops: each stream stops at its next page, resumable (sync/interrupt.ts). */
  signal?: AbortSignal;
  now?: () => number;
}

export interface SyncResult {
  runId: string;
  status: Exclude<RunStatus, 'running'>;
  startedAt: number;
  finishedAt: number;
  scopes: SyncScope[];
  /** Streams that continued a pass a killed process had left. */
  resumed: SyncScope[];
  /** Streams that stopped on an error, with the error as thrown (for the CLI to explain). */
  failures: Array<{ scope: SyncScope; error: unknown }>;
  tally: Tally;
}

const STREAMS: Record<SyncScope, (ctx: StreamContext) => Promise<void>> = {
  directory: syncDirectory,
  customers: syncCustomers,
  groups: syncGroups,
};

export async function runSync(options: SyncOptions): Promise<SyncResult> {
  const { store, corpId, client } = options;
  const { db } = store;
  const now = options.now ?? Date.now;
  const tally = options.tally ?? new Tally();
  const progress = options.progress ?? silentProgress;
  const scopes = SYNC_SCOPES.filter((s) => options.scopes.includes(s));
  const failures: SyncResult['failures'] = [];
  // A full sync is ~500 000 upserts in large transactions: SQLite gets settings made for that.
  // Taken before the leases, so a failure here leaves no lease behind.
  const restoreSettings = await useBulkWriteSettings(db);
  const leases = new Map<SyncScope, Lease>();
  try {
    await takeLeases(store, corpId, scopes, leases, failures);
    const held = scopes.filter((s) => leases.has(s));
    await closeInterruptedRuns(db, corpId, held, now());
    const startedAt = now();
    const runId = await syncStateRepository.startRun(db, corpId, scopes.join('+'), startedAt);
    const writer = new Writer(db);
    const resumed: SyncScope[] = [];
    await Promise.all(held.map(async (scope) => {
      try {
        const state = await StreamState.open(db, corpId, scope, now());
        if (state.resumed) resumed.push(scope);
        await STREAMS[scope]({ db, corpId, runId, client, writer, tally, state, progress, now, rowsPerCommit: options.rowsPerCommit, signal: options.signal });
        await writer.transaction((trx) => state.finish(trx));
        progress.done(scope, 'done');
      } catch (error) {
        // Stopped on request: a request or a wait broken off by the stop is the interruption, said as
        // such; any other failure (a full disk…) keeps its own explanation.
        const stopped = options.signal?.aborted === true && brokenOffByStop(error);
        failures.push({ scope, error: stopped ? new SyncInterrupted() : error });
        progress.done(scope, stopped ? 'interrupted' : 'failed');
      }
    }));
    for (const { scope, error } of failures) tally.error(runError(error, scope));
    const status = failures.length === scopes.length ? 'failed' : tally.errors.length > 0 ? 'partial' : 'succeeded';
    const finishedAt = now();
    await syncStateRepository.finishRun(db, runId, { status, counts: tally.flat(), errors: tally.errors }, finishedAt);
    if (!options.signal?.aborted) await refreshStatistics(db); // PostgreSQL: tables the run filled get planner statistics (store/statistics.ts)
    return { runId, status, startedAt, finishedAt, scopes, resumed, failures, tally };
  } finally {
    try {
      await restoreSettings();
    } finally {
      for (const lease of leases.values()) await lease.release();
    }
  }
}

/**
 * One process at a time per corp and stream, across every process sharing the store: two would walk
 * the same pass and overwrite each other's checkpoints. A stream held elsewhere fails this run.
 */
async function takeLeases(
  store: Store, corpId: string, scopes: readonly SyncScope[], leases: Map<SyncScope, Lease>, failures: SyncResult['failures'],
): Promise<void> {
  for (const scope of scopes) {
    try {
      leases.set(scope, await acquireLease(store, `sync-${corpId}-${scope}`));
    } catch (err) {
      if (!(err instanceof LeaseBusy)) throw err;
      failures.push({ scope, error: new UserError(SYNC_BUSY, { ...BUSY, vars: { scope, ...holderVars(err.holder) } }) });
    }
  }
}

const BUSY = {
  what: { zh: '另一个进程正在同步 {scope}（主机 {host} 上的进程 {pid}）', en: 'Another process is syncing {scope} (process {pid} on host {host})' },
  why: { zh: '同一企业的同一部分同时只能有一个同步', en: 'Only one sync of a part of a corp runs at a time' },
  fix: { zh: '等它结束后再运行；若它已卡住，结束该进程即可，下次同步会从中断处继续', en: 'Run again when it has finished; if it hangs, end that process: the next sync resumes where it stopped' },
} satisfies Record<string, Text>;

/** The stop itself, or a request it aborted (undici's AbortError, possibly wrapped by the transport). */
function brokenOffByStop(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof SyncInterrupted || e.name === 'AbortError') return true;
  }
  return false;
}

function runError(error: unknown, scope: SyncScope): RunError {
  const code = isUserError(error) ? error.code : 'internal_error';
  const message = redactText(error instanceof Error ? error.message : String(error));
  return { code, message, context: { stream: scope } };
}

/**
 * Runs still marked `running` that include a stream this run holds the lease of were killed (a live
 * one would hold that lease): they are closed as failed, so the history does not show them running
 * forever. This run takes over their unfinished passes.
 */
async function closeInterruptedRuns(db: Kysely<Database>, corpId: string, scopes: readonly SyncScope[], now: number): Promise<void> {
  const running = await syncStateRepository.listRuns(db, corpId, { status: 'running', limit: 1000 });
  for (const run of running) {
    const streams = run.kind.split('+');
    if (!streams.every((s) => (SYNC_SCOPES as readonly string[]).includes(s))) continue;
    if (!streams.some((s) => scopes.includes(s as SyncScope))) continue;
    await syncStateRepository.finishRun(db, run.id, {
      status: 'failed', counts: run.counts,
      errors: [...run.errors, { code: SYNC_INTERRUPTED, message: 'The process ended before the run finished; a later run resumed its work.' }],
    }, now);
  }
}
