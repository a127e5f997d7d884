import type { RecordInput } from '../store/entities.ts';
import { departmentIdsRecord, departmentRecord, employeeIdsRecord, employeeRecord, memberTagRecord } from '../sync/map-directory.ts';
import type { KnownEvent } from '../wecom/callback/parse-event.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import { WecomApiError, WecomMissingCredentialError } from '../wecom/errors.ts';
import type { User } from '../wecom/types-directory.ts';
import { cached, isGone, nothing, sweepScope, upsert, type ApplyContext, type PreparedEffect } from './context.ts';
import { followUserEffect } from './customers.ts';
import { groupsOfMemberEffect } from './groups.ts';

/**
 * change_contact (wecom-api.md §5.5): members, departments and member tags. The event's own fields
 * are not written as they are: the record is read again by id (user/get, department/get, tag/get),
 * so it is exactly what a full sync writes, hidden fields included; a record WeCom no longer has is
 * marked deleted.
 */

const USER_GONE = [ERRCODE.USERID_NOT_FOUND, ERRCODE.INVALID_USERID, ERRCODE.USER_NOT_EXIST];
const PARTY_GONE = [ERRCODE.INVALID_DEPARTMENT_ID];
const TAG_GONE = [ERRCODE.INVALID_TAG_ID];

type DirectoryEvent = Extract<KnownEvent, { kind: `change_contact.${string}` }>;

export async function prepareDirectory(ctx: ApplyContext, event: DirectoryEvent): Promise<PreparedEffect> {
  switch (event.kind) {
    case 'change_contact.create_user':
    case 'change_contact.update_user':
      return userChanged(ctx, event.fields.UserID ?? '', event.kind === 'change_contact.update_user' ? event.fields.NewUserID : undefined);
    case 'change_contact.delete_user':
      return userGone(ctx, event.fields.UserID ?? '');
    case 'change_contact.create_party':
    case 'change_contact.update_party':
      return partyChanged(ctx, Number(event.fields.Id));
    case 'change_contact.delete_party':
      return partyGone(ctx, Number(event.fields.Id));
    case 'change_contact.update_tag':
      return tagChanged(ctx, Number(event.fields.TagId));
  }
}

/**
 * The member as the sync would store it: user/get's answer (its errcode/errmsg dropped, as user/list
 * entries have none); when WeCom refuses the contact-sync secret details (48009, as the sync's
 * ids mode), the member's departments from user/list_id, read once per run. Undefined: gone.
 */
async function readUser(ctx: ApplyContext, userid: string): Promise<RecordInput<'employees'> | undefined> {
  try {
    const { errcode: _code, errmsg: _msg, ...user } = (await ctx.client.call('user.get', { userid })) as User & { errcode?: number; errmsg?: string };
    return employeeRecord(user);
  } catch (err) {
    if (isGone(err, USER_GONE)) return undefined;
    if (!isGone(err, [ERRCODE.CONTACT_SYNC_FORBIDDEN])) throw err;
    const departments = (await memberIds(ctx)).get(userid);
    return departments ? employeeIdsRecord(userid, departments) : undefined;
  }
}

function memberIds(ctx: ApplyContext): Promise<Map<string, number[]>> {
  return cached(ctx, 'user-list-id', async () => {
    const departments = new Map<string, number[]>();
    for await (const row of ctx.client.items('user.listId')) {
      const list = departments.get(row.userid) ?? [];
      if (!list.includes(row.department)) list.push(row.department);
      departments.set(row.userid, list);
    }
    return departments;
  });
}

/**
 * create_user / update_user. A NewUserID rename: a full sync would no longer list the old id
 * (soft-deleted, its relations swept) and would list the new one, so the same is done here.
 */
async function userChanged(ctx: ApplyContext, userid: string, newUserid: string | undefined): Promise<PreparedEffect> {
  const current = newUserid || userid;
  const user = await readUser(ctx, current);
  if (!user) return userGone(ctx, current);
  const renamed = newUserid && newUserid !== userid ? await userGone(ctx, userid) : undefined;
  const relations = renamed ? await followUserEffect(ctx, current) : undefined;
  // A new name shows in the member lists of their tags and customer groups (a new id: userGone reads them).
  const lists = renamed ? undefined : await memberListsEffect(ctx, current);
  return {
    change: renamed ? 'renamed' : 'upserted',
    write: async (trx) => {
      await renamed?.write(trx);
      await upsert(ctx, trx, 'employees', [user]);
      await relations?.write(trx);
      await lists?.write(trx);
    },
  };
}

