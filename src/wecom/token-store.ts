/**
 * Where access tokens live between calls and between processes. The token manager (tokens.ts) keeps
 * its own in-memory copy in front; a store exists so that separate CLI runs and several instances
 * share one token per (corp, secret) and fetch it exactly once (DESIGN.md "Tokens").
 *
 * Keys are `<corpId>:<hash of the secret>`, never the secret itself.
 */

export interface StoredToken {
  token: string;
  /** Epoch ms when WeCom said it expires (obtainedAt + expires_in). */
  expiresAt: number;
  obtainedAt: number;
}

export interface TokenStore {
  /** A human label for logs and doctor ("memory", "file /data/tokens.json", "redis"). */
  readonly kind: string;
  get(key: string): Promise<StoredToken | undefined>;
  /** Called while holding `withLock(key)`. */
  set(key: string, value: StoredToken): Promise<void>;
  /** Removes the entry only if it still holds `token` (another process may have refreshed it). Called under the lock. */
  delete(key: string, token: string): Promise<void>;
  /** Runs `fn` while no other holder (in this process or, for shared stores, any process) holds `key`. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  close?(): Promise<void>;
}

/** A per-key promise chain: the in-process half of every store's lock. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.then(() => undefined, () => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** One process only (tests, the sandbox, a long-running single instance). */
export class MemoryTokenStore implements TokenStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, StoredToken>();
  private readonly mutex = new KeyedMutex();

  async get(key: string): Promise<StoredToken | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: StoredToken): Promise<void> {
    this.entries.set(key, value);
  }

  async delete(key: string, token: string): Promise<void> {
    if (this.entries.get(key)?.token === token) this.entries.delete(key);
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, fn);
  }
}
