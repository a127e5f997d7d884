import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { ContactWayTable, CustomerTable, FollowRelationTable } from './customers.table.ts';
import type { Database } from './database.ts';
import { DEFAULT_LIMIT, directoryRepository, type Page } from './directory.repository.ts';
import { containsAny, parseJson } from './sql-kit.ts';

/**
 * Read queries over customers, their follow relations, the corp tag library and contact ways: the
 * one read layer the services (CLI, API) use. Deleted records are left out unless asked for.
 */

export type CustomerRow = Omit<Selectable<CustomerTable>, 'raw_json' | 'hash' | 'run_id'> & { followers: number };

export interface CustomerFilters extends Page {
  /** Contained in the customer's name, external_userid or corp name, or in what a live follower wrote
   * about them: remark, description, remark corp name. */
  search?: string;
  /** Followed by this member (a live relation). */
  followUser?: string;
  /** Carrying any of these corp tags on a live relation (see corpTagIds); empty matches nobody. */
  tagIds?: string[];
  /** Followed by a member of this department or one below it. */
  departmentId?: number;
  includeDeleted?: boolean;
}

type FollowColumns = Omit<Selectable<FollowRelationTable>,
  'raw_json' | 'hash' | 'run_id' | 'remark_mobiles' | 'corp_id' | 'external_userid'>;

export interface FollowDetail extends FollowColumns {
  employee_name: string | null;
  remark_mobiles: string[];
  tags: { tag_id: string; type: number | null; name: string | null; group_name: string | null }[];
}

export interface CustomerDetail {
  customer: Omit<Selectable<CustomerTable>, 'raw_json' | 'hash' | 'run_id' | 'hidden_fields'> & { hidden_fields: string[]; raw: unknown };
  /** The members following the customer, earliest first; removed relations only with includeDeleted. */
  follows: FollowDetail[];
}

type Eb = ExpressionBuilder<Database, 'customers'>;

/** Live follow relations of the customer row in scope. */
const liveFollows = (eb: Eb) => eb.selectFrom('follow_relations as f')
  .whereRef('f.corp_id', '=', 'customers.corp_id').whereRef('f.external_userid', '=', 'customers.external_userid')
  .where('f.deleted_at', 'is', null);

async function listCustomers(db: Kysely<Database>, corpId: string, filters: CustomerFilters = {}): Promise<CustomerRow[]> {
  let query = db.selectFrom('customers')
    .select(['customers.corp_id', 'customers.external_userid', 'customers.name', 'customers.type', 'customers.gender',
      'customers.corp_name', 'customers.corp_full_name', 'customers.position', 'customers.avatar', 'customers.unionid',
      'customers.hidden_fields', 'customers.first_seen_at', 'customers.updated_at', 'customers.deleted_at'])
    .select((eb) => liveFollows(eb).select((e) => e.fn.countAll<number>().as('n')).as('followers'))
    .where('customers.corp_id', '=', corpId);
  if (!filters.includeDeleted) query = query.where('customers.deleted_at', 'is', null);
  const search = filters.search?.trim();
  if (search) {
    query = query.where((eb) => eb.or([
      containsAny(db, ['customers.name', 'customers.external_userid', 'customers.corp_name'], search),
      eb.exists(liveFollows(eb).select('f.userid').where(containsAny(db, ['f.remark', 'f.description', 'f.remark_corp_name'], search))),
    ]));
  }
  if (filters.followUser !== undefined) {
    const userid = filters.followUser;
    query = query.where((eb) => eb.exists(liveFollows(eb).select('f.userid').where('f.userid', '=', userid)));
  }
  if (filters.tagIds !== undefined) {
    const tagIds = filters.tagIds;
    if (tagIds.length === 0) return [];
    query = query.where((eb) => eb.exists(liveFollows(eb).select('f.userid')
      .where((e) => e.exists(e.selectFrom('follow_relation_tags as ft').select('ft.tag_id')
        .whereRef('ft.corp_id', '=', 'f.corp_id').whereRef('ft.external_userid', '=', 'f.external_userid')
        .whereRef('ft.userid', '=', 'f.userid').where('ft.tag_id', 'in', tagIds)))));
  }
  if (filters.departmentId !== undefined) {
    const departments = await directoryRepository.departmentSubtree(db, corpId, filters.departmentId);
    query = query.where((eb) => eb.exists(liveFollows(eb).select('f.userid')
      .where((e) => e.exists(e.selectFrom('employee_departments as ed').select('ed.userid')
        .whereRef('ed.corp_id', '=', 'f.corp_id').whereRef('ed.userid', '=', 'f.userid').where('ed.department_id', 'in', departments)))));
  }
  const rows = await query.orderBy('customers.external_userid')
    .limit(filters.limit ?? DEFAULT_LIMIT).offset(filters.offset ?? 0).execute();
  return rows.map((r) => ({ ...r, followers: Number(r.followers ?? 0) }));
}

