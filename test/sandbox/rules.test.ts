import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, fetchJson, startClient, type TestClient } from './helpers.ts';
import { startSandbox } from '../../src/sandbox/index.ts';

/** Each rule of the real service, reproduced through real HTTP. */
describe('sandbox rules', () => {
  let api: TestClient;
  beforeAll(async () => {
    api = await startClient({ seed: 31, now: new Date('2025-03-01T08:00:00Z'), tokenTtlSeconds: 600 });
  });
  afterAll(() => api.sandbox.close());
  const url = (path: string) => `${api.sandbox.url}/cgi-bin/${path}`;

  it('refuses a wrong secret (40001), a wrong corp id (40013) and missing parameters (41002/41004)', async () => {
    const { corpId, secrets } = api.sandbox;
    expect((await fetchJson(url(`gettoken?corpid=${corpId}&corpsecret=${secrets.app}x`))).errcode).toBe(40001);
    expect((await fetchJson(url(`gettoken?corpid=ww0000000000000000&corpsecret=${secrets.app}`))).errcode).toBe(40013);
    expect((await fetchJson(url(`gettoken?corpsecret=${secrets.app}`))).errcode).toBe(41002);
    expect((await fetchJson(url(`gettoken?corpid=${corpId}`))).errcode).toBe(41004);
  });

  it('answers 41001 without a token, 40014 for unknown or revoked tokens, 42001 after expiry', async () => {
    expect((await fetchJson(url('department/list'))).errcode).toBe(41001);
    expect((await fetchJson(url('department/list?access_token=nonsense'))).errcode).toBe(40014);
    const token = await api.token('app');
    expect((await api.get('department/list')).errcode).toBe(0);
    expect(api.sandbox.revokeTokens({ token })).toBe(1);
    expect((await fetchJson(url(`department/list?access_token=${token}`))).errcode).toBe(40014);

    const fresh = await fetchJson(url(`gettoken?corpid=${api.sandbox.corpId}&corpsecret=${api.sandbox.secrets.contacts}`));
    expect(fresh.expires_in).toBe(600);
    const simplelist = url(`department/simplelist?access_token=${fresh.access_token}`);
    api.sandbox.clock.advance(599_000);
    expect((await fetchJson(simplelist)).errcode).toBe(0);
    api.sandbox.clock.advance(1_000);
    expect((await fetchJson(simplelist)).errcode).toBe(42001);
  });

  it('revokes through the control endpoint and refuses a reset secret', async () => {
    const sandbox = await startSandbox({ seed: 32 });
    try {
      const client = clientFor(sandbox);
      const token = await client.token('customer');
      const revoke = await fetchJson(`${sandbox.url}/__sandbox/tokens/revoke`, { method: 'POST', body: JSON.stringify({ kind: 'customer' }) });
      expect(revoke).toMatchObject({ revoked: 1 });
      expect((await fetchJson(`${sandbox.url}/cgi-bin/externalcontact/get_follow_user_list?access_token=${token}`)).errcode).toBe(40014);
      const old = sandbox.secrets.archive;
      const renewed = sandbox.resetSecret('archive');
      expect(renewed).not.toBe(old);
      expect((await fetchJson(`${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${old}`)).errcode).toBe(40001);
      expect((await fetchJson(`${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${renewed}`)).errcode).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it('gives the contact-sync secret 48009 on detail reads but list_id and department/simplelist', async () => {
    for (const [path, params] of [['user/get', { userid: api.sandbox.company.employee(0).userid }], ['user/simplelist', { department_id: 1 }], ['user/list', { department_id: 1 }], ['department/list', {}]] as const) {
      const answer = await api.get(path, params, 'contacts');
      expect(answer.errcode).toBe(48009);
      expect(answer.errmsg.startsWith('api forbidden for contact assistant')).toBe(true);
    }
    expect((await api.get('department/simplelist', {}, 'contacts')).department_id).toHaveLength(15);
    expect((await api.post('user/list_id', { limit: 10 }, 'contacts')).errcode).toBe(0);
    api.sandbox.rules.contactsDetailForbidden = false;
    try {
      const member = await api.get('user/get', { userid: api.sandbox.company.employee(0).userid }, 'contacts');
      expect(member.errcode).toBe(0);
      expect(member.mobile).toBe(api.sandbox.company.employee(0).mobile);
    } finally {
      api.sandbox.rules.contactsDetailForbidden = true;
    }
  });

  it('keeps archive APIs to the archive secret (48002 otherwise)', async () => {
    for (const kind of ['app', 'customer', 'contacts'] as const) {
      expect((await api.post('msgaudit/get_permit_user_list', {}, kind)).errcode).toBe(48002);
    }
    expect((await api.post('msgaudit/get_permit_user_list', {}, 'archive')).errcode).toBe(0);
    expect((await api.get('user/get', { userid: 'x' }, 'archive')).errcode).toBe(48002);
  });

  it('lets the app call customer APIs only while it is in 「可调用应用」', async () => {
    expect((await api.get('externalcontact/get_follow_user_list', {}, 'app')).errcode).toBe(0);
    const off = await fetchJson(`${api.sandbox.url}/__sandbox/rules`, { method: 'POST', body: JSON.stringify({ appCustomerAllowed: false }) });
    expect(off.appCustomerAllowed).toBe(false);
    try {
      expect((await api.get('externalcontact/get_follow_user_list', {}, 'app')).errcode).toBe(48002);
      expect((await api.get('externalcontact/get_follow_user_list', {}, 'customer')).errcode).toBe(0);
    } finally {
      api.sandbox.rules.appCustomerAllowed = true;
    }
  });

  it("filters the app's reads to its visible scope (60011 outside, 60111 unknown)", async () => {
    const { company, rules } = api.sandbox;
    const scoped = company.departments().find((d) => d.depth === 1 && company.departments().some((c) => c.parentid === d.id))!;
    const subtree = company.departments().filter((d) => d.id === scoped.id || d.parentid === scoped.id || company.department(d.parentid)?.parentid === scoped.id);
    rules.appScope = { departments: [scoped.id], users: [] };
    try {
      const listed = await api.get('department/list');
      expect(listed.department.map((d: { id: number }) => d.id).sort()).toEqual(subtree.map((d) => d.id).sort());
      const simple = await api.get('department/simplelist');
      expect(simple.department_id).toHaveLength(subtree.length);
      const inside = company.membersOf(subtree[0].id).map((e) => company.employee(e))[0];
      const outside = company.membersOf(1).map((e) => company.employee(e))[0];
      expect((await api.get('user/get', { userid: inside.userid })).errcode).toBe(0);
      expect((await api.get('user/get', { userid: outside.userid })).errcode).toBe(60011);
      expect((await api.get('user/get', { userid: 'NoSuchMember' })).errcode).toBe(60111);
      expect((await api.get('user/simplelist', { department_id: 1 })).errcode).toBe(60011);
      // The contact-sync secret is not limited by the app's scope.
      expect((await api.get('department/simplelist', {}, 'contacts')).department_id).toHaveLength(15);
      // Customer APIs with the app token see only follow users inside the scope; the customer secret sees all.
      const everyone = Array.from({ length: company.counts.employees }, (_, e) => company.employee(e)).filter((m) => m.followUser);
      const ids = new Set(subtree.map((d) => d.id));
      const inScope = everyone.filter((m) => m.department.some((d) => ids.has(d))).map((m) => m.userid);
      expect((await api.get('externalcontact/get_follow_user_list', {}, 'app')).follow_user).toEqual(inScope);
      expect((await api.get('externalcontact/get_follow_user_list', {}, 'customer')).follow_user).toHaveLength(everyone.length);
      const outsider = everyone.find((m) => !inScope.includes(m.userid))!;
      expect((await api.post('externalcontact/batch/get_by_user', { userid_list: [outsider.userid] }, 'app')).errcode).toBe(60011);
    } finally {
      rules.appScope = { departments: [1], users: [] };
    }
  });

  it('refuses callers outside the trusted IPs with 60020 naming their address (app and contacts secrets only)', async () => {
    const token = await api.token('app');
    api.sandbox.rules.trustedIps = ['203.0.113.0/24'];
    try {
      const answer = await api.get('department/list');
      expect(answer.errcode).toBe(60020);
      expect(answer.errmsg).toMatch(/^not allow to access from your ip, hint: \[\d+\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=60020$/);
      expect((await fetchJson(url(`gettoken?corpid=${api.sandbox.corpId}&corpsecret=${api.sandbox.secrets.contacts}`))).errcode).toBe(60020);
      expect((await api.get('externalcontact/get_follow_user_list', {}, 'customer')).errcode).toBe(0);
      api.sandbox.rules.trustedIps = ['203.0.113.0/24', '127.0.0.0/8'];
      expect((await fetchJson(url(`department/list?access_token=${token}`))).errcode).toBe(0);
    } finally {
      api.sandbox.rules.trustedIps = [];
    }
  });
});
