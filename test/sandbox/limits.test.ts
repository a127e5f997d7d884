import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson, startClient, type TestClient } from './helpers.ts';

/** Frequency and concurrency limits, parameter checks and page limits. */
describe('sandbox limits and parameters', () => {
  let api: TestClient;
  beforeAll(async () => {
    api = await startClient({
      seed: 41, now: new Date('2025-05-05T10:00:30Z'),
      limits: { perEndpoint: { 'department.simplelist': { perMinute: 3, perHour: 5 } } },
    });
  });
  afterAll(() => api.sandbox.close());

  it('answers 45009 past the per-minute limit until the minute ends, then past the hourly one', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await api.get('department/simplelist', {}, 'contacts')).errcode);
    expect(codes).toEqual([0, 0, 0, 45009]);
    // Other endpoints have their own windows.
    expect((await api.get('department/list')).errcode).toBe(0);
    api.sandbox.clock.advance(60_000);
    expect((await api.get('department/simplelist', {}, 'contacts')).errcode).toBe(0);
    expect((await api.get('department/simplelist', {}, 'contacts')).errcode).toBe(0);
    expect((await api.get('department/simplelist', {}, 'contacts')).errcode).toBe(45009);
    api.sandbox.clock.advance(3_600_000);
    expect((await api.get('department/simplelist', {}, 'contacts')).errcode).toBe(0);
    expect(api.sandbox.stats().errcodes['department.simplelist']['45009']).toBe(2);
    // The corp-wide setting applies to every endpoint without its own.
    api.sandbox.limits.perMinute = 2;
    try {
      api.sandbox.clock.advance(60_000);
      const codes2 = [];
      for (let i = 0; i < 3; i++) codes2.push((await api.get('department/list')).errcode);
      expect(codes2).toEqual([0, 0, 45009]);
    } finally {
      api.sandbox.limits.perMinute = 10_000;
    }
  });

  it('answers 45033 when more calls than the cap are in flight on a customer-data endpoint', async () => {
    api.sandbox.limits.concurrency = 2;
    const customer = api.sandbox.company.customer(0).external_userid;
    await api.token('customer');
    api.sandbox.pause();
    const calls = Array.from({ length: 5 }, () => api.get('externalcontact/get', { external_userid: customer }, 'customer'));
    await api.sandbox.waitForInFlight('externalcontact.get', 2);
    // The three beyond the cap are refused at once; they settle while the first two are held.
    const settled = await Promise.race([Promise.all(calls.slice(2)), Promise.all(calls)]);
    expect(settled.map((a) => a.errcode)).toEqual([45033, 45033, 45033]);
    api.sandbox.resume();
    expect((await Promise.all(calls.slice(0, 2))).map((a) => a.errcode)).toEqual([0, 0]);
    // Endpoints without a cap are not limited.
    await api.token('app');
    api.sandbox.pause();
    const uncapped = Array.from({ length: 4 }, () => api.get('department/list'));
    await api.sandbox.waitForInFlight('department.list', 4);
    api.sandbox.resume();
    expect((await Promise.all(uncapped)).map((a) => a.errcode)).toEqual([0, 0, 0, 0]);
    api.sandbox.limits.concurrency = 5;
  });

  it('answers 40058 for bad JSON, missing parameters and the wrong method', async () => {
    const token = await api.token('customer');
    const url = `${api.sandbox.url}/cgi-bin/externalcontact/groupchat/get?access_token=${token}`;
    expect((await fetchJson(url, { method: 'POST', body: '{"chat_id":' })).errcode).toBe(40058);
    expect((await fetchJson(url, { method: 'POST', body: '[]' })).errcode).toBe(40058);
    expect((await fetchJson(url, { method: 'POST', body: '{}' })).errcode).toBe(40058);
    expect((await fetchJson(url)).errcode).toBe(40058);
    const missing = await api.get('externalcontact/list', {}, 'customer');
    expect(missing.errcode).toBe(40058);
    expect(missing.errmsg).toContain('userid');
  });

  it('enforces page limits as WeCom documents them', async () => {
    const { company } = api.sandbox;
    const followUsers = Array.from({ length: company.counts.employees }, (_, e) => company.employee(e)).filter((m) => m.followUser);
    const tooMany = Array.from({ length: 101 }, (_, i) => followUsers[i % followUsers.length].userid);
    expect((await api.post('externalcontact/batch/get_by_user', { userid_list: tooMany })).errcode).toBe(40058);
    expect((await api.post('externalcontact/batch/get_by_user', { userid_list: [] })).errcode).toBe(40058);
    const busiest = followUsers.map((m) => m.userid).slice(0, 20);
    // limit above 100 is clamped to 100; no limit means 50.
    expect((await api.post('externalcontact/batch/get_by_user', { userid_list: busiest, limit: 500 })).external_contact_list).toHaveLength(100);
    expect((await api.post('externalcontact/batch/get_by_user', { userid_list: busiest })).external_contact_list).toHaveLength(50);
    // groupchat/list: limit is required, 1–1000.
    expect((await api.post('externalcontact/groupchat/list', {})).errcode).toBe(40058);
    expect((await api.post('externalcontact/groupchat/list', { limit: 1001 })).errcode).toBe(40058);
    expect((await api.post('externalcontact/groupchat/list', { limit: 0 })).errcode).toBe(40058);
    expect((await api.post('externalcontact/groupchat/list', { limit: 1000 })).group_chat_list).toHaveLength(30);
    // user/list_id: 1–10000.
    expect((await api.post('user/list_id', { limit: 10001 }, 'contacts')).errcode).toBe(40058);
    expect((await api.post('user/list_id', { limit: -1 }, 'contacts')).errcode).toBe(40058);
  });

  it('answers 84061 for externalcontact/list of a member without customers', async () => {
    const { company } = api.sandbox;
    const idle = Array.from({ length: company.counts.employees }, (_, e) => company.employee(e))
      .find((m) => m.followUser && company.customersOf(m.index).length === 0)!;
    expect((await api.get('externalcontact/list', { userid: idle.userid }, 'customer')).errcode).toBe(84061);
    const busy = company.employee(company.followersOf(0)[0]);
    const listed = await api.get('externalcontact/list', { userid: busy.userid }, 'customer');
    expect(listed.external_userid).toEqual(company.customersOf(busy.index).map((c) => company.customer(c).external_userid));
  });
});
