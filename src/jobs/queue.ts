/**
 * The background jobs' queue, one interface over two back-ends:
 * - in-process (the embedded SQLite default, one machine): timers and memory, no extra dependency;
 * - pg-boss (PostgreSQL): any number of `serve` and `worker` processes share the queues through the
 *   store's database.
 *
 * A queue holds one kind of work for one corp (`sync-<corp>`, `archive-<corp>`), and behaves the
 * same on both: at most one job waiting and one running, across every process (pg-boss's 'stately'
 * policy), so a job never runs twice at once and a burst of sends collapses into one run.
 */

/** What a job carries: JSON scalars (pg-boss stores it as jsonb). */
export type JobData = Record<string, string | number | boolean | null>;

/** Runs one job; the signal is aborted when the queue stops (the job should end soon, cleanly). */
export type JobHandler = (data: JobData, signal: AbortSignal) => Promise<void>;

export interface WorkOptions {
  /**
   * Jobs of one group run one at a time in each process (every corp's archive pull starts SDK
   * processes on every core; every corp's sync shares the machine's network): several groups run
   * side by side, so both cores stay busy without one kind of work starving the other.
   */
  group: string;
  /**
   * PostgreSQL: after this long a job still active (its process killed) is given up, so the queue
   * moves on. A job that outlives it is harmless: the work itself runs under the corp's lease.
   */
  expireSeconds: number;
}

export interface SendOptions {
  /** At most one job of this queue per time slot of this many seconds, across processes (a poll). */
  throttleSeconds?: number;
}

export interface JobQueue {
  readonly kind: 'in-process' | 'pg-boss';
  /** Declares a queue and the handler of its jobs (creating it on PostgreSQL). */
  work(queue: string, options: WorkOptions, handler: JobHandler): Promise<void>;
  /** Queues a job; false when one is already waiting (or the throttle slot is taken). */
  send(queue: string, data: JobData, options?: SendOptions): Promise<boolean>;
  /**
   * A job every `everyHours` hours (a divisor of 24), on the hours divisible by it in China time
   * (Asia/Shanghai, as the product shows times); 0 removes the schedule. On PostgreSQL a pg-boss
   * cron schedule: one job per slot whatever the number of processes.
   */
  schedule(queue: string, everyHours: number, data: JobData): Promise<void>;
  /** Runs every job waiting now (and those they queue), then returns: `worker --once`. */
  drain(): Promise<void>;
  /** Takes no more jobs, aborts the running ones' signal and waits for them to end. */
  stop(): Promise<void>;
}

export const CHINA_TIME_ZONE = 'Asia/Shanghai';
const CHINA_OFFSET_MS = 8 * 3_600_000; // no daylight saving time

/** The next start of a slot of `everyHours` hours in China time, strictly after `now`. */
export function nextSlot(now: number, everyHours: number): number {
  const slot = everyHours * 3_600_000;
  return (Math.floor((now + CHINA_OFFSET_MS) / slot) + 1) * slot - CHINA_OFFSET_MS;
}

/** The cron expression of the same slots (minute 0 of every `everyHours`-th hour). */
export function cronOf(everyHours: number): string {
  return everyHours >= 24 ? '0 0 * * *' : `0 */${everyHours} * * *`;
}
