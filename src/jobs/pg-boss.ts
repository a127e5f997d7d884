import { hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import type { JobLog } from './log.ts';
import { CHINA_TIME_ZONE, cronOf, type JobData, type JobHandler, type JobQueue, type SendOptions, type WorkOptions } from './queue.ts';
import { JobRunner, messageOf } from './runner.ts';

/**
 * The queue on PostgreSQL: pg-boss 10 in a schema of its own (`pgboss` by default) of the store's
 * database, so every `serve` and `worker` process shares it. Each queue is created with the
 * 'stately' policy (one job waiting and one active at most, across processes) and no retries (the
 * next poll or schedule runs the work again). Jobs are fetched by this process's runner only when
 * a group has room, so a busy process leaves the other corps' jobs to idle ones.
 */

export interface PgBossQueueOptions {
  connectionString: string;
  /** pg-boss's own schema (its migrations run there, never in the store's). */
  schema?: string;
  /** How often idle groups look for jobs another process queued (default 2 s). */
  pollMs?: number;
  log: JobLog;
}

export const PG_BOSS_SCHEMA = 'pgboss';

export async function startPgBossQueue(options: PgBossQueueOptions): Promise<JobQueue> {
  const { default: PgBossClass } = await import('pg-boss');
  const boss = new PgBossClass({
    connectionString: options.connectionString,
    schema: options.schema ?? PG_BOSS_SCHEMA,
    application_name: applicationName(),
    max: 4,
  });
  // pg-boss reports its background failures (maintenance, cron) as events: said, never fatal.
  boss.on('error', (err) => options.log.warn({ err: messageOf(err) }, 'pg-boss'));
  await boss.start();
  return new PgBossQueue(boss, options.log, options.pollMs ?? 2000);
}

class PgBossQueue implements JobQueue {
  readonly kind = 'pg-boss' as const;
  private readonly runner: JobRunner;
  private readonly poll: NodeJS.Timeout;

  constructor(private readonly boss: PgBoss, log: JobLog, pollMs: number) {
    this.runner = new JobRunner({
      take: async (queue) => {
        const [job] = await boss.fetch<JobData>(queue);
        return job ? { id: job.id, data: job.data } : undefined;
      },
      finish: async (queue, job, failure) => {
        if (failure === undefined) await boss.complete(queue, job.id);
        else await boss.fail(queue, job.id, { message: messageOf(failure) });
      },
    }, log);
    this.poll = setInterval(() => void this.runner.wake(), pollMs);
  }

  async work(queue: string, options: WorkOptions, handler: JobHandler): Promise<void> {
    await this.boss.createQueue(queue, { name: queue, policy: 'stately', retryLimit: 0, expireInSeconds: options.expireSeconds });
    this.runner.add(queue, options, handler);
  }

  async send(queue: string, data: JobData, options: SendOptions = {}): Promise<boolean> {
    const id = await this.boss.send(queue, data, options.throttleSeconds ? { singletonSeconds: options.throttleSeconds } : {});
    if (id) void this.runner.wake();
    return Boolean(id);
  }

  async schedule(queue: string, everyHours: number, data: JobData): Promise<void> {
    if (everyHours <= 0) await this.boss.unschedule(queue);
    else await this.boss.schedule(queue, cronOf(everyHours), data, { tz: CHINA_TIME_ZONE });
  }

  drain(): Promise<void> {
    return this.runner.wake();
  }

  async stop(): Promise<void> {
    clearInterval(this.poll);
    await this.runner.stop();
    await this.boss.stop({ graceful: true, wait: true, close: true });
  }
}

/** Who a pg-boss connection belongs to, in pg_stat_activity (63 bytes at most). */
function applicationName(): string {
  return `wecom-archive jobs ${hostname()}`.slice(0, 50) + ` pid ${process.pid}`;
}
