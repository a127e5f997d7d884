import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SimulationType } from '../../src/sandbox/index.ts';
import { clientFor, type TestClient } from '../sandbox/helpers.ts';

/**
 * After a simulated change, the list reads a full sync makes agree with the record reads: a deleted
 * member is gone from user/list_id, a new group is in groupchat/list, a renamed userid is everywhere.
 */

let sandbox: Sandbox;
let client: TestClient;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 57, now: new Date('2025-03-01T12:00:00Z'), callbacks: { pumpIntervalMs: false } });
  client = clientFor(sandbox);
});
afterAll(() => sandbox?.close());

const simulate = (type: SimulationType, targets: Record<string, unknown> = {}) => sandbox.callbacks.simulate({ type, ...targets })[0]!.changed as Record<string, any>;

async function listIds(): Promise<Array<{ userid: string; department: number }>> {
  const rows: Array<{ userid: string; department: number }> = [];
  let cursor = '';
  do {
    const page = await client.post('user/list_id', { cursor, limit: 10_000 }, 'contacts');
    rows.push(...page.dept_user);
    cursor = page.next_cursor;
  } while (cursor);
  return rows;
}

async function groupIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  do {
    const page = await client.post('externalcontact/groupchat/list', { cursor, limit: 1000 });
    ids.push(...page.group_chat_list.map((g: { chat_id: string }) => g.chat_id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

describe('list reads after simulated changes', () => {
  it('directory: new department, moved, deleted and renamed members', async () => {
    const department = simulate('department.created', { parentId: 1 }).department;
    expect((await client.get('department/list')).department.map((d: { id: number }) => d.id)).toContain(department.id);

    const moved = simulate('member.moved', { departmentId: department.id });
    expect((await client.get('user/simplelist', { department_id: department.id })).userlist.map((u: { userid: string }) => u.userid)).toEqual([moved.userid]);
    expect((await client.get('user/simplelist', { department_id: moved.previousDepartment[0] })).userlist.map((u: { userid: string }) => u.userid)).not.toContain(moved.userid);

    const deleted = simulate('member.deleted');
    const renamed = simulate('member.userid_changed', { newUserid: 'renamed-member' });
    const ids = (await listIds()).map((r) => r.userid);
    expect(ids).not.toContain(deleted.userid);
    expect(ids).toContain('renamed-member');
    expect(ids).not.toContain(renamed.previousUserid);
    expect((await client.get('user/get', { userid: 'renamed-member' })).department).toEqual(sandbox.company.employeeByUserid('renamed-member')!.department);
  });

  it('customers: a renamed member’s relations carry the new userid; a deleted relation leaves the lists', async () => {
    const [member] = (await client.get('externalcontact/get_follow_user_list', {}, 'customer')).follow_user as string[];
    const changed = simulate('member.userid_changed', { userid: member!, newUserid: 'follow-renamed' });
    const page = await client.post('externalcontact/batch/get_by_user', { userid_list: ['follow-renamed'], limit: 100 });
    expect(page.errcode).toBe(0);
    expect(new Set(page.external_contact_list.map((e: { follow_info: { userid: string } }) => e.follow_info.userid))).toEqual(new Set(['follow-renamed']));
    expect((await client.get('externalcontact/get_follow_user_list', {}, 'customer')).follow_user).not.toContain(changed.previousUserid);

    const gone = simulate('customer.deleted_by_member', { userid: 'follow-renamed' });
    const listed = await client.get('externalcontact/list', { userid: 'follow-renamed' }, 'customer');
    expect(listed.errcode === 84061 || !listed.external_userid.includes(gone.external_userid)).toBe(true);
  });

  it('groups: created ones are listed, dismissed ones are not; a deleted owner’s wait for inheritance', async () => {
    const created = simulate('group.created');
    const dismissed = simulate('group.dismissed');
    const ids = await groupIds();
    expect(ids).toContain(created.chat_id);
    expect(ids).not.toContain(dismissed.chat_id);
    expect(ids).toHaveLength(sandbox.company.counts.groups - 1);
    const orphan = sandbox.company.group(0);
    simulate('member.deleted', { userid: orphan.ownerUserid });
    const waiting = await client.post('externalcontact/groupchat/list', { status_filter: 1, limit: 1000 });
    expect(waiting.group_chat_list.map((g: { chat_id: string }) => g.chat_id)).toContain(orphan.chat_id);
  });

  it('groups: a member who left is no longer listed in their groups; a departed owner still is, by name', async () => {
    const here = (userid: string) => sandbox.company.employeeByUserid(userid) !== undefined;
    const group = [...Array(sandbox.company.counts.groups).keys()].map((i) => sandbox.company.group(i))
      .find((g) => here(g.ownerUserid) && g.memberUserids.filter((u) => u !== g.ownerUserid && here(u)).length > 0)!;
    const leaver = group.memberUserids.find((userid) => userid !== group.ownerUserid && here(userid))!;
    simulate('member.deleted', { userid: leaver });
    simulate('member.deleted', { userid: group.ownerUserid });
    const got = await client.post('externalcontact/groupchat/get', { chat_id: group.chat_id, need_name: 1 });
    expect(got.errcode).toBe(0);
    const members = got.group_chat.member_list as Array<{ userid: string; name: string }>;
    expect(members.map((m) => m.userid)).not.toContain(leaver);
    expect(members[0]).toMatchObject({ userid: group.ownerUserid, name: expect.any(String) });
  });
});
