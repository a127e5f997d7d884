import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../test/helpers/fake-clock.ts';
import { endpoints, type EndpointSpec } from './endpoints.ts';
import { RateLimiter, resolveLimits } from './rate-limit.ts';

const read: EndpointSpec = endpoints['user.get'];
const limited: EndpointSpec = endpoints['externalcontact.list'];

/** The most calls that fall in any window of `windowMs`, however aligned. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j] < sorted[i] + windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

describe('resolveLimits', () => {
  it('defaults to 90% of WeCom limits, ≤3 in flight for customer-data endpoints', () => {
    expect(resolveLimits(read)).toEqual({ perMinute: 9_000, perHour: 135_000, concurrency: undefined });
    expect(resolveLimits(limited)).toEqual({ perMinute: 9_000, perHour: 135_000, concurrency: 3 });
    expect(resolveLimits(endpoints['msgaudit.getRobotInfo']).perMinute).toBe(540); // its own 600/min
  });

  it('is configurable, but never above WeCom', () => {
    expect(resolveLimits(limited, { fraction: 0.5, concurrency: 2 })).toEqual({ perMinute: 5_000, perHour: 75_000, concurrency: 2 });
    expect(resolveLimits(read, { perMinute: 100, perHour: 1_000 })).toMatchObject({ perMinute: 100, perHour: 1_000 });
    expect(resolveLimits(limited, { concurrency: 50 }).concurrency).toBe(5);
  });
});

describe('RateLimiter', () => {
  it('never exceeds the per-minute budget in any 60 s window', async () => {
    const clock = fakeClock(Date.UTC(2025, 0, 1, 0, 0, 30, 500)); // start mid-second and mid-minute
    const limiter = new RateLimiter(clock, { perMinute: 5 });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 23 }, async () => {
      const release = await limiter.acquire('corp:user.get', read);
      times.push(clock.now());
      release();
    }));
    expect(times).toHaveLength(23);
    expect(busiestWindow(times, 60_000)).toBe(5);
    // And it is not needlessly slow: 23 calls at 5/min need 4 more windows, plus bucket slack.
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(4 * 61_000);
  });

  it('never exceeds the per-hour budget either', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, { perHour: 3 });
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      (await limiter.acquire('corp:user.get', read))();
      times.push(clock.now());
    }
    expect(busiestWindow(times, 3_600_000)).toBe(3);
  });

  it('keeps budgets per (corp, endpoint)', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, { perMinute: 1 });
    (await limiter.acquire('corpA:user.get', read))();
    (await limiter.acquire('corpB:user.get', read))();
    (await limiter.acquire('corpA:user.list', read))();
    expect(clock.sleeps).toEqual([]);
  });

  it('caps calls in flight for concurrency-limited endpoints', async () => {
    const limiter = new RateLimiter({ now: Date.now, sleep: async () => undefined }, { concurrency: 2 });
    let inFlight = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 10 }, async () => {
      const release = await limiter.acquire('corp:externalcontact.list', limited);
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      release();
    }));
    expect(most).toBe(2);
  });

  it('45033 lowers the cap to at least 1; successes raise it back to the configured cap', async () => {
    const limiter = new RateLimiter({ now: Date.now, sleep: async () => undefined }, { recoverAfter: 3 });
    const key = 'corp:externalcontact.list';
    (await limiter.acquire(key, limited))();
    expect(limiter.lowerConcurrency(key, limited)).toBe(2);
    expect(limiter.lowerConcurrency(key, limited)).toBe(1);
    expect(limiter.lowerConcurrency(key, limited)).toBe(1);
    for (let i = 0; i < 6; i++) (await limiter.acquire(key, limited))();
    expect(limiter.concurrencyOf(key)).toBe(3);
    for (let i = 0; i < 6; i++) (await limiter.acquire(key, limited))();
    expect(limiter.concurrencyOf(key)).toBe(3); // not beyond the configured cap
  });

  it('a failed call does not count towards recovery', async () => {
    const limiter = new RateLimiter({ now: Date.now, sleep: async () => undefined }, { recoverAfter: 1 });
    const key = 'corp:externalcontact.list';
    limiter.lowerConcurrency(key, limited);
    (await limiter.acquire(key, limited))(false);
    expect(limiter.concurrencyOf(key)).toBe(2);
  });

  it('after 45009 every caller of the endpoint waits until the window has reset', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    const start = clock.now();
    limiter.pause('corp:user.get', read, start + 60_000);
    const [a, b] = await Promise.all([0, 1].map(async () => {
      (await limiter.acquire('corp:user.get', read))();
      return clock.now();
    }));
    expect(Math.min(a, b) - start).toBeGreaterThanOrEqual(60_000);
    (await limiter.acquire('corp:user.list', read))(); // another endpoint is not held
  });
});
