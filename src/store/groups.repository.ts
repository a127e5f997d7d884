import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from './database.ts';
import { DEFAULT_LIMIT, type Page } from './directory.repository.ts';
import type { CustomerGroupTable, GroupMemberTable } from './groups.table.ts';
import { containsAny, parseJson } from './sql-kit.ts';

/** Read queries over customer groups (客户群) and their members: the one read layer the services use. */

export type GroupRow = Omit<Selectable<CustomerGroupTable>, 'raw_json' | 'hash' | 'run_id'> & { members: number };

export interface GroupFilters extends Page {
  /** Contained in the group name, chat_id or notice. */
  search?: string;
  /** Groups this member owns or is in. */
  followUser?: string;
  includeDeleted?: boolean;
}

export interface GroupMember extends Omit<Selectable<GroupMemberTable>, 'corp_id' | 'chat_id'> {
  /** The best name known: the group nickname, the name WeCom gave, then our employee/customer record. */
  display_name: string | null;
  is_admin: boolean;
  is_owner: boolean;
}

export interface GroupDetail {
  group: Omit<Selectable<CustomerGroupTable>, 'raw_json' | 'hash' | 'run_id' | 'hidden_fields'>
    & { hidden_fields: string[]; raw: unknown; owner_name: string | null };
  /** Members (employees first, then customers), each by join time. */
  members: GroupMember[];
  admins: string[];
}

async function listGroups(db: Kysely<Database>, corpId: string, filters: GroupFilters = {}): Promise<GroupRow[]> {
  let query = db.selectFrom('customer_groups as g')
    .select(['g.corp_id', 'g.chat_id', 'g.name', 'g.owner', 'g.create_time', 'g.notice', 'g.status', 'g.hidden_fields',
      'g.first_seen_at', 'g.updated_at', 'g.deleted_at'])
    .select((eb) => eb.selectFrom('group_members as m').whereRef('m.corp_id', '=', 'g.corp_id')
      .whereRef('m.chat_id', '=', 'g.chat_id').select((e) => e.fn.countAll<number>().as('n')).as('members'))
    .where('g.corp_id', '=', corpId);
  if (!filters.includeDeleted) query = query.where('g.deleted_at', 'is', null);
  const search = filters.search?.trim();
  if (search) query = query.where(containsAny(db, ['g.name', 'g.chat_id', 'g.notice'], search));
  if (filters.followUser !== undefined) {
    const userid = filters.followUser;
    query = query.where((eb) => eb.or([
      eb('g.owner', '=', userid),
      eb.exists(eb.selectFrom('group_members as m').select('m.member_id').whereRef('m.corp_id', '=', 'g.corp_id')
        .whereRef('m.chat_id', '=', 'g.chat_id').where('m.member_id', '=', userid)),
    ]));
  }
  const rows = await query.orderBy('g.chat_id').limit(filters.limit ?? DEFAULT_LIMIT).offset(filters.offset ?? 0).execute();
  return rows.map((r) => ({ ...r, members: Number(r.members ?? 0) }));
}

/** A group by chat_id with its members (names resolved, owner and admins flagged) and admins. */
async function getGroup(db: Kysely<Database>, corpId: string, chatId: string): Promise<GroupDetail | undefined> {
  const row = await db.selectFrom('customer_groups as g')
    .leftJoin('employees as o', (j) => j.onRef('o.corp_id', '=', 'g.corp_id').onRef('o.userid', '=', 'g.owner'))
    .selectAll('g').select('o.name as owner_name')
    .where('g.corp_id', '=', corpId).where('g.chat_id', '=', chatId).executeTakeFirst();
  if (!row) return undefined;
  const admins = (await db.selectFrom('group_admins').select('userid')
    .where('corp_id', '=', corpId).where('chat_id', '=', chatId).orderBy('userid').execute()).map((a) => a.userid);
  const members = await db.selectFrom('group_members as m')
    .leftJoin('employees as e', (j) => j.onRef('e.corp_id', '=', 'm.corp_id').onRef('e.userid', '=', 'm.member_id'))
    .leftJoin('customers as c', (j) => j.onRef('c.corp_id', '=', 'm.corp_id').onRef('c.external_userid', '=', 'm.member_id'))
    .select(['m.member_id', 'm.type', 'm.unionid', 'm.join_time', 'm.join_scene', 'm.invitor', 'm.group_nickname', 'm.name', 'm.state'])
    // WeCom sends '' rather than omitting an unset nickname: treat it as absent.
    .select(sql<string | null>`coalesce(nullif(m.group_nickname, ''), nullif(m.name, ''), e.name, c.name)`.as('display_name'))
    .where('m.corp_id', '=', corpId).where('m.chat_id', '=', chatId)
    .orderBy('m.type').orderBy('m.join_time').orderBy('m.member_id').execute();
  const { raw_json, hash: _hash, run_id: _run, hidden_fields, ...group } = row;
  return {
    group: { ...group, hidden_fields: parseJson<string[]>(hidden_fields) ?? [], raw: parseJson(raw_json) },
    members: members.map((m) => ({ ...m, is_admin: admins.includes(m.member_id), is_owner: m.member_id === group.owner })),
    admins,
  };
}

export const groupsRepository = Object.freeze({ listGroups, getGroup });
