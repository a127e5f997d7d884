import type { Config } from '../config/types.ts';
import { processInbox } from '../services/events.ts';
import { dueSyncs } from '../services/sync.ts';
import { onInboxWritten } from '../services/inbox-signal.ts';
import type { Runtime } from '../services/runtime.ts';
import { UserError } from '../util/errors.ts';
import { archiveJob, syncJob } from './handlers.ts';
import { InboxLoop } from './inbox.ts';
import { InProcessQueue } from './in-process.ts';
import type { JobLog } from './log.ts';
import { startPgBossQueue } from './pg-boss.ts';
import { lowerPriority } from './priority.ts';
import type { JobQueue } from './queue.ts';

/**
 * The background work of a deployment, per corp: the scheduled sync (which is also the
 * reconciliation), the archive poll (pull, then media), and the inbox of callbacks. On SQLite
 * (one machine) `serve` runs it all in-process; on PostgreSQL `worker` processes (and `serve
 * --with-jobs`) share it through pg-boss, each corp's archive pulled by one process at a time.
 */

export interface Background {
  /** Finishes the running jobs (an archive pull stops after its page), releases their leases. */
  stop(): Promise<void>;
  /** An inbox row was just written: apply it now rather than at the next poll. */
  nudgeInbox(): void;
}

export interface BackgroundOptions {
  /** Started by `worker`: refused on SQLite, where `serve` runs the jobs. */
  worker?: boolean;
  /** pg-boss's schema (default `pgboss`; tests give each run its own). */
  pgBossSchema?: string;
  /** Inbox poll (default 1 s) and pg-boss poll (default 2 s), for tests. */
  inboxPollMs?: number;
  queuePollMs?: number;
}

/** A job still active this long after its process died is given up (the work itself is leased). */
const EXPIRE_SECONDS = { sync: 3600, archive: 600 };

export const syncQueue = (corpId: string) => `sync-${corpId}`;
export const archiveQueue = (corpId: string) => `archive-${corpId}`;

export async function startBackground(rt: Runtime, log: JobLog, options: BackgroundOptions = {}): Promise<Background> {
  const jobs = await setUp(rt, log, options);
  const { queue, inbox, timers } = jobs;
  if (options.worker && rt.deployment.jobs.workerNice > 0) log.info({ nice: lowerPriority(rt.deployment.jobs.workerNice) }, 'CPU priority lowered (WORKER_NICE)');
  inbox.start();
  await queueDueSyncs(rt, queue, log);
  for (const corpId of jobs.archiveCorps) {
    const seconds = rt.deployment.jobs.archivePollSeconds;
    const poll = () => void queue.send(archiveQueue(corpId), { corpId }, { throttleSeconds: seconds }).catch((err) => log.warn({ corpId, err: String(err) }, 'cannot queue the archive poll'));
    poll();
    timers.push(setInterval(poll, seconds * 1000));
  }
  log.info({ queue: queue.kind, corps: rt.corpIds, ...rt.deployment.jobs, archiveCorps: jobs.archiveCorps }, 'background jobs started');
  // A callback this process just stored is applied at once, not at the next poll.
  const unsubscribe = onInboxWritten(rt, () => inbox.nudge());
  let stopping: Promise<void> | undefined;
  return {
    nudgeInbox: () => inbox.nudge(),
    stop: () => (stopping ??= (async () => {
      unsubscribe();
      for (const timer of timers) clearInterval(timer);
      await Promise.all([inbox.stop(), queue.stop()]);
      log.info({}, 'background jobs stopped');
    })()),
  };
}

export interface OnceReport {
  inbox: { applied: number; failed: number; parked: number };
  /** Corps whose sync was due (never synced, or longer ago than the interval) and ran. */
  synced: string[];
  /** Corps whose archive was pulled. */
  pulled: string[];
}

/**
 * `worker --once`: every job that is due runs once, then it returns: the inbox until empty, each
 * corp's archive cycle, and the syncs that are due. For cron users, and for tests. Through the same
 * queue, so a worker running elsewhere and this one never run one corp's job at once.
 */
export async function runJobsOnce(rt: Runtime, log: JobLog, options: BackgroundOptions = {}): Promise<OnceReport> {
  const { queue, inbox, archiveCorps } = await setUp(rt, log, { ...options, worker: false });
  try {
    const run = await inbox.drain();
    const pulled = [...new Set([...archiveCorps, ...run.archiveNotified])].filter((corpId) => archiveCorps.includes(corpId));
    for (const corpId of pulled) await queue.send(archiveQueue(corpId), { corpId });
    const synced = await queueDueSyncs(rt, queue, log);
    await queue.drain();
    return { inbox: { applied: run.applied, failed: run.failed, parked: run.parked }, synced, pulled };
  } finally {
    await Promise.all([inbox.stop(), queue.stop()]);
  }
}

