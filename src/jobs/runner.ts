import { redactText } from '../util/redact.ts';
import type { JobLog } from './log.ts';
import type { JobData, JobHandler, WorkOptions } from './queue.ts';

/**
 * The part both queues share: which job runs next. Each group of queues runs one job at a time in
 * this process, taking the queues in turn (round robin) so one busy corp cannot starve the others.
 * The back-end only says how a job is taken and how it is marked done.
 */

export interface Taken {
  id: string;
  data: JobData;
}

export interface JobSource {
  /** The next job waiting on the queue, now marked running; undefined when none (or it runs elsewhere). */
  take(queue: string): Promise<Taken | undefined>;
  finish(queue: string, job: Taken, failure?: unknown): Promise<void>;
}

interface Group {
  queues: string[];
  next: number;
  running?: Promise<void>;
  /** Woken while running: look at every queue again before stopping. */
  again: boolean;
}

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly groups = new Map<string, Group>();
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private readonly source: JobSource, private readonly log: JobLog) {}

  add(queue: string, options: WorkOptions, handler: JobHandler): void {
    if (this.handlers.has(queue)) throw new Error(`queue ${queue} already has a handler`);
    this.handlers.set(queue, handler);
    let group = this.groups.get(options.group);
    if (!group) this.groups.set(options.group, (group = { queues: [], next: 0, again: false }));
    group.queues.push(queue);
  }

  /** Runs what waits on every group's queues; resolves once none is left (or the runner stopped). */
  async wake(): Promise<void> {
    await Promise.all([...this.groups.values()].map((group) => this.pump(group)));
  }

  /** Takes no more jobs, aborts the running ones' signal, waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await Promise.all([...this.groups.values()].map((group) => group.running));
  }

  private pump(group: Group): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (group.running) {
      group.again = true;
      return group.running;
    }
    // `running` is cleared in the same step as the last look at `again`: a `.finally()` would clear it
    // a few microtasks later, and a wake in between (again = true, seen by nobody) was lost, leaving
    // its job waiting until the next wake (serve's first archive poll never ran, issue 10).
    let running!: Promise<void>;
    running = (async () => {
      try {
        do {
          group.again = false;
          while (!this.stopped && (await this.runNext(group)));
        } while (group.again && !this.stopped);
      } finally {
        if (group.running === running) group.running = undefined;
      }
    })();
    group.running = running;
    return running;
  }

  /** Runs the next waiting job of the group, if any: true when one ran. */
  private async runNext(group: Group): Promise<boolean> {
    const count = group.queues.length;
    for (let i = 0; i < count && !this.stopped; i++) {
      const index = (group.next + i) % count;
      const queue = group.queues[index]!;
      let job: Taken | undefined;
      try {
        job = await this.source.take(queue);
      } catch (err) {
        this.log.warn({ queue, err: messageOf(err) }, 'cannot take a job from the queue');
        return false;
      }
      if (!job) continue;
      group.next = (index + 1) % count;
      await this.run(queue, job);
      return true;
    }
    return false;
  }

  private async run(queue: string, job: Taken): Promise<void> {
    const handler = this.handlers.get(queue)!;
    this.log.debug({ queue, jobId: job.id }, 'job started');
    let failure: unknown;
    try {
      await handler(job.data, this.abort.signal);
    } catch (err) {
      // Handlers log what they did; what reaches here is a bug (or the store gone): said, never rethrown.
      failure = err;
      this.log.error({ queue, jobId: job.id, err: messageOf(err) }, 'job failed');
    }
    try {
      await this.source.finish(queue, job, failure);
    } catch (err) {
      this.log.warn({ queue, jobId: job.id, err: messageOf(err) }, 'cannot mark the job done');
    }
    this.log.debug({ queue, jobId: job.id, ok: failure === undefined }, 'job ended');
  }
}

export function messageOf(err: unknown): string {
  return redactText(err instanceof Error ? err.message : String(err));
}
