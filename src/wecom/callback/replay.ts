import { CallbackError } from './errors.ts';

/**
 * Freshness of a callback (wecom-api.md §5.6 "Replay"): the timestamp must be near now, and a nonce
 * is unique within two hours, so one seen again in that window is a replay. Both are checked only
 * after the signature: an unsigned request must not be able to fill the nonce book.
 */

/** Milliseconds since the epoch; injected so tests never wait or depend on the real clock. */
export type Clock = () => number;

/** How far a timestamp may be from now, either way. Wide enough for WeCom's retries and clock skew. */
export const DEFAULT_WINDOW_SECONDS = 300;
/** WeCom's nonce uniqueness window (two hours). */
export const NONCE_TTL_SECONDS = 2 * 60 * 60;

/** The timestamp in seconds, or `stale_timestamp` when it is not a number of seconds within the window. */
export function checkTimestamp(timestamp: string, now: number, windowSeconds = DEFAULT_WINDOW_SECONDS): number {
  if (!/^\d{1,12}$/.test(timestamp)) throw new CallbackError('stale_timestamp', { skew: '?' });
  const seconds = Number(timestamp);
  const skew = Math.round(seconds - now / 1000);
  if (Math.abs(skew) > windowSeconds) throw new CallbackError('stale_timestamp', { skew });
  return seconds;
}

/**
 * Remembers nonces. `seen` records the nonce and says whether it was there already; `forget` undoes
 * a record when the request could not be stored after all, so WeCom's retry of it is not refused.
 * In memory now; a store-backed book (shared by every `serve` process) comes with the inbox.
 */
export interface NonceBook {
  seen(nonce: string, timestamp: number): boolean;
  forget(nonce: string): void;
}

export interface MemoryNonceBookOptions {
  /** Bound on memory: past it the oldest nonces go first (a flood of signed requests is WeCom's own). */
  maxEntries?: number;
  ttlSeconds?: number;
  now?: Clock;
}

export class MemoryNonceBook implements NonceBook {
  // Insertion order is arrival order, so expiry and eviction both take from the front.
  private readonly entries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly ttlSeconds: number;
  private readonly now: Clock;

  constructor(options: MemoryNonceBookOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.ttlSeconds = options.ttlSeconds ?? NONCE_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  seen(nonce: string, timestamp: number): boolean {
    this.expire();
    if (this.entries.has(nonce)) return true;
    this.entries.set(nonce, timestamp);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return false;
  }

  forget(nonce: string): void {
    this.entries.delete(nonce);
  }

  get size(): number {
    return this.entries.size;
  }

  private expire(): void {
    const oldest = this.now() / 1000 - this.ttlSeconds;
    for (const [nonce, timestamp] of this.entries) {
      if (timestamp >= oldest) break;
      this.entries.delete(nonce);
    }
  }
}

