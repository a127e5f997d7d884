import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../../test/helpers/fake-clock.ts';
import { startFakeWecom, type FakeWecom } from '../../test/helpers/fake-wecom.ts';
import { createWecomClient, type WecomClientOptions } from './client.ts';
import { WecomApiError, WecomMissingCredentialError } from './errors.ts';

const run = promisify(execFile);
let fake: FakeWecom;
let dir: string;

beforeEach(async () => {
  fake = await startFakeWecom();
  fake.on('user/get', (req) => ({ userid: req.query.userid, name: 'n', department: [1], status: 1 }));
  fake.on('externalcontact/list', (req) => ({ external_userid: [`wm-${req.kind}`] }));
  dir = await mkdtemp(join(tmpdir(), 'wecom-tokens-'));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const clientFor = (overrides: Partial<WecomClientOptions> = {}) =>
  createWecomClient({ corpId: fake.corpId, secrets: { app: fake.secrets.app }, apiBase: fake.url, retryPolicy: 'test', ...overrides });

describe('tokens: one gettoken per (corp, secret)', () => {
  it('100 concurrent calls make exactly one gettoken', async () => {
    const client = clientFor();
    const users = await Promise.all(Array.from({ length: 100 }, (_, i) => client.call('user.get', { userid: `u${i}` })));
    expect(users.map((u) => u.userid)).toEqual(Array.from({ length: 100 }, (_, i) => `u${i}`));
    expect(fake.count('gettoken')).toBe(1);
    expect(new Set(fake.requests.filter((r) => r.path === 'user/get').map((r) => r.token)).size).toBe(1);
    await client.close();
  });

  it('refreshes before expiry, not after', async () => {
    const clock = fakeClock();
    const client = clientFor({ now: clock.now, sleep: clock.sleep, tokenMarginMs: 300_000 });
    await client.call('user.get', { userid: 'a' });
    clock.advance(7_200_000 - 300_000 - 1_000); // 1 s before the refresh margin starts
    await client.call('user.get', { userid: 'b' });
    expect(fake.count('gettoken')).toBe(1);
    clock.advance(2_000); // inside the margin: still valid at WeCom, but refreshed now
    await client.call('user.get', { userid: 'c' });
    expect(fake.count('gettoken')).toBe(2);
    const tokens = fake.requests.filter((r) => r.path === 'user/get').map((r) => r.token);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[1]);
    await client.close();
  });

  it('a second client instance with the same DATA_DIR reuses the persisted token; the file holds no secret', async () => {
    const first = clientFor({ dataDir: dir });
    await first.call('user.get', { userid: 'a' });
    await first.close();
    const second = clientFor({ dataDir: dir });
    await second.call('user.get', { userid: 'b' });
    await second.close();
    expect(fake.count('gettoken')).toBe(1);
    expect(second.tokens.fetches).toBe(0);
    const file = join(dir, 'tokens.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const content = await readFile(file, 'utf8');
    expect(content).not.toContain(fake.secrets.app);
    expect(content).toContain(fake.corpId);
  });

  it('two processes started together make exactly one gettoken and use the same token', async () => {
    await fake.close();
    fake = await startFakeWecom({ gettokenDelayMs: 400 }); // both are surely waiting at the same time
    const script = join(import.meta.dirname, '../../test/helpers/token-child.ts');
    const spawnOne = () => run(process.execPath, ['--import', 'tsx', script, fake.url, dir, fake.corpId, fake.secrets.app], { timeout: 20_000 });
    const results = await Promise.all([spawnOne(), spawnOne()]);
    const outputs = results.map((r) => JSON.parse(r.stdout) as { token: string; fetches: number });
    expect(fake.count('gettoken')).toBe(1);
    expect(outputs[0].token).toBe(outputs[1].token);
    expect(outputs.map((o) => o.fetches).sort()).toEqual([0, 1]);
  });
});

describe('tokens: rejected tokens and wrong secrets', () => {
  it.each([40014, 42001] as const)('%i: invalidates the token, fetches a new one and retries once', async (errcode) => {
    const client = clientFor();
    await client.call('user.get', { userid: 'a' });
    const old = fake.requests.at(-1)!.token!;
    fake.revoke(old, errcode);
    const user = await client.call('user.get', { userid: 'b' });
    expect(user.userid).toBe('b');
    expect(fake.count('gettoken')).toBe(2);
    expect(fake.count('user/get')).toBe(3);
    expect(fake.requests.at(-1)!.token).not.toBe(old);
    await client.close();
  });

  it('a fresh token rejected again is an error, after exactly one retry (no loop)', async () => {
    fake.on('user/get', () => ({ errcode: 40014, errmsg: 'invalid access_token' }));
    const client = clientFor();
    const err = await client.call('user.get', { userid: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomApiError);
    expect((err as WecomApiError).errcode).toBe(40014);
    expect(fake.count('user/get')).toBe(2);
    expect(fake.count('gettoken')).toBe(2);
    await client.close();
  });

  it.each([
    ['app', 'user.get', 'APP_SECRET'],
    ['customer', 'externalcontact.list', 'CUSTOMER_SECRET'],
  ] as const)('40001 with a wrong %s secret: no retry, names %s, never shows the secret', async (kind, endpoint, key) => {
    const wrong = `wrong-${kind}-secret-0123456789abcdef`;
    const client = clientFor({ secrets: { [kind]: wrong } });
    const err = await client.callRaw(endpoint, { userid: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomApiError);
    const apiErr = err as WecomApiError;
    expect(apiErr.errcode).toBe(40001);
    expect(apiErr.secretKey).toBe(key);
    expect(apiErr.describe('zh').fix).toContain(key);
    expect(fake.count('gettoken')).toBe(1);
    expect(JSON.stringify([apiErr.message, apiErr.errmsg, apiErr.describe('en')])).not.toContain(wrong);
    await client.close();
  });
});

describe('credential choice', () => {
  it('customer endpoints use CUSTOMER_SECRET when set, else APP_SECRET; a forced kind wins', async () => {
    const both = clientFor({ secrets: { app: fake.secrets.app, customer: fake.secrets.customer } });
    expect((await both.call('externalcontact.list', { userid: 'z' })).external_userid).toEqual(['wm-customer']);
    expect((await both.call('externalcontact.list', { userid: 'z' }, { credential: 'app' })).external_userid).toEqual(['wm-app']);
    const appOnly = clientFor();
    expect((await appOnly.call('externalcontact.list', { userid: 'z' })).external_userid).toEqual(['wm-app']);
    await both.close();
    await appOnly.close();
  });

  it('no usable secret: a UserError naming the key to set, and no request at all', async () => {
    const client = clientFor({ secrets: { app: fake.secrets.app } });
    const err = await client.call('msgaudit.getPermitUserList', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomMissingCredentialError);
    expect((err as WecomMissingCredentialError).describe('en').fix).toBe('Set CHAT_ARCHIVE_SECRET in the config');
    const forced = await client.call('user.get', { userid: 'a' }, { credential: 'contacts' }).catch((e: unknown) => e);
    expect((forced as WecomMissingCredentialError).describe('en').fix).toBe('Set CONTACTS_SECRET in the config');
    expect(fake.requests).toHaveLength(0);
    await client.close();
  });
});
