import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { directoryRepository } from '../store/directory.repository.ts';
import { containsText, dialectOf, parseJson } from '../store/sql-kit.ts';

/**
 * Read queries over the synced customers and customer groups (the directory's are in the store's
 * directory.repository.ts), for the CLI and, later, the API. Deleted records are left out unless
 * asked for; a customer's or group's own page shows them with their relations.
 */

export interface Page {
  limit?: number;
  offset?: number;
}

export interface CustomerFilters extends Page {
  /** Contained in the name, external_userid, company, or a follower's remark. */
  search?: string;
  /** Followed by this member. */
  followUser?: string;
  /** Carrying any of these corp tags (on any live relation). */
  tagIds?: string[];
  /** Followed by a member of this department or one below it. */
  departmentId?: number;
  includeDeleted?: boolean;
}

type CustomerEb = ExpressionBuilder<Database, 'customers'>;

/** Live follow relations of the customer row in scope. */
function relations(eb: CustomerEb) {
  return eb.selectFrom('follow_relations as f')
    .whereRef('f.corp_id', '=', 'customers.corp_id').whereRef('f.external_userid', '=', 'customers.external_userid')
    .where('f.deleted_at', 'is', null);
}

export async function listCustomers(db: Kysely<Database>, corpId: string, filters: CustomerFilters = {}) {
  const dialect = dialectOf(db);
  let query = db.selectFrom('customers')
    .select(['customers.external_userid', 'customers.name', 'customers.type', 'customers.gender', 'customers.corp_name',
      'customers.corp_full_name', 'customers.position', 'customers.unionid', 'customers.first_seen_at', 'customers.updated_at',
      'customers.deleted_at'])
    .select((eb) => relations(eb).select((e) => e.fn.countAll<number>().as('n')).as('followers'))
    .where('customers.corp_id', '=', corpId);
  if (!filters.includeDeleted) query = query.where('customers.deleted_at', 'is', null);
  const search = filters.search?.trim();
  if (search) {
    query = query.where((eb) => eb.or([
      ...['customers.name', 'customers.external_userid', 'customers.corp_name'].map((c) => containsText(dialect, sql.ref(c), search)),
      eb.exists(relations(eb).select('f.userid').where(containsText(dialect, sql.ref('f.remark'), search))),
    ]));
  }
  if (filters.followUser) {
    const userid = filters.followUser;
    query = query.where((eb) => eb.exists(relations(eb).select('f.userid').where('f.userid', '=', userid)));
  }
  if (filters.tagIds) {
    const tagIds = filters.tagIds;
    if (tagIds.length === 0) return [];
    query = query.where((eb) => eb.exists(relations(eb).select('f.userid')
      .where((e) => e.exists(e.selectFrom('follow_relation_tags as ft').select('ft.tag_id')
        .whereRef('ft.corp_id', '=', 'f.corp_id').whereRef('ft.external_userid', '=', 'f.external_userid')
        .whereRef('ft.userid', '=', 'f.userid').where('ft.tag_id', 'in', tagIds)))));
  }
  if (filters.departmentId !== undefined) {
    const departments = await directoryRepository.departmentSubtree(db, corpId, filters.departmentId);
    query = query.where((eb) => eb.exists(relations(eb).select('f.userid')
      .where((e) => e.exists(e.selectFrom('employee_departments as ed').select('ed.userid')
        .whereRef('ed.corp_id', '=', 'f.corp_id').whereRef('ed.userid', '=', 'f.userid').where('ed.department_id', 'in', departments)))));
  }
  const rows = await query.orderBy('customers.external_userid').limit(filters.limit ?? 100).offset(filters.offset ?? 0).execute();
  return rows.map((r) => ({ ...r, followers: Number(r.followers ?? 0) }));
}

/** A customer with every member following them: remarks, tags (named from the tag library). */
export async function getCustomer(db: Kysely<Database>, corpId: string, externalUserid: string, options: { includeDeleted?: boolean } = {}) {
  const customer = await db.selectFrom('customers').selectAll().where('corp_id', '=', corpId)
    .where('external_userid', '=', externalUserid).executeTakeFirst();
  if (!customer) return undefined;
  let follows = db.selectFrom('follow_relations as f')
    .leftJoin('employees as e', (j) => j.onRef('e.corp_id', '=', 'f.corp_id').onRef('e.userid', '=', 'f.userid'))
    .select(['f.userid', 'e.name as employee_name', 'f.remark', 'f.description', 'f.createtime', 'f.remark_corp_name',
      'f.remark_mobiles', 'f.oper_userid', 'f.add_way', 'f.state', 'f.deleted_at'])
    .where('f.corp_id', '=', corpId).where('f.external_userid', '=', externalUserid);
  if (!options.includeDeleted) follows = follows.where('f.deleted_at', 'is', null);
  const followRows = await follows.orderBy('f.createtime').orderBy('f.userid').execute();
  const tags = await db.selectFrom('follow_relation_tags as ft')
    .leftJoin('corp_tags as t', (j) => j.onRef('t.corp_id', '=', 'ft.corp_id').onRef('t.tag_id', '=', 'ft.tag_id'))
    .leftJoin('corp_tag_groups as g', (j) => j.onRef('g.corp_id', '=', 't.corp_id').onRef('g.group_id', '=', 't.group_id'))
    .select(['ft.userid', 'ft.tag_id', 'ft.tag_type', sql<string | null>`coalesce(t.name, ft.tag_name)`.as('name'),
      sql<string | null>`coalesce(g.name, ft.group_name)`.as('group_name')])
    .where('ft.corp_id', '=', corpId).where('ft.external_userid', '=', externalUserid).orderBy('ft.tag_id').execute();
  const { raw_json, hash: _hash, hidden_fields, ...fields } = customer;
  return {
    customer: { ...fields, hidden_fields: parseJson<string[]>(hidden_fields) ?? [], raw: parseJson(raw_json) },
    follows: followRows.map((f) => ({
      ...f, remark_mobiles: parseJson<string[]>(f.remark_mobiles) ?? [],
      tags: tags.filter((t) => t.userid === f.userid).map(({ userid: _u, ...tag }) => tag),
    })),
  };
}

