import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { DEFAULT_LIMITS, DEFAULT_RULES } from '../../src/sandbox/options.ts';
import { createWecomClient, type WecomClient, type WecomClientOptions } from '../../src/wecom/client.ts';
import { WecomApiError, WecomTransportError } from '../../src/wecom/errors.ts';
import { fakeClock } from '../helpers/fake-clock.ts';
import { startForwardProxy } from '../helpers/forward-proxy.ts';

/** The WeCom client against the sandbox: real HTTP, real rules, limits and faults. */
let sandbox: Sandbox;
let dir: string;
const clients: WecomClient[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 23, size: 'small' });
  dir = await mkdtemp(join(tmpdir(), 'wecom-client-sandbox-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  Object.assign(sandbox.rules, structuredClone(DEFAULT_RULES));
  Object.assign(sandbox.limits, structuredClone(DEFAULT_LIMITS));
  sandbox.setFaults({});
});
const clientFor = (over: Partial<WecomClientOptions> = {}) => {
  const client = createWecomClient({ corpId: sandbox.corpId, secrets: sandbox.secrets, apiBase: sandbox.url, retryPolicy: 'test', env: {}, ...over });
  clients.push(client);
  return client;
};
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);
const employees = () => Array.from({ length: sandbox.company.counts.employees }, (_, i) => sandbox.company.employee(i));

describe('reads against the sandbox', () => {
  it('reads the directory with typed answers', async () => {
    const client = clientFor();
    const { department } = await client.call('department.list');
    expect(department).toHaveLength(sandbox.company.counts.departments);
    const first = employees()[0];
    const user = await client.call('user.get', { userid: first.userid });
    expect(user).toMatchObject({ userid: first.userid, name: first.name, department: first.department });
  });

  it('walks user/list_id and batch/get_by_user to the end, and resumes from a cursor', async () => {
    const client = clientFor();
    const rows = [];
    for await (const row of client.items('user.listId', { limit: 5 })) rows.push(row);
    expect(rows).toHaveLength(employees().reduce((sum, e) => sum + e.department.length, 0));

    const followers = employees().filter((e) => e.followUser).map((e) => e.userid).slice(0, 100);
    const pages = [];
    for await (const page of client.pages('externalcontact.batchGetByUser', { userid_list: followers, limit: 7 })) pages.push(page);
    const all = pages.flatMap((p) => p.items.map((i) => `${i.follow_info.userid}|${i.external_contact.external_userid}`));
    expect(pages.length).toBeGreaterThan(2);
    const resumed = [];
    for await (const item of client.items('externalcontact.batchGetByUser', { userid_list: followers, limit: 7 }, { cursor: pages[1].nextCursor })) {
      resumed.push(`${item.follow_info.userid}|${item.external_contact.external_userid}`);
    }
    expect(resumed).toEqual(all.slice(14));
  });

  it('walks get_unassigned_list (is_last) to exactly the departed members\' customers, then reassigns one', async () => {
    const client = clientFor();
    const expected = sandbox.company.departedMembers().flatMap((m) => m.customerIds.map((id) => `${m.userid}|${id}`));
    expect(expected.length).toBeGreaterThan(3); // more than one page of 3
    const seen = [];
    for await (const row of client.items('externalcontact.getUnassignedList', { page_size: 3 })) seen.push(`${row.handover_userid}|${row.external_userid}`);
    expect(seen.sort()).toEqual(expected.sort());

    const [handover, external] = seen[0].split('|');
    const taker = employees().find((e) => e.followUser)!.userid;
    const moved = await client.call('externalcontact.resignedTransferCustomer', { handover_userid: handover, takeover_userid: taker, external_userid: [external] });
    expect(moved.customer).toEqual([{ external_userid: external, errcode: 0 }]);
    const results = [];
    for await (const r of client.items('externalcontact.resignedTransferResult', { handover_userid: handover, takeover_userid: taker })) results.push(r.external_userid);
    expect(results).toContain(external);
  });

  it('one gettoken per secret, however many calls run at once', async () => {
    const before = sandbox.stats().tokensIssued;
    const client = clientFor();
    const userids = employees().slice(0, 50).map((e) => e.userid);
    await Promise.all([
      ...userids.map((userid) => client.call('user.get', { userid })),
      ...userids.map((userid) => client.call('externalcontact.list', { userid }).catch((e: unknown) => {
        if (!(e instanceof WecomApiError && e.errcode === 84061)) throw e;
      })),
    ]);
    const after = sandbox.stats().tokensIssued;
    expect((after.app ?? 0) - (before.app ?? 0)).toBe(1);
    expect((after.customer ?? 0) - (before.customer ?? 0)).toBe(1);
  });
});

