import { describe, expect, it } from 'vitest';
import { mapLimit, orderedMap } from './parallel.ts';

/** A call that resolves when the test says so, recording how many run at once. */
function gate() {
  let running = 0;
  let peak = 0;
  const waiting: Array<() => void> = [];
  const call = async (value: number) => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise<void>((resolve) => waiting.push(resolve));
    running -= 1;
    return value * 10;
  };
  /** Releases the calls waiting now, newest first (so results come back out of order). */
  const release = () => { for (const resolve of waiting.splice(0).reverse()) resolve(); };
  return { call, release, peak: () => peak };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapLimit', () => {
  it('after a failure starts nothing new, and throws it only once the calls already running have ended', async () => {
    let releaseSlow!: () => void;
    let slowEnded = false;
    const started: number[] = [];
    const outcome = mapLimit([1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('first failed');
      await new Promise<void>((resolve) => { releaseSlow = resolve; });
      slowEnded = true;
      return n;
    }).then(() => 'resolved', (err: Error) => err.message);
    let settled = false;
    void outcome.then(() => { settled = true; });
    await tick();
    expect(settled).toBe(false); // call 2 still runs
    releaseSlow();
    expect(await outcome).toBe('first failed');
    expect(slowEnded).toBe(true);
    expect(started).toEqual([1, 2]);
  });

  it('keeps at most `limit` calls running and returns results in input order', async () => {
    const g = gate();
    let finished = false;
    const done = mapLimit([1, 2, 3, 4, 5], 2, (n) => g.call(n)).finally(() => { finished = true; });
    while (!finished) {
      await tick();
      g.release();
    }
    expect(await done).toEqual([10, 20, 30, 40, 50]);
    expect(g.peak()).toBe(2);
  });

  it('starts nothing new after a failure and rejects with it', async () => {
    const started: number[] = [];
    const run = mapLimit([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
      return n;
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });
});

describe('orderedMap', () => {
  it('runs ahead up to `limit` calls and yields in input order', async () => {
    const g = gate();
    const out: number[] = [];
    const consume = (async () => {
      for await (const value of orderedMap([1, 2, 3, 4], 3, (n) => g.call(n))) out.push(value);
    })();
    while (out.length < 4) {
      await tick();
      g.release();
    }
    await consume;
    expect(out).toEqual([10, 20, 30, 40]);
    expect(g.peak()).toBe(3);
  });

  it('surfaces a failure when its turn comes', async () => {
    const out: number[] = [];
    const run = (async () => {
      for await (const value of orderedMap([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('second failed');
        return n;
      })) out.push(value);
    })();
    await expect(run).rejects.toThrow('second failed');
    expect(out).toEqual([1]);
  });
});
