import { createHash } from 'node:crypto';
import type { CredentialKind } from './endpoints.ts';
import { WecomMissingCredentialError } from './errors.ts';
import type { StoredToken, TokenStore } from './token-store.ts';

/**
 * Access tokens per (corp, secret) (wecom-api.md §1, DESIGN.md "Tokens"): cached in memory and in a
 * shared store, refreshed before they expire, fetched once however many callers (and processes) ask
 * at the same moment, invalidated on 40014/42001 by the token layer. The manager never wraps gettoken:
 * `fetchToken` is a plain call without auth.
 */

export interface TokenManagerOptions {
  corpId: string;
  secrets: Partial<Record<CredentialKind, string>>;
  store: TokenStore;
  fetchToken(kind: CredentialKind, secret: string): Promise<{ access_token: string; expires_in: number }>;
  now: () => number;
  /** Refresh this long before expiry (default 5 min; at most half a token's lifetime). */
  marginMs?: number;
}

/** The store key: the corp in clear (for people looking at the file), the secret only as a hash. */
export function tokenKey(corpId: string, secret: string): string {
  return `${corpId}:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

export class TokenManager {
  private readonly memory = new Map<string, StoredToken>();
  private readonly inflight = new Map<string, Promise<StoredToken>>();
  /** gettoken calls made by this manager (doctor and tests read it). */
  fetches = 0;

  constructor(private readonly options: TokenManagerOptions) {}

  async get(kind: CredentialKind): Promise<string> {
    const key = this.keyOf(kind);
    const cached = this.memory.get(key);
    if (cached && this.isFresh(cached)) return cached.token;
    // Single flight: every caller that arrives while a load runs awaits that same load.
    let load = this.inflight.get(key);
    if (!load) {
      load = this.load(kind, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, load);
    }
    return (await load).token;
  }

  /**
   * Forget a token WeCom rejected. Only that token: if another caller or process has already
   * replaced it, the replacement stays.
   */
  async invalidate(kind: CredentialKind, token: string): Promise<void> {
    const key = this.keyOf(kind);
    if (this.memory.get(key)?.token === token) this.memory.delete(key);
    await this.options.store.withLock(key, () => this.options.store.delete(key, token));
  }

  private async load(kind: CredentialKind, key: string): Promise<StoredToken> {
    const { store } = this.options;
    const shared = await store.get(key);
    if (shared && this.isFresh(shared)) return this.remember(key, shared);
    return store.withLock(key, async () => {
      // Another process may have fetched while we waited for the lock: use its token.
      const again = await store.get(key);
      if (again && this.isFresh(again)) return this.remember(key, again);
      this.fetches++;
      const obtainedAt = this.options.now();
      const answer = await this.options.fetchToken(kind, this.secretOf(kind));
      const entry: StoredToken = { token: answer.access_token, obtainedAt, expiresAt: obtainedAt + Number(answer.expires_in) * 1000 };
      await store.set(key, entry);
      return this.remember(key, entry);
    });
  }

  private remember(key: string, entry: StoredToken): StoredToken {
    this.memory.set(key, entry);
    return entry;
  }

  private isFresh(entry: StoredToken): boolean {
    const margin = Math.min(this.options.marginMs ?? 300_000, (entry.expiresAt - entry.obtainedAt) / 2);
    return this.options.now() < entry.expiresAt - margin;
  }

  private secretOf(kind: CredentialKind): string {
    const secret = this.options.secrets[kind];
    if (!secret) throw new WecomMissingCredentialError('token.get', [kind]);
    return secret;
  }

  private keyOf(kind: CredentialKind): string {
    return tokenKey(this.options.corpId, this.secretOf(kind));
  }
}
