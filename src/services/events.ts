// STUB until s4-callbacks merges: the CALLBACKS helper writes the real src/services/events.ts
// (the inbox and applying its events). This file only gives the background jobs the agreed
// signature to call; the merger drops it in favour of theirs.
import type { Runtime } from './runtime.ts';

/** What one pass over the inbox did. */
export interface InboxRun {
  applied: number;
  failed: number;
  parked: number;
  /** Corps whose archive should be pulled now (a msgaudit_notify event was applied). */
  archiveNotified: string[];
}

export async function processInbox(_rt: Runtime, _input: { corpId?: string; limit?: number } = {}): Promise<InboxRun> {
  return { applied: 0, failed: 0, parked: 0, archiveNotified: [] };
}
