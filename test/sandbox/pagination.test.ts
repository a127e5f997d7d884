import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClient, type TestClient, type WecomAnswer } from './helpers.ts';

/** Walking every paged endpoint to the end gives exactly the company, no more, no less. */
async function walk(fetchPage: (cursor: string) => Promise<WecomAnswer>, items: string): Promise<{ items: any[]; pages: number }> {
  const all: any[] = [];
  let cursor = '';
  let pages = 0;
  do {
    const page = await fetchPage(cursor);
    expect(page.errcode).toBe(0);
    expect(page[items].length).toBeGreaterThan(0);
    all.push(...page[items]);
    cursor = page.next_cursor;
    pages++;
  } while (cursor);
  return { items: all, pages };
}

describe('sandbox pagination', () => {
  let api: TestClient;
  beforeAll(async () => {
    api = await startClient({ seed: 51 });
  });
  afterAll(() => api.sandbox.close());

  it('walks batch/get_by_user to the end: one entry per follow relation of the listed members', async () => {
    const { company } = api.sandbox;
    const members = Array.from({ length: company.counts.employees }, (_, e) => company.employee(e)).filter((m) => m.followUser);
    const userids = members.map((m) => m.userid);
    const { items, pages } = await walk((cursor) => api.post('externalcontact/batch/get_by_user', { userid_list: userids, cursor, limit: 7 }), 'external_contact_list');
    const expected = members.flatMap((m) => company.customersOf(m.index).map((c) => `${m.userid}|${company.customer(c).external_userid}`));
    expect(items.map((i) => `${i.follow_info.userid}|${i.external_contact.external_userid}`)).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
    const first = items[0];
    const c = company.customerByExternalUserid(first.external_contact.external_userid)!;
    const relation = company.follow(c.index, company.employeeByUserid(first.follow_info.userid)!.index)!;
    expect(first.follow_info).toMatchObject({ remark: relation.remark, createtime: relation.createtime, tag_id: relation.tagIds, add_way: relation.addWay });
    expect(first.external_contact).toMatchObject({ name: c.name, type: c.type });
  });

  it('walks groupchat/list to the end, with and without filters', async () => {
    const { company } = api.sandbox;
    const all = await walk((cursor) => api.post('externalcontact/groupchat/list', { cursor, limit: 4 }), 'group_chat_list');
    expect(all.items.map((g) => g.chat_id)).toEqual(Array.from({ length: company.counts.groups }, (_, i) => company.group(i).chat_id));
    expect(all.items.map((g) => g.status)).toEqual(Array.from({ length: company.counts.groups }, (_, i) => company.group(i).status));
    const owner = company.group(0).ownerUserid;
    const owned = await walk((cursor) => api.post('externalcontact/groupchat/list', { owner_filter: { userid_list: [owner] }, cursor, limit: 1 }), 'group_chat_list');
    const expected = Array.from({ length: company.counts.groups }, (_, i) => company.group(i)).filter((g) => g.ownerUserid === owner);
    expect(owned.items.map((g) => g.chat_id)).toEqual(expected.map((g) => g.chat_id));
  });

  it('walks user/list_id to the end: one row per (member, department)', async () => {
    const { company } = api.sandbox;
    const { items } = await walk((cursor) => api.post('user/list_id', { cursor, limit: 6 }, 'contacts'), 'dept_user');
    const expected = Array.from({ length: company.counts.employees }, (_, e) => company.employee(e))
      .flatMap((m) => m.department.map((department) => ({ userid: m.userid, department })));
    expect(items).toEqual(expected);
  });

  it('refuses a tampered cursor or one from another request', async () => {
    const { company } = api.sandbox;
    const a = [company.employee(company.followersOf(0)[0]).userid];
    const page = await api.post('externalcontact/batch/get_by_user', { userid_list: a, limit: 1 });
    expect(page.next_cursor).toBeTruthy();
    const other = [company.employee(company.followersOf(1)[0]).userid, ...a];
    expect((await api.post('externalcontact/batch/get_by_user', { userid_list: other, cursor: page.next_cursor })).errcode).toBe(40058);
    expect((await api.post('externalcontact/batch/get_by_user', { userid_list: a, cursor: `${page.next_cursor}x` })).errcode).toBe(40058);
  });

  it('demands owner_filter on groupchat/list when more than 1000 members are in scope (81017)', async () => {
    const large = await startClient({ seed: 52, size: 'large' });
    try {
      expect((await large.post('externalcontact/groupchat/list', { limit: 100 })).errcode).toBe(81017);
      const owner = large.sandbox.company.group(0).ownerUserid;
      const filtered = await large.post('externalcontact/groupchat/list', { limit: 100, owner_filter: { userid_list: [owner] } });
      expect(filtered.errcode).toBe(0);
      expect(filtered.group_chat_list.map((g: { chat_id: string }) => g.chat_id)).toContain(large.sandbox.company.group(0).chat_id);
    } finally {
      await large.sandbox.close();
    }
  });
});
