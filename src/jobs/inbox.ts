import type { InboxRun } from '../services/types/events.ts';
import { ChangeLog, type JobLog } from './log.ts';
import { messageOf } from './runner.ts';

/**
 * Applies the callbacks' inbox promptly: a pass every `intervalMs` (a cheap query when nothing
 * waits), at once when nudged (the in-process `serve` nudges right after writing an inbox row), and
 * again straight away while passes come back full. Events whose retry time has come are picked up
 * by the same passes (processInbox owns the backoff). Not a pg-boss queue: every process may apply
 * events side by side, the inbox itself makes each event's effect happen once.
 */

export interface InboxLoopOptions {
  /** One pass (processInbox with the limit). */
  pass(limit: number): Promise<InboxRun>;
  /** Corps whose archive should be pulled now (msgaudit_notify). */
  onArchiveNotified(corpIds: string[]): void;
  log: JobLog;
  intervalMs?: number;
  limit?: number;
}

export class InboxLoop {
  private stopped = false;
  private wake?: () => void;
  private nudged = false;
  private readonly said: ChangeLog;
  private running?: Promise<void>;

  constructor(private readonly options: InboxLoopOptions) {
    this.said = new ChangeLog(options.log);
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Run a pass now (an event was just written). */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Passes until one finds nothing left (worker --once). */
  async drain(): Promise<InboxRun> {
    const total: InboxRun = { applied: 0, failed: 0, parked: 0, archiveNotified: [] };
    for (;;) {
      const run = await this.pass();
      if (!run) return total;
      total.applied += run.applied;
      total.failed += run.failed;
      total.parked += run.parked;
      total.archiveNotified.push(...run.archiveNotified);
      if (!this.full(run)) return total;
    }
  }

  /** Ends after the pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.nudged = false;
      const run = await this.pass();
      if (run && this.full(run)) continue;
      if (this.stopped || this.nudged) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.options.intervalMs ?? 1000);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }

  private full(run: InboxRun): boolean {
    return run.applied + run.failed + run.parked >= (this.options.limit ?? 100);
  }

  /** One pass, logged; undefined when it failed (said once, tried again next interval). */
  private async pass(): Promise<InboxRun | undefined> {
    try {
      const run = await this.options.pass(this.options.limit ?? 100);
      if (run.archiveNotified.length) this.options.onArchiveNotified([...new Set(run.archiveNotified)]);
      const fields = { job: 'inbox', applied: run.applied, failed: run.failed, parked: run.parked, archiveNotified: run.archiveNotified };
      if (run.applied + run.failed + run.parked > 0) this.options.log[run.parked > 0 ? 'warn' : 'info'](fields, 'inbox events applied');
      this.said.say('inbox', 'ok', 'debug', fields, 'inbox pass');
      return run;
    } catch (err) {
      this.said.say('inbox', `error:${messageOf(err)}`, 'warn', { job: 'inbox', err: messageOf(err) }, 'inbox pass failed');
      return undefined;
    }
  }
}
