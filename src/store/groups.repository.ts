import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from './database.ts';
import { DEFAULT_LIMIT, type Page } from './directory.repository.ts';
import type { CustomerGroupTable, GroupMemberTable } from './groups.table.ts';
import { containsAny, parseJson } from './sql-kit.ts';

/** Read queries over customer groups (客户群) and their members. */

export type GroupRow = Omit<Selectable<CustomerGroupTable>, 'raw_json' | 'hash'> & { member_count: number };

export interface GroupFilters extends Page {
  /** Contained in the group name, chat_id or notice. */
  search?: string;
  owner?: string;
  /** Groups this userid or external_userid is a member of. */
  memberId?: string;
  status?: number;
  includeDeleted?: boolean;
}

export interface GroupMember extends Omit<Selectable<GroupMemberTable>, 'corp_id' | 'chat_id'> {
  /** The best name known: the group nickname, the name WeCom gave, then our employee/customer record. */
  display_name: string | null;
  is_admin: boolean;
  is_owner: boolean;
}

export interface GroupDetail {
  group: Omit<Selectable<CustomerGroupTable>, 'raw_json' | 'hash'> & { raw: unknown; owner_name: string | null };
  members: GroupMember[];
  admins: string[];
}

async function listGroups(db: Kysely<Database>, corpId: string, filters: GroupFilters = {}): Promise<GroupRow[]> {
  let query = db.selectFrom('customer_groups as g')
    .select(['g.corp_id', 'g.chat_id', 'g.name', 'g.owner', 'g.create_time', 'g.notice', 'g.status', 'g.hidden_fields',
      'g.first_seen_at', 'g.updated_at', 'g.deleted_at', 'g.run_id'])
    .select((eb) => eb.selectFrom('group_members as m').whereRef('m.corp_id', '=', 'g.corp_id')
      .whereRef('m.chat_id', '=', 'g.chat_id').select((e2) => e2.fn.countAll<number>().as('n')).as('member_count'))
    .where('g.corp_id', '=', corpId);
  if (!filters.includeDeleted) query = query.where('g.deleted_at', 'is', null);
  if (filters.owner !== undefined) query = query.where('g.owner', '=', filters.owner);
  if (filters.status !== undefined) query = query.where('g.status', '=', filters.status);
  const search = filters.search?.trim();
  if (search) query = query.where(containsAny(db, ['g.name', 'g.chat_id', 'g.notice'], search));
  if (filters.memberId !== undefined) {
    const memberId = filters.memberId;
    query = query.where((eb) => eb.exists(eb.selectFrom('group_members as m').select('m.member_id')
      .whereRef('m.corp_id', '=', 'g.corp_id').whereRef('m.chat_id', '=', 'g.chat_id')
      .where('m.member_id', '=', memberId)));
  }
  const rows = await query.orderBy('g.create_time', 'desc').orderBy('g.chat_id')
    .limit(filters.limit ?? DEFAULT_LIMIT).offset(filters.offset ?? 0).execute();
  return rows.map((r) => ({ ...r, member_count: Number(r.member_count ?? 0) }));
}

/** A group by chat_id with its members (owner and admins flagged, by join time) and admins. */
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
    .leftJoin('customers as c',
      (j) => j.onRef('c.corp_id', '=', 'm.corp_id').onRef('c.external_userid', '=', 'm.member_id'))
    .select(['m.member_id', 'm.type', 'm.unionid', 'm.join_time', 'm.join_scene', 'm.invitor', 'm.group_nickname',
      'm.name', 'm.state'])
    // WeCom sends '' rather than omitting an unset nickname: treat it as absent.
    .select(sql<string | null>`coalesce(nullif(m.group_nickname, ''), nullif(m.name, ''), e.name, c.name)`
      .as('display_name'))
    .where('m.corp_id', '=', corpId).where('m.chat_id', '=', chatId)
    .orderBy('m.join_time').orderBy('m.member_id').execute();
  const { raw_json, hash: _hash, ...group } = row;
  return {
    group: { ...group, raw: parseJson(raw_json) },
    members: members.map((m) => ({
      ...m, is_admin: admins.includes(m.member_id), is_owner: m.member_id === group.owner,
    })),
    admins,
  };
}

export const groupsRepository = Object.freeze({ listGroups, getGroup });