interface SetUp {
  queue: JobQueue;
  inbox: InboxLoop;
  archiveCorps: string[];
  timers: NodeJS.Timeout[];
}

async function setUp(rt: Runtime, log: JobLog, options: BackgroundOptions): Promise<SetUp> {
  const { databaseUrl } = rt.deployment;
  if (options.worker && !databaseUrl) throw new WorkerNeedsPostgresError();
  await rt.store(); // opened and migrated before any job, so a broken store fails the start, clearly
  const queue = databaseUrl
    ? await startPgBossQueue({ connectionString: databaseUrl, schema: options.pgBossSchema, pollMs: options.queuePollMs, log })
    : new InProcessQueue(log);
  try {
    const { syncIntervalHours, reconcileIntervalHours, archivePollSeconds } = rt.deployment.jobs;
    const syncHours = syncEveryHours(rt);
    const sync = syncJob(rt, log);
    const archive = archiveJob(rt, log);
    const archiveCorps: string[] = [];
    for (const config of rt.corps()) {
      const corpId = config.corpId!;
      await queue.work(syncQueue(corpId), { group: 'sync', expireSeconds: EXPIRE_SECONDS.sync }, sync);
      await queue.schedule(syncQueue(corpId), syncHours, { corpId });
      if (archivePollSeconds > 0 && archiveConfigured(config)) {
        await queue.work(archiveQueue(corpId), { group: 'archive', expireSeconds: EXPIRE_SECONDS.archive }, archive);
        archiveCorps.push(corpId);
      } else if (archivePollSeconds > 0) {
        log.info({ corpId }, 'chat archive not configured (CHAT_ARCHIVE_SECRET, FINANCE_SDK_PATH): not pulled');
      }
    }
    log.debug({ syncIntervalHours, reconcileIntervalHours, syncHours }, 'sync schedule');
    const inbox = new InboxLoop({
      pass: (limit) => processInbox(rt, { limit }),
      onArchiveNotified: (corpIds) => {
        for (const corpId of corpIds.filter((id) => archiveCorps.includes(id))) {
          void queue.send(archiveQueue(corpId), { corpId }).catch((err) => log.warn({ corpId, err: String(err) }, 'cannot queue the archive pull'));
        }
      },
      log,
      intervalMs: options.inboxPollMs,
    });
    return { queue, inbox, archiveCorps, timers: [] };
  } catch (err) {
    await queue.stop();
    throw err;
  }
}

/**
 * Hours between two syncs: SYNC_INTERVAL_HOURS, and at least every RECONCILE_INTERVAL_HOURS (every
 * sync lists completely and sweeps, so it is the reconciliation: with callbacks keeping the store
 * fresh, SYNC_INTERVAL_HOURS=0 leaves the daily one). 0: no scheduled sync.
 */
export function syncEveryHours(rt: Runtime): number {
  const set = [rt.deployment.jobs.syncIntervalHours, rt.deployment.jobs.reconcileIntervalHours].filter((h) => h > 0);
  return set.length ? Math.min(...set) : 0;
}

/** Queues the sync of each corp due (services/sync.ts dueSyncs). */
async function queueDueSyncs(rt: Runtime, queue: JobQueue, log: JobLog): Promise<string[]> {
  const hours = syncEveryHours(rt);
  if (hours === 0) return [];
  const due = await dueSyncs(rt, hours);
  for (const corpId of due) await queue.send(syncQueue(corpId), { corpId });
  if (due.length) log.info({ corps: due }, 'sync due: queued');
  return due;
}

/** What the archive needs at the least; the pull says precisely what else is missing. */
function archiveConfigured(config: Config): boolean {
  return Boolean(config.secrets.archive && config.financeSdkPath);
}

/** `worker` on SQLite: the embedded store is one machine's, and `serve` runs the jobs there. */
export class WorkerNeedsPostgresError extends UserError {
  constructor() {
    super('worker_needs_postgres', {
      what: { zh: 'worker 只用于 PostgreSQL：当前使用内置的 SQLite 数据库', en: 'worker is for PostgreSQL only: this deployment uses the embedded SQLite store' },
      why: {
        zh: 'SQLite 只在一台机器上，后台任务（同步、会话存档、回调处理）由 serve 进程自己运行，另起 worker 只会与它争用',
        en: 'SQLite lives on one machine, where serve runs the background jobs (sync, archive, callbacks) itself; a separate worker would only compete with it',
      },
      fix: {
        zh: '只运行 wecom-archive serve；要多进程运行，设置 DATABASE_URL=postgres://… 后再启动 worker；定时任务可用 wecom-archive worker --once',
        en: 'Run wecom-archive serve alone; to run several processes set DATABASE_URL=postgres://… and start workers then; from cron use wecom-archive worker --once',
      },
    });
  }
}
