import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { startFakeWecom, type FakeWecom } from '../../test/helpers/fake-wecom.ts';
import { startForwardProxy, type ForwardProxy } from '../../test/helpers/forward-proxy.ts';
import { createWecomClient, type WecomClient, type WecomClientOptions } from './client.ts';
import { WecomTransportError } from './errors.ts';
import type { User } from './types-directory.ts';

let fake: FakeWecom;
let proxy: ForwardProxy;
const clients: WecomClient[] = [];
beforeEach(async () => {
  fake = await startFakeWecom();
  fake.on('user/get', (req) => ({ userid: req.query.userid, name: '张三', department: [1], status: 1 }));
  proxy = await startForwardProxy({ user: 'bob', password: 'p@ss:wörd' });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await proxy.close();
  await fake.close();
});
const clientFor = (over: Partial<WecomClientOptions> = {}) => {
  const client = createWecomClient({ corpId: fake.corpId, secrets: { app: fake.secrets.app }, apiBase: fake.url, retryPolicy: 'test', env: {}, ...over });
  clients.push(client);
  return client;
};
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as WecomTransportError);
const proxyUrl = () => `http://bob:${encodeURIComponent('p@ss:wörd')}@127.0.0.1:${proxy.port}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('forward proxy', () => {
  it('sends every call through the configured proxy with Basic auth from the URL', async () => {
    const user = await clientFor({ proxy: proxyUrl() }).call('user.get', { userid: 'zhangsan' });
    expect(user.name).toBe('张三');
    expect(proxy.connects + proxy.forwarded).toBeGreaterThanOrEqual(1);
    expect(proxy.credentials).toContain('bob:p@ss:wörd');
    expect(proxy.rejectedAuth).toBe(0);
    expect(fake.count('gettoken')).toBe(1);
  });

  it('a wrong proxy password is proxy_auth (407), not retried, password redacted', async () => {
    const err = await failureOf(clientFor({ proxy: `http://bob:wrong-password-123@127.0.0.1:${proxy.port}` }).call('user.get', { userid: 'a' }));
    expect(err).toBeInstanceOf(WecomTransportError);
    expect(err!.failure).toBe('proxy_auth');
    expect(err!.status).toBe(407);
    expect(proxy.rejectedAuth).toBe(1);
    expect(JSON.stringify([err!.message, err!.proxy, err!.describe('zh'), err!.describe('en')])).not.toContain('wrong-password-123');
    expect(fake.requests).toHaveLength(0);
  });

  it('a proxy port where nothing listens is proxy_unreachable, distinct from an unreachable API', async () => {
    const deadPort = await freePort();
    const viaProxy = await failureOf(clientFor({ proxy: `http://127.0.0.1:${deadPort}` }).call('user.get', { userid: 'a' }));
    expect(viaProxy!.failure).toBe('proxy_unreachable');
    expect(viaProxy!.isProxyFailure).toBe(true);
    expect(viaProxy!.describe('en').what).toContain(`127.0.0.1:${deadPort}`);
    const direct = await failureOf(clientFor({ apiBase: `http://127.0.0.1:${deadPort}` }).call('user.get', { userid: 'a' }));
    expect(direct!.failure).toBe('refused');
    expect(direct!.isProxyFailure).toBe(false);
  });

  it('an unresolvable API host is dns', async () => {
    const err = await failureOf(clientFor({ apiBase: 'http://wecom-archive-test.invalid' }).call('user.get', { userid: 'a' }));
    expect(err!.failure).toBe('dns');
  });

  it('without a configured proxy, HTTP(S)_PROXY from the environment is used, and NO_PROXY bypasses it', async () => {
    await clientFor({ env: { HTTP_PROXY: proxyUrl(), HTTPS_PROXY: proxyUrl() } }).call('user.get', { userid: 'a' });
    const viaEnv = proxy.connects + proxy.forwarded;
    expect(viaEnv).toBeGreaterThanOrEqual(1);
    await clientFor({ env: { HTTP_PROXY: proxyUrl(), NO_PROXY: 'localhost,127.0.0.1' } }).call('user.get', { userid: 'b' });
    expect(proxy.connects + proxy.forwarded).toBe(viaEnv);
  });
});

describe('transport', () => {
  it('puts access_token in the query string, POST params in a JSON body', async () => {
    fake.on('user/list_id', () => ({ next_cursor: '', dept_user: [] }));
    await clientFor({ secrets: { contacts: fake.secrets.contacts } }).call('user.listId', { limit: 5 });
    const request = fake.requests.find((r) => r.path === 'user/list_id')!;
    expect(request.method).toBe('POST');
    expect(request.query.access_token).toMatch(/^tok-contacts-/);
    expect(request.body).toEqual({ limit: 5 });
  });

  it('keeps integers beyond 2^53 exact in answers', async () => {
    fake.on('msgaudit/get_robot_info', () => ({ status: 200, raw: '{"errcode":0,"errmsg":"ok","data":{"robot_id":"wb1","name":"r","creator_userid":"u"},"seq":18446744073709551615}' }));
    const answer = await clientFor({ secrets: { archive: fake.secrets.archive } }).callRaw('msgaudit.getRobotInfo', { robot_id: 'wb1' });
    expect(answer.seq).toBe(18446744073709551615n);
  });

  it('a body that is not JSON is an http failure with the start of the body', async () => {
    fake.on('user/get', () => ({ status: 200, raw: '<html>gateway login</html>' }));
    const err = await failureOf(clientFor().call('user.get', { userid: 'a' }));
    expect(err!.failure).toBe('http');
    expect(err!.describe('en').why).toContain('<html>gateway login');
  });

  it('no answer in time is a timeout', async () => {
    fake.on('user/get', () => new Promise(() => undefined));
    const err = await failureOf(clientFor({ timeoutMs: 150, retryPolicy: { ...(await import('./retry.ts')).RETRY_POLICIES.test, networkRetries: 0 } }).call('user.get', { userid: 'a' }));
    expect(err!.failure).toBe('timeout');
    expect(err!.mayHaveReached).toBe(true);
  });

  it('types requests and answers by endpoint name (checked by tsc --noEmit)', () => {
    // Never called: these lines only have to compile, and the @ts-expect-error ones must not.
    const typeOnly = async (client: WecomClient) => {
      expectTypeOf(await client.call('user.get', { userid: 'a' })).toMatchTypeOf<User>();
      expectTypeOf(await client.call('tag.list')).toHaveProperty('taglist');
      // @ts-expect-error userid is required
      await client.call('user.get', {});
      // @ts-expect-error not a catalogue endpoint
      await client.call('user.nope', {});
      // @ts-expect-error not a credential kind
      await client.call('tag.list', {}, { credential: 'kf' });
      // @ts-expect-error user.get is not paginated
      client.pages('user.get', { userid: 'a' });
    };
    expectTypeOf(typeOnly).toBeFunction();
  });
});
