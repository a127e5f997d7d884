import type { JobLog } from './log.ts';
import { nextSlot, type JobData, type JobHandler, type JobQueue, type SendOptions, type WorkOptions } from './queue.ts';
import { JobRunner } from './runner.ts';

/**
 * The queue of one process (the embedded SQLite default: `serve` runs every job itself). Memory
 * stays bounded: at most one job waits per queue (a later send while one waits is dropped, as
 * pg-boss's stately policy does), and a queue's job never runs twice at once (one runs at a time
 * per group). Schedules are timers on the China-time hours.
 */
export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly waiting = new Map<string, JobData>();
  private readonly slots = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly runner: JobRunner;
  private stopped = false;

  constructor(log: JobLog, private readonly now: () => number = Date.now) {
    this.runner = new JobRunner({
      take: async (queue) => {
        const data = this.waiting.get(queue);
        if (!data) return undefined;
        this.waiting.delete(queue);
        return { id: queue, data };
      },
      finish: async () => {},
    }, log);
  }

  async work(queue: string, options: WorkOptions, handler: JobHandler): Promise<void> {
    this.runner.add(queue, options, handler);
  }

  async send(queue: string, data: JobData, options: SendOptions = {}): Promise<boolean> {
    if (this.stopped || this.waiting.has(queue)) return false;
    if (options.throttleSeconds) {
      const slot = Math.floor(this.now() / 1000 / options.throttleSeconds);
      if (this.slots.get(queue) === slot) return false;
      this.slots.set(queue, slot);
    }
    this.waiting.set(queue, data);
    void this.runner.wake();
    return true;
  }

  async schedule(queue: string, everyHours: number, data: JobData): Promise<void> {
    clearTimeout(this.timers.get(queue));
    this.timers.delete(queue);
    if (everyHours <= 0 || this.stopped) return;
    const arm = () => {
      const timer = setTimeout(() => {
        void this.send(queue, data);
        arm();
      }, nextSlot(this.now(), everyHours) - this.now());
      this.timers.set(queue, timer);
    };
    arm();
  }

  drain(): Promise<void> {
    return this.runner.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.waiting.clear();
    await this.runner.stop();
  }
}
