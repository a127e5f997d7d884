import { WECOM_LIMITS, type EndpointSpec } from './endpoints.ts';

/**
 * Client-side limits per (corp, endpoint), kept below WeCom's (wecom-api.md §7) so a sync never sees
 * 45009, plus a concurrency cap for the customer-data endpoints (45033) that the retry layer lowers
 * when WeCom still complains. In-process: several processes on one corp should share the work
 * through the job queue rather than each run at full budget.
 */

export interface LimitOptions {
  /** Share of WeCom's limits to use (default 0.9). */
  fraction?: number;
  /** Calls per minute per endpoint; default fraction × 10 000 (or × the endpoint's own stricter limit). */
  perMinute?: number;
  /** Calls per hour per endpoint; default fraction × 150 000. */
  perHour?: number;
  /** In-flight cap for concurrencyLimited endpoints; default 3 (WeCom's cap is unpublished, ~5 reported). */
  concurrency?: number;
  /** Successful calls after which a lowered concurrency goes back up by one. */
  recoverAfter?: number;
}

export interface ResolvedLimits { perMinute: number; perHour: number; concurrency?: number }

export const DEFAULT_LIMIT_FRACTION = 0.9;
export const DEFAULT_CONCURRENCY = 3;

export function resolveLimits(spec: Pick<EndpointSpec, 'perMinute' | 'concurrencyLimited'>, options: LimitOptions = {}): ResolvedLimits {
  const fraction = options.fraction ?? DEFAULT_LIMIT_FRACTION;
  const wecomPerMinute = Math.min(WECOM_LIMITS.perMinute, spec.perMinute ?? Infinity);
  return {
    perMinute: Math.max(1, Math.min(options.perMinute ?? Infinity, Math.floor(wecomPerMinute * fraction))),
    perHour: Math.max(1, Math.min(options.perHour ?? Infinity, Math.floor(WECOM_LIMITS.perHour * fraction))),
    concurrency: spec.concurrencyLimited
      ? Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, WECOM_LIMITS.concurrency))
      : undefined,
  };
}

/**
 * Counts calls in time buckets. A bucket counts as inside the window while any part of it is, so
 * the total over-approximates every window of `windowMs`, however aligned: the budget holds for
 * WeCom's fixed windows and for sliding ones. Memory: about windowMs / bucketMs numbers.
 */
class WindowCounter {
  private readonly buckets: Array<{ start: number; count: number }> = [];
  private total = 0;

  constructor(private readonly windowMs: number, private readonly bucketMs: number, private readonly limit: number) {}

  /** Milliseconds until one more call fits (0 = now). */
  waitFor(now: number): number {
    this.prune(now);
    if (this.total < this.limit) return 0;
    return this.buckets[0].start + this.bucketMs + this.windowMs - now;
  }

  add(now: number): void {
    const start = now - (now % this.bucketMs);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.start === start) last.count++;
    else this.buckets.push({ start, count: 1 });
    this.total++;
  }

  private prune(now: number): void {
    while (this.buckets.length > 0 && this.buckets[0].start + this.bucketMs <= now - this.windowMs) {
      this.total -= this.buckets.shift()!.count;
    }
  }
}

interface KeyState {
  minute: WindowCounter;
  hour: WindowCounter;
  /** Current cap (lowered on 45033); undefined = uncapped. */
  concurrency?: number;
  maxConcurrency?: number;
  inFlight: number;
  successes: number;
  waiters: Array<() => void>;
  pausedUntil: number;
}

export interface RateLimiterDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class RateLimiter {
  private readonly states = new Map<string, KeyState>();

  constructor(private readonly deps: RateLimiterDeps, private readonly options: LimitOptions = {}) {}

  /** Waits until the call fits the budget; returns the release to call when the call is over. */
  async acquire(key: string, spec: EndpointSpec): Promise<(ok?: boolean) => void> {
    const state = this.state(key, spec);
    for (;;) {
      const now = this.deps.now();
      const wait = Math.max(state.pausedUntil - now, state.minute.waitFor(now), state.hour.waitFor(now));
      if (wait > 0) {
        await this.deps.sleep(wait);
        continue;
      }
      if (state.concurrency !== undefined && state.inFlight >= state.concurrency) {
        await new Promise<void>((resolve) => state.waiters.push(resolve));
        continue;
      }
      // No await between the checks and here: concurrent acquirers cannot overdraw the budget.
      state.minute.add(now);
      state.hour.add(now);
      state.inFlight++;
      let released = false;
      return (ok = true) => {
        if (released) return;
        released = true;
        state.inFlight--;
        if (ok) this.recordSuccess(state);
        state.waiters.shift()?.();
      };
    }
  }

  /** After 45033: one fewer in flight for this endpoint (at least 1), even if it had no cap. */
  lowerConcurrency(key: string, spec: EndpointSpec): number {
    const state = this.state(key, spec);
    const current = state.concurrency ?? Math.max(state.inFlight + 1, DEFAULT_CONCURRENCY);
    state.concurrency = Math.max(1, current - 1);
    state.maxConcurrency ??= current;
    state.successes = 0;
    return state.concurrency;
  }

  /** After 45009: hold every call to this endpoint until the window has reset. */
  pause(key: string, spec: EndpointSpec, untilMs: number): void {
    const state = this.state(key, spec);
    state.pausedUntil = Math.max(state.pausedUntil, untilMs);
  }

  /** The current in-flight cap for a key (for logs and tests). */
  concurrencyOf(key: string): number | undefined {
    return this.states.get(key)?.concurrency;
  }

  private recordSuccess(state: KeyState): void {
    if (state.concurrency === undefined || state.maxConcurrency === undefined) return;
    if (state.concurrency >= state.maxConcurrency) return;
    if (++state.successes < (this.options.recoverAfter ?? 50)) return;
    state.successes = 0;
    state.concurrency++;
    // The raised cap may admit a waiter right away.
    state.waiters.shift()?.();
  }

  private state(key: string, spec: EndpointSpec): KeyState {
    let state = this.states.get(key);
    if (!state) {
      const limits = resolveLimits(spec, this.options);
      state = {
        minute: new WindowCounter(60_000, 1_000, limits.perMinute),
        hour: new WindowCounter(3_600_000, 60_000, limits.perHour),
        concurrency: limits.concurrency,
        maxConcurrency: limits.concurrency,
        inFlight: 0,
        successes: 0,
        waiters: [],
        pausedUntil: 0,
      };
      this.states.set(key, state);
    }
    return state;
  }
}
