import { describe, expect, it } from 'vitest';
import { InProcessQueue } from './in-process.ts';
import { silentLog } from './log.ts';
import { cronOf, nextSlot } from './queue.ts';

/** A promise and its resolver: a job that runs until the test lets it end. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('in-process queue', () => {
  it('never runs a queue\'s job twice at once, and keeps at most one waiting', async () => {
    const queue = new InProcessQueue(silentLog);
    let running = 0;
    let most = 0;
    let runs = 0;
    const gates: Array<ReturnType<typeof gate>> = [];
    await queue.work('a', { group: 'g', expireSeconds: 60 }, async () => {
      running++;
      most = Math.max(most, running);
      const g = gate();
      gates.push(g);
      await g.promise;
      running--;
      runs++;
    });
    expect(await queue.send('a', { n: 1 })).toBe(true);
    await until(() => gates.length === 1);
    expect(await queue.send('a', { n: 2 })).toBe(true); // waits behind the running one
    expect(await queue.send('a', { n: 3 })).toBe(false); // one waits already
    gates[0]!.open();
    await until(() => gates.length === 2);
    gates[1]!.open();
    await queue.drain();
    expect({ runs, most }).toEqual({ runs: 2, most: 1 });
    await queue.stop();
  });

  it('runs a job sent while its group\'s previous look is ending (any microtask apart)', async () => {
    for (let ticks = 0; ticks < 12; ticks++) {
      const queue = new InProcessQueue(silentLog);
      const ran: string[] = [];
      const held = gate();
      await queue.work('a', { group: 'one', expireSeconds: 60 }, async () => { ran.push('a'); await held.promise; });
      await queue.work('b', { group: 'two', expireSeconds: 60 }, async () => { ran.push('b'); });
      await queue.send('a', {}); // wakes both groups: group two looks, finds nothing, and ends
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      await queue.send('b', {});
      await until(() => ran.includes('b'));
      held.open();
      await queue.stop();
    }
  });

  it('runs one job per group at a time, groups side by side, queues in turn', async () => {
    const queue = new InProcessQueue(silentLog);
    const order: string[] = [];
    const active = new Set<string>();
    let overlapInGroup = false;
    const handler = (name: string, group: string) => async () => {
      if ([...active].some((a) => a.startsWith(`${group}:`))) overlapInGroup = true;
      active.add(`${group}:${name}`);
      order.push(name);
      await new Promise((resolve) => setTimeout(resolve, 1));
      active.delete(`${group}:${name}`);
    };
    for (const name of ['a1', 'a2', 'a3']) await queue.work(name, { group: 'a', expireSeconds: 60 }, handler(name, 'a'));
    await queue.work('b1', { group: 'b', expireSeconds: 60 }, handler('b1', 'b'));
    for (const name of ['a1', 'a2', 'a3', 'b1']) await queue.send(name, {});
    await queue.drain();
    expect(overlapInGroup).toBe(false);
    expect([...order].sort()).toEqual(['a1', 'a2', 'a3', 'b1']);
    await queue.stop();
  });

  it('throttles sends to one per slot', async () => {
    let now = 1_000_000;
    const queue = new InProcessQueue(silentLog, () => now);
    let runs = 0;
    await queue.work('p', { group: 'g', expireSeconds: 60 }, async () => void runs++);
    expect(await queue.send('p', {}, { throttleSeconds: 30 })).toBe(true);
    await queue.drain();
    expect(await queue.send('p', {}, { throttleSeconds: 30 })).toBe(false);
    now += 30_000;
    expect(await queue.send('p', {}, { throttleSeconds: 30 })).toBe(true);
    await queue.drain();
    expect(runs).toBe(2);
    await queue.stop();
  });

  it('stop() aborts the running job\'s signal and waits for it to end; nothing runs after', async () => {
    const queue = new InProcessQueue(silentLog);
    const events: string[] = [];
    const started = gate();
    await queue.work('s', { group: 'g', expireSeconds: 60 }, async (_data, signal) => {
      events.push('start');
      started.open();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => setTimeout(resolve, 20)));
      events.push('end');
    });
    await queue.send('s', {});
    await started.promise;
    await queue.send('s', {});
    await queue.stop();
    events.push('stopped');
    expect(events).toEqual(['start', 'end', 'stopped']);
    expect(await queue.send('s', {})).toBe(false);
  });

  it('a failing job is said and the queue goes on', async () => {
    const errors: object[] = [];
    const queue = new InProcessQueue({ ...silentLog, error: (fields) => void errors.push(fields) });
    let runs = 0;
    await queue.work('f', { group: 'g', expireSeconds: 60 }, async () => {
      runs++;
      if (runs === 1) throw new Error('boom');
    });
    await queue.send('f', {});
    await queue.drain();
    await queue.send('f', {});
    await queue.drain();
    expect(runs).toBe(2);
    expect(errors).toEqual([expect.objectContaining({ queue: 'f', err: 'boom' })]);
    await queue.stop();
  });
});

describe('schedule slots', () => {
  it('fall on the hours divisible by the interval, China time', () => {
    const at = (iso: string) => Date.parse(iso);
    // 13:20 China time = 05:20Z; next 6-hour slot is 18:00 China = 10:00Z
    expect(new Date(nextSlot(at('2026-12-07T05:20:00Z'), 6)).toISOString()).toBe('2026-12-07T10:00:00.000Z');
    // daily: midnight China time = 16:00Z
    expect(new Date(nextSlot(at('2026-12-07T05:20:00Z'), 24)).toISOString()).toBe('2026-12-07T16:00:00.000Z');
    expect(new Date(nextSlot(at('2026-12-07T16:00:00Z'), 24)).toISOString()).toBe('2026-12-08T16:00:00.000Z');
    expect(cronOf(6)).toBe('0 */6 * * *');
    expect(cronOf(24)).toBe('0 0 * * *');
  });
});