/** The member is gone: the row, its customer relations (as the sync's orphan sweep), the tags and groups listing it. */
async function userGone(ctx: ApplyContext, userid: string): Promise<PreparedEffect> {
  const relations = await followUserEffect(ctx, userid);
  const lists = await memberListsEffect(ctx, userid);
  return {
    change: 'deleted',
    write: async (trx) => {
      await sweepScope(ctx, trx, 'employees', { userid });
      await relations.write(trx);
      await lists.write(trx);
    },
  };
}

/** The member tags and customer groups that list the member (by id and name), read again. */
async function memberListsEffect(ctx: ApplyContext, userid: string): Promise<PreparedEffect> {
  const tagIds = await ctx.db.selectFrom('member_tag_users').select('tag_id')
    .where('corp_id', '=', ctx.corpId).where('userid', '=', userid).execute();
  const tags = await Promise.all(tagIds.map((t) => tagChanged(ctx, t.tag_id)));
  const groups = await groupsOfMemberEffect(ctx, userid);
  return {
    change: 'lists',
    write: async (trx) => {
      for (const tag of tags) await tag.write(trx);
      await groups.write(trx);
    },
  };
}

async function partyChanged(ctx: ApplyContext, id: number): Promise<PreparedEffect> {
  try {
    const department = await readDepartment(ctx, id);
    if (!department) return partyGone(ctx, id);
    return { change: 'upserted', write: (trx) => upsert(ctx, trx, 'departments', [department]) };
  } catch (err) {
    if (isGone(err, PARTY_GONE)) return partyGone(ctx, id);
    throw err;
  }
}

/**
 * department/get needs the app's token; with the contact-sync secret, department/list from that
 * department gives the same entry, and department/simplelist the tree only when WeCom refuses the
 * secret details (48009): each as the sync would store it.
 */
async function readDepartment(ctx: ApplyContext, id: number): Promise<RecordInput<'departments'> | undefined> {
  try {
    return departmentRecord((await ctx.client.call('department.get', { id })).department);
  } catch (err) {
    if (!(err instanceof WecomMissingCredentialError)) throw err;
  }
  try {
    const { department } = await ctx.client.call('department.list', { id });
    const found = department.find((d) => d.id === id);
    return found && departmentRecord(found);
  } catch (err) {
    if (!isGone(err, [ERRCODE.CONTACT_SYNC_FORBIDDEN])) throw err;
    const { department_id } = await ctx.client.call('department.simplelist', { id });
    const found = department_id.find((d) => d.id === id);
    return found && departmentIdsRecord(found);
  }
}

function partyGone(ctx: ApplyContext, id: number): PreparedEffect {
  return { change: 'deleted', write: (trx) => sweepScope(ctx, trx, 'departments', { department_id: id }) };
}

/**
 * update_tag: the tag's members and departments read again (tag/get), its name from tag/list. Member
 * tags need the app's token: without it, or when WeCom refuses the app, the sync skips them, and so
 * does this.
 */
async function tagChanged(ctx: ApplyContext, tagid: number): Promise<PreparedEffect> {
  try {
    const { taglist } = await ctx.client.call('tag.list');
    const tag = taglist.find((t) => t.tagid === tagid);
    if (!tag) return { change: 'deleted', write: (trx) => sweepScope(ctx, trx, 'member_tags', { tag_id: tagid }) };
    const detail = await ctx.client.call('tag.get', { tagid });
    return { change: 'upserted', write: (trx) => upsert(ctx, trx, 'member_tags', [memberTagRecord(tag.tagid, tag.tagname, detail)]) };
  } catch (err) {
    if (isGone(err, TAG_GONE)) return { change: 'deleted', write: (trx) => sweepScope(ctx, trx, 'member_tags', { tag_id: tagid }) };
    if (err instanceof WecomMissingCredentialError || (err instanceof WecomApiError && err.retryClass === 'never')) return nothing('skipped');
    throw err;
  }
}
