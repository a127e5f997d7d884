import type { Kysely } from 'kysely';
import type { Database } from './database.ts';
import { directoryRepository } from './directory.repository.ts';

/** What a manager's departments reach (services/access.ts): members, the customers they follow, their groups. */

type Db = Kysely<Database>;

/** Every member of the departments' subtrees. */
async function membersOf(db: Db, corpId: string, departmentIds: readonly number[]): Promise<Set<string>> {
  const departments = new Set<number>();
  for (const id of departmentIds) for (const d of await directoryRepository.departmentSubtree(db, corpId, id)) departments.add(d);
  if (departments.size === 0) return new Set();
  const rows = await db.selectFrom('employee_departments').select('userid').distinct()
    .where('corp_id', '=', corpId).where('department_id', 'in', [...departments]).execute();
  return new Set(rows.map((r) => r.userid));
}

/** Whether one of `members` follows the customer (a follow not deleted). */
async function followedBy(db: Db, corpId: string, externalUserid: string, members: ReadonlySet<string>): Promise<boolean> {
  if (members.size === 0) return false;
  const row = await db.selectFrom('follow_relations').select('userid').where('corp_id', '=', corpId)
    .where('external_userid', '=', externalUserid).where('deleted_at', 'is', null).where('userid', 'in', [...members]).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Whether one of `members` owns the customer group or is in it. */
async function groupWith(db: Db, corpId: string, chatId: string, members: ReadonlySet<string>): Promise<boolean> {
  if (members.size === 0) return false;
  const ids = [...members];
  const row = await db.selectFrom('customer_groups as g').select('g.chat_id').where('g.corp_id', '=', corpId).where('g.chat_id', '=', chatId)
    .where((eb) => eb.or([eb('g.owner', 'in', ids), eb.exists(eb.selectFrom('group_members as m').select('m.member_id')
      .whereRef('m.corp_id', '=', 'g.corp_id').whereRef('m.chat_id', '=', 'g.chat_id').where('m.member_id', 'in', ids))]))
    .limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The customers followed by any of `members`. */
async function customersOf(db: Db, corpId: string, members: ReadonlySet<string>): Promise<Set<string>> {
  if (members.size === 0) return new Set();
  const rows = await db.selectFrom('follow_relations').select('external_userid').distinct().where('corp_id', '=', corpId)
    .where('deleted_at', 'is', null).where('userid', 'in', [...members]).execute();
  return new Set(rows.map((r) => r.external_userid));
}

/** The customer groups owned by, or holding, any of `members`. */
async function groupsOf(db: Db, corpId: string, members: ReadonlySet<string>): Promise<Set<string>> {
  if (members.size === 0) return new Set();
  const ids = [...members];
  const rows = await db.selectFrom('customer_groups as g').select('g.chat_id').where('g.corp_id', '=', corpId)
    .where((eb) => eb.or([eb('g.owner', 'in', ids), eb.exists(eb.selectFrom('group_members as m').select('m.member_id')
      .whereRef('m.corp_id', '=', 'g.corp_id').whereRef('m.chat_id', '=', 'g.chat_id').where('m.member_id', 'in', ids))]))
    .execute();
  return new Set(rows.map((r) => r.chat_id));
}

/** The conversation a stored message belongs to, by msgid. */
async function conversationOfMessage(db: Db, corpId: string, msgid: string): Promise<string | undefined> {
  const row = await db.selectFrom('messages').select('conversation_id').where('corp_id', '=', corpId).where('msgid', '=', msgid).executeTakeFirst();
  return row?.conversation_id ?? undefined;
}

export const scopeRepository = Object.freeze({ membersOf, followedBy, groupWith, customersOf, groupsOf, conversationOfMessage });
