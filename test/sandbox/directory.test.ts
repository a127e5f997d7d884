import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, fetchJson, type TestClient } from './helpers.ts';
import { startSandbox } from '../../src/sandbox/index.ts';

/** Directory reads: shapes, sensitive fields, lookups, member tags, OAuth, summary. */
describe('sandbox directory', () => {
  let api: TestClient;
  beforeAll(async () => {
    api = clientFor(await startSandbox({ seed: 91 }));
  });
  afterAll(() => api.sandbox.close());

  it('answers user/get with the fields a new self-built app receives (no sensitive ones)', async () => {
    const member = api.sandbox.company.employee(7);
    const answer = await api.get('user/get', { userid: member.userid.toLowerCase() });
    expect(answer).toMatchObject({
      errcode: 0, errmsg: 'ok', userid: member.userid, name: member.name, department: member.department,
      position: member.position, main_department: member.mainDepartment, status: member.status, direct_leader: member.directLeader,
    });
    for (const field of ['mobile', 'email', 'gender', 'avatar', 'biz_mail', 'qr_code', 'address']) expect(answer).not.toHaveProperty(field);
    api.sandbox.rules.appSensitiveFields = true;
    try {
      const old = await api.get('user/get', { userid: member.userid });
      expect(old).toMatchObject({ mobile: member.mobile, email: member.email, gender: String(member.gender) });
    } finally {
      api.sandbox.rules.appSensitiveFields = false;
    }
  });

  it('lists departments with names, members per department, and one department', async () => {
    const { company } = api.sandbox;
    const listed = await api.get('department/list', { id: 2 });
    const subtree = new Set([2]);
    for (const d of company.departments()) if (subtree.has(d.parentid)) subtree.add(d.id);
    expect(listed.department.map((d: { id: number }) => d.id)).toEqual([...subtree]);
    expect(listed.department[0]).toMatchObject({ id: 2, name: company.department(2)!.name, parentid: 1 });
    const users = await api.get('user/list', { department_id: 2 });
    expect(users.userlist.map((u: { userid: string }) => u.userid)).toEqual(company.membersOf(2).map((e) => company.employee(e).userid));
    expect((await api.get('department/get', { id: 2 })).department.name).toBe(company.department(2)!.name);
    expect((await api.get('department/get', { id: 999 })).errcode).toBe(60123);
  });

  it('finds userids by mobile and business email', async () => {
    const member = api.sandbox.company.employee(3);
    expect((await api.post('user/getuserid', { mobile: member.mobile }, 'app')).userid).toBe(member.userid);
    expect((await api.post('user/get_userid_by_email', { email: member.email, email_type: 1 }, 'app')).userid).toBe(member.userid);
    expect((await api.post('user/getuserid', { mobile: '10000000000' }, 'app')).errcode).toBe(46004);
  });

  it('answers member tags and the OAuth flow', async () => {
    const tags = await api.get('tag/list');
    expect(tags.taglist.length).toBeGreaterThan(0);
    const tag = api.sandbox.company.memberTags()[0];
    expect((await api.get('tag/get', { tagid: tag.tagid })).userlist.map((u: { userid: string }) => u.userid)).toEqual(tag.userids);
    const member = api.sandbox.company.employee(5);
    const code = api.sandbox.issueOAuthCode(member.userid);
    const info = await api.get('auth/getuserinfo', { code });
    expect(info).toMatchObject({ errcode: 0, userid: member.userid });
    expect((await api.get('auth/getuserinfo', { code })).errcode).toBe(40029);
    const detail = await api.post('auth/getuserdetail', { user_ticket: info.user_ticket }, 'app');
    expect(detail).toMatchObject({ userid: member.userid, mobile: member.mobile, email: member.email });
  });

  it('summarises the company over HTTP with the required keys', async () => {
    const summary = await fetchJson(`${api.sandbox.url}/__sandbox/summary`);
    expect(summary).toMatchObject({ departments: 15, employees: 50, customers: 500, groups: 30 });
    expect(summary.follow_relations).toBe(api.sandbox.company.counts.follow_relations);
    const unknown = await fetch(`${api.sandbox.url}/cgi-bin/no/such/api`);
    expect(unknown.status).toBe(404);
  });
});