export interface GroupFilters extends Page {
  /** Contained in the group name or chat_id. */
  search?: string;
  /** Owned by, or a member of: this member. */
  followUser?: string;
  includeDeleted?: boolean;
}

export async function listGroups(db: Kysely<Database>, corpId: string, filters: GroupFilters = {}) {
  const dialect = dialectOf(db);
  let query = db.selectFrom('customer_groups as g')
    .select(['g.chat_id', 'g.name', 'g.owner', 'g.create_time', 'g.status', 'g.notice', 'g.first_seen_at', 'g.updated_at', 'g.deleted_at'])
    .select((eb) => eb.selectFrom('group_members as m').whereRef('m.corp_id', '=', 'g.corp_id').whereRef('m.chat_id', '=', 'g.chat_id')
      .select((e) => e.fn.countAll<number>().as('n')).as('members'))
    .where('g.corp_id', '=', corpId);
  if (!filters.includeDeleted) query = query.where('g.deleted_at', 'is', null);
  const search = filters.search?.trim();
  if (search) query = query.where((eb) => eb.or([containsText(dialect, sql.ref('g.name'), search), containsText(dialect, sql.ref('g.chat_id'), search)]));
  if (filters.followUser) {
    const userid = filters.followUser;
    query = query.where((eb) => eb.or([
      eb('g.owner', '=', userid),
      eb.exists(eb.selectFrom('group_members as m').select('m.member_id').whereRef('m.corp_id', '=', 'g.corp_id')
        .whereRef('m.chat_id', '=', 'g.chat_id').where('m.member_id', '=', userid)),
    ]));
  }
  const rows = await query.orderBy('g.chat_id').limit(filters.limit ?? 100).offset(filters.offset ?? 0).execute();
  return rows.map((r) => ({ ...r, members: Number(r.members ?? 0) }));
}

/** A group with its members (employees and customers, named) and admins. */
export async function getGroup(db: Kysely<Database>, corpId: string, chatId: string) {
  const group = await db.selectFrom('customer_groups').selectAll().where('corp_id', '=', corpId).where('chat_id', '=', chatId).executeTakeFirst();
  if (!group) return undefined;
  const members = await db.selectFrom('group_members as m')
    .select(['m.member_id', 'm.type', 'm.name', 'm.group_nickname', 'm.join_time', 'm.join_scene', 'm.invitor', 'm.unionid', 'm.state'])
    .where('m.corp_id', '=', corpId).where('m.chat_id', '=', chatId).orderBy('m.type').orderBy('m.join_time').orderBy('m.member_id').execute();
  const admins = await db.selectFrom('group_admins').select('userid').where('corp_id', '=', corpId).where('chat_id', '=', chatId).orderBy('userid').execute();
  const { raw_json, hash: _hash, hidden_fields, ...fields } = group;
  return {
    group: { ...fields, hidden_fields: parseJson<string[]>(hidden_fields) ?? [], raw: parseJson(raw_json) },
    members,
    admins: admins.map((a) => a.userid),
  };
}

/** Corp tag ids for `--tag`: the id itself, or every tag of that name. */
export async function corpTagIds(db: Kysely<Database>, corpId: string, idOrName: string): Promise<string[]> {
  const rows = await db.selectFrom('corp_tags').select('tag_id').where('corp_id', '=', corpId)
    .where((eb) => eb.or([eb('tag_id', '=', idOrName), eb('name', '=', idOrName)])).execute();
  return rows.length > 0 ? rows.map((r) => r.tag_id) : [idOrName];
}

/** A member tag id for `--tag`: the number itself, or the tag of that name. */
export async function memberTagId(db: Kysely<Database>, corpId: string, idOrName: string): Promise<number | undefined> {
  if (/^\d+$/.test(idOrName)) return Number(idOrName);
  const row = await db.selectFrom('member_tags').select('tag_id').where('corp_id', '=', corpId).where('name', '=', idOrName).executeTakeFirst();
  return row?.tag_id;
}
