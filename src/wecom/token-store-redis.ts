import { randomBytes } from 'node:crypto';
import { UserError } from '../util/errors.ts';
import { redactUrl } from '../util/redact.ts';
import { KeyedMutex, type StoredToken, type TokenStore } from './token-store.ts';

/**
 * Tokens in Redis (REDIS_URL), for several instances on several hosts: one token per (corp, secret)
 * for all of them. Lock: `SET lock NX PX`, released with a compare-and-delete script so a holder whose
 * lock expired cannot delete the next holder's (dependencies.md §4).
 */

/** The few commands used, so tests may pass any client (or a fake). */
export interface RedisLike {
  isOpen: boolean;
  connect(): Promise<unknown>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: object): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  on?(event: 'error', listener: (err: Error) => void): unknown;
}

export interface RedisTokenStoreOptions {
  url?: string;
  client?: RedisLike;
  /** Key prefix (several products may share one Redis). */
  prefix?: string;
  /** A crashed holder's lock expires after this. Longer than a gettoken with its retries. */
  lockTtlMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const DELETE_IF_TOKEN = `local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).token == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const RELEASE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** A connection error is surfaced through the command that fails instead. */
const IGNORE = (): undefined => undefined;

export class RedisTokenStore implements TokenStore {
  readonly kind = 'redis';
  /** Made at the first command: the redis package loads only in a deployment that uses it. */
  private client?: RedisLike;
  private readonly prefix: string;
  private readonly mutex = new KeyedMutex();
  private readonly sleep: (ms: number) => Promise<void>;
  private connecting?: Promise<unknown>;
  private readonly ownsClient: boolean;

  constructor(private readonly options: RedisTokenStoreOptions) {
    this.prefix = options.prefix ?? 'wecom-archive:';
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.ownsClient = !options.client;
    this.client = options.client;
    this.client?.on?.('error', IGNORE);
  }

  async get(key: string): Promise<StoredToken | undefined> {
    const raw = await this.run((c) => c.get(this.tokenKey(key)));
    return raw ? (JSON.parse(raw) as StoredToken) : undefined;
  }

  async set(key: string, value: StoredToken): Promise<void> {
    const ttl = Math.max(1_000, value.expiresAt - Date.now());
    await this.run((c) => c.set(this.tokenKey(key), JSON.stringify(value), { expiration: { type: 'PX', value: Math.round(ttl) } }));
  }

  async delete(key: string, token: string): Promise<void> {
    await this.run((c) => c.eval(DELETE_IF_TOKEN, { keys: [this.tokenKey(key)], arguments: [token] }));
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    // In-process first, so one process's waiters do not all poll Redis.
    return this.mutex.run(key, async () => {
      const lockKey = `${this.prefix}lock:${key}`;
      const owner = randomBytes(8).toString('hex');
      const ttl = this.options.lockTtlMs ?? 120_000;
      while ((await this.run((c) => c.set(lockKey, owner, { condition: 'NX', expiration: { type: 'PX', value: ttl } }))) !== 'OK') {
        await this.sleep(this.options.pollMs ?? 50);
      }
      try {
        return await fn();
      } finally {
        await this.run((c) => c.eval(RELEASE_IF_OWNER, { keys: [lockKey], arguments: [owner] })).catch(() => undefined);
      }
    });
  }

  async close(): Promise<void> {
    if (!this.ownsClient || !this.client?.isOpen) return;
    await (this.client.close?.() ?? this.client.quit?.());
  }

  private tokenKey(key: string): string {
    return `${this.prefix}token:${key}`;
  }

  private async connected(): Promise<RedisLike> {
    if (!this.client) {
      const { createClient } = await import('redis');
      if (!this.client) { // another command may have made it during the import
        this.client = createClient({
          url: this.options.url,
          // Fail fast rather than queue token requests forever while Redis is down.
          disableOfflineQueue: true,
          socket: { connectTimeout: 5_000, reconnectStrategy: (retries: number) => (retries > 2 ? new Error('redis unreachable') : 200) },
        }) as unknown as RedisLike;
        this.client.on?.('error', IGNORE);
      }
    }
    const client = this.client!;
    if (!client.isOpen) {
      this.connecting ??= client.connect().finally(() => (this.connecting = undefined));
      await this.connecting;
    }
    return client;
  }

  private async run<T>(command: (client: RedisLike) => Promise<T>): Promise<T> {
    try {
      return await command(await this.connected());
    } catch (err) {
      throw new UserError('token_store_redis', {
        what: { zh: '无法使用 Redis 令牌缓存（{url}）', en: 'Cannot use the Redis token cache ({url})' },
        why: { zh: '{message}', en: '{message}' },
        fix: { zh: '检查 REDIS_URL 和 Redis 服务；不需要多实例共享时可删除 REDIS_URL（改用 DATA_DIR 下的文件缓存）', en: 'Check REDIS_URL and the Redis server; without several instances, remove REDIS_URL (tokens are then cached in a file under DATA_DIR)' },
        vars: { url: redactUrl(this.options.url ?? 'redis'), message: err instanceof Error ? err.message : String(err) },
      }, { cause: err });
    }
  }
}
