import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClient, type TestClient } from './helpers.ts';

/** Writes in the catalogue change the sandbox's state, and every read shows the change. */
describe('sandbox writes', () => {
  let api: TestClient;
  beforeAll(async () => {
    api = await startClient({ seed: 61, now: new Date('2025-06-01T00:00:00Z') });
  });
  afterAll(() => api.sandbox.close());

  const relation = () => {
    const { company } = api.sandbox;
    const member = company.employee(company.followersOf(2)[0]);
    return { userid: member.userid, external_userid: company.customer(2).external_userid };
  };

  it('remark changes the follow relation everywhere it is read', async () => {
    const pair = relation();
    expect((await api.post('externalcontact/remark', { ...pair, remark: '王总-新备注', description: '已签约', remark_company: '新公司', remark_mobiles: ['13800000000'] })).errcode).toBe(0);
    const detail = await api.get('externalcontact/get', { external_userid: pair.external_userid }, 'customer');
    const mine = detail.follow_user.find((f: { userid: string }) => f.userid === pair.userid);
    expect(mine).toMatchObject({ remark: '王总-新备注', description: '已签约', remark_corp_name: '新公司', remark_mobiles: ['13800000000'] });
    const batch = await api.post('externalcontact/batch/get_by_user', { userid_list: [pair.userid], limit: 100 });
    const entry = batch.external_contact_list.find((e: any) => e.external_contact.external_userid === pair.external_userid);
    expect(entry.follow_info.remark).toBe('王总-新备注');
    expect((await api.post('externalcontact/remark', { ...pair, remark: 'x'.repeat(21) })).errcode).toBe(40058);
    const { company } = api.sandbox;
    const memberIndex = company.employeeByUserid(pair.userid)!.index;
    const stranger = Array.from({ length: company.counts.customers }, (_, c) => c).find((c) => !company.followersOf(c).includes(memberIndex))!;
    const answer = await api.post('externalcontact/remark', { userid: pair.userid, external_userid: company.customer(stranger).external_userid, remark: 'a' });
    expect(answer.errcode).toBe(84061);
  });

  it('adds, edits and deletes corp tags, and marks them on customers', async () => {
    const added = await api.post('externalcontact/add_corp_tag', { group_name: '会员等级', tag: [{ name: '金卡' }, { name: '银卡' }] });
    expect(added.errcode).toBe(0);
    const [gold, silver] = added.tag_group.tag;
    expect(gold.id).toMatch(/^et/);
    expect((await api.post('externalcontact/add_corp_tag', { group_id: added.tag_group.group_id, tag: [{ name: '金卡' }] })).errcode).toBe(40071);
    expect((await api.post('externalcontact/edit_corp_tag', { id: gold.id, name: '黑金卡' })).errcode).toBe(0);
    const listed = await api.post('externalcontact/get_corp_tag_list', { group_id: [added.tag_group.group_id] });
    expect(listed.tag_group[0].tag.map((t: { name: string }) => t.name)).toEqual(['黑金卡', '银卡']);

    const pair = relation();
    expect((await api.post('externalcontact/mark_tag', { ...pair, add_tag: [gold.id, silver.id] })).errcode).toBe(0);
    expect((await api.post('externalcontact/mark_tag', { ...pair, add_tag: ['etNoSuchTag'] })).errcode).toBe(40068);
    const tagged = await api.get('externalcontact/get', { external_userid: pair.external_userid }, 'customer');
    const tags = tagged.follow_user.find((f: { userid: string }) => f.userid === pair.userid).tags;
    expect(tags).toContainEqual({ group_name: '会员等级', tag_name: '黑金卡', tag_id: gold.id, type: 1 });

    expect((await api.post('externalcontact/del_corp_tag', { tag_id: [gold.id] })).errcode).toBe(0);
    const afterDelete = await api.post('externalcontact/batch/get_by_user', { userid_list: [pair.userid], limit: 100 });
    const info = afterDelete.external_contact_list.find((e: any) => e.external_contact.external_userid === pair.external_userid).follow_info;
    expect(info.tag_id).toContain(silver.id);
    expect(info.tag_id).not.toContain(gold.id);
    // Deleting the last tag of a group deletes the group.
    expect((await api.post('externalcontact/del_corp_tag', { tag_id: [silver.id] })).errcode).toBe(0);
    const all = await api.post('externalcontact/get_corp_tag_list', {});
    expect(all.tag_group.some((g: { group_name: string }) => g.group_name === '会员等级')).toBe(false);
    expect(api.sandbox.summary().corp_tags).toBe(api.sandbox.company.counts.corp_tags);
  });

  it('adds, reads, lists, updates and deletes contact ways', async () => {
    const member = api.sandbox.company.employee(api.sandbox.company.followersOf(0)[0]);
    const before = api.sandbox.summary().contact_ways;
    const added = await api.post('externalcontact/add_contact_way', { type: 1, scene: 2, remark: '新门店', state: 'store_new', user: [member.userid] });
    expect(added).toMatchObject({ errcode: 0 });
    expect(added.config_id).toMatch(/^[0-9a-f]{32}$/);
    expect(added.qr_code).toMatch(/^https:\/\//);
    expect(api.sandbox.summary().contact_ways).toBe(before + 1);
    expect((await api.post('externalcontact/add_contact_way', { type: 1, scene: 2, user: [member.userid, member.userid] })).errcode).toBe(40058);
    expect((await api.post('externalcontact/add_contact_way', { scene: 2, user: [member.userid] })).errcode).toBe(40058);

    const got = await api.post('externalcontact/get_contact_way', { config_id: added.config_id });
    expect(got.contact_way).toMatchObject({ config_id: added.config_id, type: 1, scene: 2, remark: '新门店', state: 'store_new', user: [member.userid], skip_verify: true });
    const listed = await api.post('externalcontact/list_contact_way', { limit: 1000 });
    expect(listed.contact_way).toContainEqual({ config_id: added.config_id });

    expect((await api.post('externalcontact/update_contact_way', { config_id: added.config_id, remark: '老门店', skip_verify: false })).errcode).toBe(0);
    expect((await api.post('externalcontact/get_contact_way', { config_id: added.config_id })).contact_way).toMatchObject({ remark: '老门店', skip_verify: false });
    expect((await api.post('externalcontact/del_contact_way', { config_id: added.config_id })).errcode).toBe(0);
    expect((await api.post('externalcontact/get_contact_way', { config_id: added.config_id })).errcode).toBe(40058);
  });

  it('lists generated contact ways window by window and refuses windows over 90 days', async () => {
    const { company } = api.sandbox;
    const { start, end } = company.timeRange;
    const seen: string[] = [];
    for (let from = start; from <= end; from += 90 * 86400) {
      const page = await api.post('externalcontact/list_contact_way', { start_time: from, end_time: Math.min(from + 90 * 86400 - 1, end), limit: 1000 });
      expect(page.errcode).toBe(0);
      seen.push(...page.contact_way.map((w: { config_id: string }) => w.config_id));
    }
    const expected = company.contactWays().filter((w) => !w.is_temp).map((w) => w.config_id);
    expect(seen.sort()).toEqual(expected.sort());
    expect((await api.post('externalcontact/list_contact_way', { start_time: start, end_time: start + 91 * 86400 })).errcode).toBe(40058);
  });

  it('closes a live temporary chat once', async () => {
    const { company } = api.sandbox;
    const temp = company.contactWays().find((w) => w.is_temp && company.customersOf(company.employeeByUserid(w.user[0])!.index).length > 0);
    expect(temp).toBeDefined();
    const member = company.employeeByUserid(temp!.user[0])!;
    const body = { userid: member.userid, external_userid: company.customer(company.customersOf(member.index)[0]).external_userid };
    expect((await api.post('externalcontact/close_temp_chat', body)).errcode).toBe(0);
    expect((await api.post('externalcontact/close_temp_chat', body)).errcode).toBe(40058);
  });

  it('moves customers on transfer once the 24 hours are over', async () => {
    const { company } = api.sandbox;
    const c = 10;
    const from = company.employee(company.followersOf(c)[0]);
    const to = Array.from({ length: company.counts.employees }, (_, e) => company.employee(e))
      .find((m) => m.followUser && m.status === 1 && !company.followersOf(c).includes(m.index))!;
    const external = company.customer(c).external_userid;
    const started = await api.post('externalcontact/transfer_customer', { handover_userid: from.userid, takeover_userid: to.userid, external_userid: [external, 'wmUnknown'] });
    expect(started.customer).toEqual([{ external_userid: external, errcode: 0 }, { external_userid: 'wmUnknown', errcode: 40096 }]);
    const pending = await api.post('externalcontact/transfer_result', { handover_userid: from.userid, takeover_userid: to.userid });
    const status = pending.customer[0].status;
    expect([2, 3]).toContain(status);
    api.sandbox.clock.advance(24 * 3600_000);
    const done = await api.post('externalcontact/transfer_result', { handover_userid: from.userid, takeover_userid: to.userid });
    const followers = (await api.get('externalcontact/get', { external_userid: external }, 'customer')).follow_user.map((f: { userid: string }) => f.userid);
    if (status === 2) {
      expect(done.customer[0].status).toBe(1);
      expect(followers).toContain(to.userid);
      expect(followers).not.toContain(from.userid);
    } else {
      expect(followers).toContain(from.userid);
    }
  });

  it("hands departed members' customers over and removes them from the unassigned list", async () => {
    const unassigned = await api.post('externalcontact/get_unassigned_list', { page_size: 1000 });
    expect(unassigned.is_last).toBe(true);
    const first = unassigned.info[0];
    const departed = api.sandbox.company.departedMembers()[0];
    expect(unassigned.info.length).toBe(api.sandbox.company.departedMembers().reduce((n, m) => n + m.customerIds.length, 0));
    expect(first).toMatchObject({ handover_userid: departed.userid, external_userid: departed.customerIds[0] });
    const taker = api.sandbox.company.employee(api.sandbox.company.followersOf(0)[0]);
    const moved = await api.post('externalcontact/resigned/transfer_customer', { handover_userid: departed.userid, takeover_userid: taker.userid, external_userid: [first.external_userid] });
    expect(moved.customer[0].errcode).toBe(0);
    const after = await api.post('externalcontact/get_unassigned_list', { page_size: 1000 });
    expect(after.info.length).toBe(unassigned.info.length - 1);
    const paged = await api.post('externalcontact/get_unassigned_list', { page_size: 2 });
    expect(paged).toMatchObject({ is_last: false });
    expect(paged.next_cursor).toBeTruthy();
  });

  it('gives groups of departed owners a new owner (groupchat/transfer)', async () => {
    const { company } = api.sandbox;
    const groups = Array.from({ length: company.counts.groups }, (_, i) => company.group(i));
    const normal = groups.find((g) => g.status === 0)!;
    const orphan = groups.find((g) => g.status === 1);
    const newOwner = company.employee(company.followersOf(0)[0]).userid;
    const chatIds = orphan ? [orphan.chat_id, normal.chat_id] : [normal.chat_id];
    const answer = await api.post('externalcontact/groupchat/transfer', { chat_id_list: chatIds, new_owner: newOwner });
    expect(answer.failed_chat_list).toEqual([{ chat_id: normal.chat_id, errcode: 90500, errmsg: 'chat owner not resigned' }]);
    if (!orphan) return; // seed 61 has one (checked below), so this guard only protects a changed generator
    const detail = await api.post('externalcontact/groupchat/get', { chat_id: orphan.chat_id });
    expect(detail.group_chat.owner).toBe(newOwner);
    const listed = await api.post('externalcontact/groupchat/list', { limit: 1000, status_filter: 3 });
    expect(listed.group_chat_list).toContainEqual({ chat_id: orphan.chat_id, status: 3 });
  });

  it('has an orphaned group to transfer for this seed', () => {
    const { company } = api.sandbox;
    expect(Array.from({ length: company.counts.groups }, (_, i) => company.groupStatus(i))).toContain(1);
  });
});
