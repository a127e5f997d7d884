/**
 * How a sync reports progress; the CLI draws bars on a terminal and plain lines otherwise, the server
 * may publish it. One task per stream; a total may grow as listings reveal more (groups).
 */
export const SYNC_SCOPES = ['directory', 'customers', 'groups'] as const;
export type SyncScope = (typeof SYNC_SCOPES)[number];

/** The code of a stream refused because another process syncs it: a refusal of the set-up kind, exit 2 (as `archive pull`'s). */
export const SYNC_BUSY = 'sync_busy';

export type TaskOutcome = 'done' | 'failed' | 'interrupted';

export interface SyncProgress {
  /** `count` more steps are expected (totals grow as listings reveal more, e.g. groups). */
  expect(task: SyncScope, count: number): void;
  advance(task: SyncScope, by?: number): void;
  /** The task ended: done, failed, or stopped on request (sync/interrupt.ts). */
  done(task: SyncScope, outcome: TaskOutcome): void;
}

export const silentProgress: SyncProgress = { expect: () => {}, advance: () => {}, done: () => {} };
