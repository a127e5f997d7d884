import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWecom, type FakeWecom } from '../../test/helpers/fake-wecom.ts';
import { createWecomClient } from './client.ts';
import { FileTokenStore } from './token-store-file.ts';
import { RedisTokenStore } from './token-store-redis.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

const entry = (token: string) => ({ token, obtainedAt: Date.now(), expiresAt: Date.now() + 7_200_000 });

/** The contract every store keeps. */
async function contract(store: TokenStore) {
  expect(await store.get('k')).toBeUndefined();
  await store.withLock('k', () => store.set('k', entry('t1')));
  expect((await store.get('k'))?.token).toBe('t1');
  // Compare-and-delete: a stale invalidation must not remove a newer token.
  await store.withLock('k', () => store.delete('k', 't0'));
  expect((await store.get('k'))?.token).toBe('t1');
  await store.withLock('k', () => store.delete('k', 't1'));
  expect(await store.get('k')).toBeUndefined();
  // Mutual exclusion: no two holders overlap.
  let inside = 0;
  let maxInside = 0;
  await Promise.all(Array.from({ length: 5 }, () => store.withLock('k', async () => {
    maxInside = Math.max(maxInside, ++inside);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inside--;
  })));
  expect(maxInside).toBe(1);
}

describe('MemoryTokenStore', () => {
  it('keeps the store contract', () => contract(new MemoryTokenStore()));
});

describe('FileTokenStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wecom-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps the store contract', () => contract(new FileTokenStore({ dataDir: dir, pollMs: 1 })));

  it('treats a corrupt file as empty and rewrites it', async () => {
    await writeFile(join(dir, 'tokens.json'), '{not json');
    const store = new FileTokenStore({ dataDir: dir });
    expect(await store.get('k')).toBeUndefined();
    await store.withLock('k', () => store.set('k', entry('t1')));
    expect(JSON.parse(await readFile(join(dir, 'tokens.json'), 'utf8')).tokens.k.token).toBe('t1');
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    await writeFile(join(dir, 'tokens.lock'), JSON.stringify({ id: 'dead', pid: 2 ** 22 + 12345, host: hostname(), at: Date.now() }));
    const store = new FileTokenStore({ dataDir: dir, pollMs: 1 });
    expect(await store.withLock('k', async () => 'got it')).toBe('got it');
  });

  it('waits for a live lock of another host, and takes it over once it is stale', async () => {
    let now = 1_000_000;
    const sleeps: number[] = [];
    await writeFile(join(dir, 'tokens.lock'), JSON.stringify({ id: 'other', pid: 1, host: 'elsewhere', at: now }));
    const store = new FileTokenStore({
      dataDir: dir, staleMs: 1_000, pollMs: 100, now: () => now,
      sleep: async (ms) => { sleeps.push(ms); now += ms; },
    });
    expect(await store.withLock('k', async () => 'got it')).toBe('got it');
    expect(sleeps.length).toBe(11); // polled every 100 ms until the lock was older than 1 s
  });
});

async function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.connect(6379, '127.0.0.1');
  });
}

// Redis is optional for users, but present on the dev machines and in CI: there it must run.
const redisUp = await redisReachable();
describe.skipIf(!redisUp && process.env.CI !== 'true')('RedisTokenStore (127.0.0.1:6379)', () => {
  const url = 'redis://127.0.0.1:6379';
  const prefix = `wecom-archive-test:${randomBytes(4).toString('hex')}:`;
  const stores: RedisTokenStore[] = [];
  const newStore = () => {
    const store = new RedisTokenStore({ url, prefix, pollMs: 5 });
    stores.push(store);
    return store;
  };
  let fake: FakeWecom;
  beforeAll(async () => {
    fake = await startFakeWecom({ gettokenDelayMs: 100 });
    fake.on('user/get', (req) => ({ userid: req.query.userid }));
  });
  afterAll(async () => {
    await fake.close();
    await Promise.all(stores.map((store) => store.close()));
    const cleaner = createClient({ url });
    await cleaner.connect();
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(keys);
    await cleaner.close();
  });

  it('keeps the store contract', () => contract(newStore()));

  it('two instances with separate Redis connections make exactly one gettoken', async () => {
    const clients = [0, 1].map(() => createWecomClient({
      corpId: fake.corpId, secrets: { app: fake.secrets.app }, apiBase: fake.url, retryPolicy: 'test', tokenStore: newStore(),
    }));
    await Promise.all(Array.from({ length: 40 }, (_, i) => clients[i % 2].call('user.get', { userid: `u${i}` })));
    expect(fake.count('gettoken')).toBe(1);
    expect(clients[0].tokens.fetches + clients[1].tokens.fetches).toBe(1);
  });

  it('reports an unreachable Redis as a UserError naming REDIS_URL, password redacted', async () => {
    const store = new RedisTokenStore({ url: 'redis://:sup3r-secret-pw@127.0.0.1:1' });
    const err = await store.get('k').catch((e: unknown) => e);
    expect((err as Error).name).toBe('UserError');
    expect(JSON.stringify((err as { describe(l: 'en'): unknown }).describe('en'))).toContain('REDIS_URL');
    expect((err as Error).message).not.toContain('sup3r-secret-pw');
    await store.close();
  });
});