describe('errors and recovery against the sandbox', () => {
  it('a revoked token is replaced once and the call succeeds', async () => {
    const client = clientFor();
    await client.call('department.list');
    expect(sandbox.revokeTokens({ kind: 'app' })).toBeGreaterThan(0);
    expect((await client.call('department.list')).department.length).toBeGreaterThan(0);
  });

  it('a reset secret surfaces as 40001 naming APP_SECRET', async () => {
    const other = await startSandbox({ seed: 24 });
    try {
      const client = clientFor({ corpId: other.corpId, secrets: { ...other.secrets }, apiBase: other.url });
      await client.call('department.list');
      other.resetSecret('app');
      const err = (await rejection(client.call('department.list'))) as WecomApiError;
      expect(err.errcode).toBe(40001);
      expect(err.secretKey).toBe('APP_SECRET');
    } finally {
      await other.close();
    }
  });

  it('48002: the app secret on msgaudit names CHAT_ARCHIVE_SECRET; on customers, CUSTOMER_SECRET', async () => {
    const client = clientFor({ secrets: { app: sandbox.secrets.app } });
    const archive = (await rejection(client.call('msgaudit.getPermitUserList', {}, { credential: 'app' }))) as WecomApiError;
    expect(archive.errcode).toBe(48002);
    expect(archive.describe('en').fix).toContain('CHAT_ARCHIVE_SECRET');
    sandbox.rules.appCustomerAllowed = false;
    const customer = (await rejection(client.call('externalcontact.getFollowUserList'))) as WecomApiError;
    expect(customer.errcode).toBe(48002);
    expect(customer.describe('zh').fix).toContain('CUSTOMER_SECRET');
  });

  it('60020 carries the caller IP and says to add it to 企业可信IP', async () => {
    sandbox.rules.trustedIps = ['203.0.113.7'];
    const err = (await rejection(clientFor().call('department.list'))) as WecomApiError;
    expect(err.errcode).toBe(60020);
    expect(err.fromIp).toBe('127.0.0.1');
    expect(err.describe('zh').fix).toContain('添加 127.0.0.1');
  });

  it('-1 and 5xx on a read are retried; a 5xx on a write is not', async () => {
    const client = clientFor();
    await client.token('customer');
    sandbox.setFaults({ next: [{ kind: 'busy' }, { kind: 'busy' }, { kind: 'http5xx' }] });
    expect((await client.call('department.list')).department.length).toBeGreaterThan(0);
    const member = employees().find((e) => e.followUser)!;
    const customer = sandbox.company.customer(sandbox.company.customersOf(member.index)[0]).external_userid;
    sandbox.setFaults({ next: [{ kind: 'http5xx', endpoint: 'externalcontact.remark' }] });
    const err = (await rejection(client.call('externalcontact.remark', { userid: member.userid, external_userid: customer, remark: 'vip' }))) as WecomTransportError;
    expect(err).toBeInstanceOf(WecomTransportError);
    expect(err.status).toBeGreaterThanOrEqual(500);
    expect(sandbox.stats().calls['externalcontact.remark']).toBe(1);
  });

  it('never trips the concurrency cap at the default 3 in flight; adapts when the cap is lower', async () => {
    sandbox.limits.responseDelayMs = 15;
    const member = employees().find((e) => e.followUser)!;
    const ids = sandbox.company.customersOf(member.index).map((c) => sandbox.company.customer(c).external_userid);
    const client = clientFor();
    const codes = () => sandbox.stats().errcodes['externalcontact.get']?.['45033'] ?? 0;
    const before = codes();
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.call('externalcontact.get', { external_userid: ids[i % ids.length] })));
    expect(codes() - before).toBe(0);

    sandbox.limits.concurrency = 2;
    const beforeLower = codes();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => client.call('externalcontact.get', { external_userid: ids[i % ids.length] })));
    expect(answers.every((a) => a.external_contact.external_userid)).toBe(true);
    expect(codes() - beforeLower).toBeGreaterThan(0); // WeCom (the sandbox) did refuse some …
    expect(client.limiter.concurrencyOf(`${sandbox.corpId}:externalcontact.get`)).toBeLessThanOrEqual(2); // … and we adapted
  });

  it('at the sandbox limit per minute, the client waits instead of getting 45009', async () => {
    const limited = await startSandbox({ seed: 25, now: new Date('2025-05-05T10:00:30Z'), limits: { perEndpoint: { 'department.simplelist': { perMinute: 4 } } } });
    try {
      const clock = fakeClock(limited.clock.now().getTime());
      const client = clientFor({
        corpId: limited.corpId, secrets: { ...limited.secrets }, apiBase: limited.url, limits: { perMinute: 4 }, now: clock.now,
        sleep: async (ms) => {
          limited.clock.advance(ms);
          await clock.sleep(ms);
        },
      });
      for (let i = 0; i < 10; i++) await client.call('department.simplelist', {}, { credential: 'contacts' });
      expect(limited.stats().errcodes['department.simplelist']?.['45009'] ?? 0).toBe(0);
      expect(clock.now() - limited.clock.now().getTime()).toBe(0);
      expect(clock.sleeps.length).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('through a forward proxy', () => {
  it('calls the sandbox through an authenticating proxy, token file under DATA_DIR', async () => {
    const proxy = await startForwardProxy({ user: 'ops', password: 's3cret-proxy' });
    try {
      const client = clientFor({ proxy: `http://ops:s3cret-proxy@127.0.0.1:${proxy.port}`, dataDir: dir });
      expect((await client.call('department.list')).department.length).toBeGreaterThan(0);
      expect(proxy.connects + proxy.forwarded).toBeGreaterThanOrEqual(1);
      expect(proxy.credentials.every((c) => c === 'ops:s3cret-proxy')).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