/** A customer by exact external_userid with the members following them: remarks, tags named from the tag library. */
async function getCustomer(
  db: Kysely<Database>, corpId: string, externalUserid: string, options: { includeDeleted?: boolean } = {},
): Promise<CustomerDetail | undefined> {
  const row = await db.selectFrom('customers').selectAll()
    .where('corp_id', '=', corpId).where('external_userid', '=', externalUserid).executeTakeFirst();
  if (!row) return undefined;
  let follows = db.selectFrom('follow_relations as f')
    .leftJoin('employees as e', (j) => j.onRef('e.corp_id', '=', 'f.corp_id').onRef('e.userid', '=', 'f.userid'))
    .select(['f.userid', 'e.name as employee_name', 'f.remark', 'f.description', 'f.createtime', 'f.remark_corp_name',
      'f.remark_mobiles', 'f.oper_userid', 'f.add_way', 'f.state', 'f.hidden_fields', 'f.first_seen_at', 'f.updated_at', 'f.deleted_at'])
    .where('f.corp_id', '=', corpId).where('f.external_userid', '=', externalUserid);
  if (!options.includeDeleted) follows = follows.where('f.deleted_at', 'is', null);
  const followRows = await follows.orderBy('f.createtime').orderBy('f.userid').execute();
  // The tag library's name first (a renamed tag shows its new name), else the one the relation came with.
  const tags = await db.selectFrom('follow_relation_tags as ft')
    .leftJoin('corp_tags as t', (j) => j.onRef('t.corp_id', '=', 'ft.corp_id').onRef('t.tag_id', '=', 'ft.tag_id'))
    .leftJoin('corp_tag_groups as g', (j) => j.onRef('g.corp_id', '=', 't.corp_id').onRef('g.group_id', '=', 't.group_id'))
    .select(['ft.userid', 'ft.tag_id', 'ft.tag_type as type', sql<string | null>`coalesce(t.name, ft.tag_name)`.as('name'),
      sql<string | null>`coalesce(g.name, ft.group_name)`.as('group_name')])
    .where('ft.corp_id', '=', corpId).where('ft.external_userid', '=', externalUserid).orderBy('ft.tag_id').execute();
  const { raw_json, hash: _hash, run_id: _run, hidden_fields, ...customer } = row;
  return {
    customer: { ...customer, hidden_fields: parseJson<string[]>(hidden_fields) ?? [], raw: parseJson(raw_json) },
    follows: followRows.map((f) => ({
      ...f, remark_mobiles: parseJson<string[]>(f.remark_mobiles) ?? [],
      tags: tags.filter((t) => t.userid === f.userid).map(({ userid: _u, ...tag }) => tag),
    })),
  };
}

/** Corp tag ids for `--tag`: every tag of that name, else the text itself taken as an id. */
async function corpTagIds(db: Kysely<Database>, corpId: string, idOrName: string): Promise<string[]> {
  const rows = await db.selectFrom('corp_tags').select('tag_id').where('corp_id', '=', corpId)
    .where((eb) => eb.or([eb('tag_id', '=', idOrName), eb('name', '=', idOrName)])).execute();
  return rows.length > 0 ? rows.map((r) => r.tag_id) : [idOrName];
}

export interface CorpTagGroup {
  group_id: string;
  name: string | null;
  sort_order: number | null;
  tags: { tag_id: string; name: string | null; sort_order: number | null }[];
}

/** The live tag library in WeCom's display order (higher `order` first). */
async function listCorpTags(db: Kysely<Database>, corpId: string): Promise<CorpTagGroup[]> {
  const groups = await db.selectFrom('corp_tag_groups').select(['group_id', 'name', 'sort_order'])
    .where('corp_id', '=', corpId).where('deleted_at', 'is', null)
    .orderBy('sort_order', 'desc').orderBy('group_id').execute();
  const tags = await db.selectFrom('corp_tags as t')
    .innerJoin('corp_tag_groups as g',
      (j) => j.onRef('g.corp_id', '=', 't.corp_id').onRef('g.group_id', '=', 't.group_id'))
    .select(['t.group_id', 't.tag_id', 't.name', 't.sort_order'])
    .where('t.corp_id', '=', corpId).where('g.deleted_at', 'is', null)
    .orderBy('t.sort_order', 'desc').orderBy('t.tag_id').execute();
  return groups.map((g) => ({
    ...g, tags: tags.filter((t) => t.group_id === g.group_id).map(({ group_id: _g, ...t }) => t),
  }));
}

export type ContactWayRow = Omit<Selectable<ContactWayTable>, 'raw_json' | 'hash' | 'user_ids' | 'party_ids'> & {
  user_ids: string[];
  party_ids: number[];
};

/** Contact ways, optionally those whose remark or state contains `search`. */
async function listContactWays(
  db: Kysely<Database>, corpId: string, filters: { search?: string; includeDeleted?: boolean } = {},
): Promise<ContactWayRow[]> {
  let query = db.selectFrom('contact_ways').selectAll().where('corp_id', '=', corpId);
  if (!filters.includeDeleted) query = query.where('deleted_at', 'is', null);
  const search = filters.search?.trim();
  if (search) query = query.where(containsAny(db, ['remark', 'state'], search));
  const rows = await query.orderBy('config_id').execute();
  return rows.map(({ raw_json: _r, hash: _h, ...row }) => ({
    ...row, user_ids: parseJson<string[]>(row.user_ids) ?? [], party_ids: parseJson<number[]>(row.party_ids) ?? [],
  }));
}

export const customersRepository = Object.freeze({ listCustomers, getCustomer, corpTagIds, listCorpTags, listContactWays });
