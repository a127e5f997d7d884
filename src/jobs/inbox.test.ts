import { describe, expect, it } from 'vitest';
import type { InboxRun } from '../services/types/events.ts';
import { InboxLoop } from './inbox.ts';
import { silentLog } from './log.ts';

const empty: InboxRun = { applied: 0, failed: 0, parked: 0, archiveNotified: [] };

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('inbox loop', () => {
  it('passes again at once when nudged, not only on its interval', async () => {
    let passes = 0;
    const loop = new InboxLoop({ pass: async () => (passes++, empty), onArchiveNotified: () => {}, log: silentLog, intervalMs: 3_600_000 });
    loop.start();
    await until(() => passes === 1);
    loop.nudge();
    await until(() => passes === 2);
    await loop.stop();
    expect(passes).toBe(2);
  });

  it('keeps passing while passes come back full, and hands over the corps to pull', async () => {
    const runs: InboxRun[] = [
      { applied: 5, failed: 0, parked: 0, archiveNotified: ['ww1', 'ww1'] },
      { applied: 2, failed: 1, parked: 0, archiveNotified: ['ww2'] },
    ];
    const notified: string[][] = [];
    const loop = new InboxLoop({ pass: async () => runs.shift() ?? empty, onArchiveNotified: (corps) => void notified.push(corps), log: silentLog, limit: 5 });
    const total = await loop.drain();
    expect(total).toEqual({ applied: 7, failed: 1, parked: 0, archiveNotified: ['ww1', 'ww1', 'ww2'] });
    expect(notified).toEqual([['ww1'], ['ww2']]);
  });

  it('a failing pass is said once and the loop goes on', async () => {
    const warnings: object[] = [];
    let passes = 0;
    const loop = new InboxLoop({
      pass: async () => {
        passes++;
        if (passes <= 3) throw new Error('store down');
        return empty;
      },
      onArchiveNotified: () => {}, log: { ...silentLog, warn: (fields) => void warnings.push(fields) }, intervalMs: 1,
    });
    loop.start();
    await until(() => passes >= 5);
    await loop.stop();
    expect(warnings).toEqual([expect.objectContaining({ job: 'inbox', err: 'store down' })]);
  });
});
