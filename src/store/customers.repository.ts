import { type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { ContactWayTable, CustomerTable, FollowRelationTable } from './customers.table.ts';
import type { Database } from './database.ts';
import { DEFAULT_LIMIT, type Page } from './directory.repository.ts';
import { containsAny, parseJson } from './sql-kit.ts';

/** Read queries over customers, their follow relations, the corp tag library and contact ways. */

export type CustomerRow = Omit<Selectable<CustomerTable>, 'raw_json' | 'hash'> & { follower_count: number };

export interface CustomerFilters extends Page {
  /** Contained in the customer's name, external_userid or corp name, or in a follower's remark,
   * description or remark corp name. */
  search?: string;
  /** Followed by this employee (a live relation). */
  followUserid?: string;
  /** Carries this tag on a live follow relation (on followUserid's relation when both are given). */
  tagId?: string;
  includeDeleted?: boolean;
}

type FollowColumns = Omit<Selectable<FollowRelationTable>,
  'raw_json' | 'hash' | 'remark_mobiles' | 'corp_id' | 'external_userid'>;

export interface FollowDetail extends FollowColumns {
  employee_name: string | null;
  remark_mobiles: string[];
  tags: { tag_id: string; name: string | null; group_name: string | null; type: number | null }[];
}

export interface CustomerDetail {
  customer: Omit<Selectable<CustomerTable>, 'raw_json' | 'hash'> & { raw: unknown; hidden: string[] };
  /** Every follow relation, live ones first; a removed one keeps its deleted_at. */
  follows: FollowDetail[];
}

type Eb = ExpressionBuilder<Database, 'customers'>;

const liveFollow = (eb: Eb) => eb.selectFrom('follow_relations as f').select('f.userid')
  .whereRef('f.corp_id', '=', 'customers.corp_id').whereRef('f.external_userid', '=', 'customers.external_userid')
  .where('f.deleted_at', 'is', null);

async function listCustomers(
  db: Kysely<Database>, corpId: string, filters: CustomerFilters = {},
): Promise<CustomerRow[]> {
  let query = db.selectFrom('customers')
    .select(['customers.corp_id', 'customers.external_userid', 'customers.name', 'customers.type', 'customers.gender',
      'customers.corp_name', 'customers.corp_full_name', 'customers.position', 'customers.avatar', 'customers.unionid',
      'customers.hidden_fields', 'customers.first_seen_at', 'customers.updated_at', 'customers.deleted_at',
      'customers.run_id'])
    .select((eb) => eb.selectFrom(liveFollow(eb).as('lf'))
      .select((e2) => e2.fn.countAll<number>().as('n')).as('follower_count'))
    .where('customers.corp_id', '=', corpId);
  if (!filters.includeDeleted) query = query.where('customers.deleted_at', 'is', null);
  const search = filters.search?.trim();
  if (search) {
    query = query.where((eb) => eb.or([
      containsAny(db, ['customers.name', 'customers.external_userid', 'customers.corp_name'], search),
      eb.exists(liveFollow(eb).where(containsAny(db, ['f.remark', 'f.description', 'f.remark_corp_name'], search))),
    ]));
  }
  // Both filters apply to the same relation: "customers lisi tagged VIP", as WeCom tags per follower.
  const { followUserid, tagId } = filters;
  if (followUserid !== undefined || tagId !== undefined) {
    query = query.where((eb) => {
      let follows = liveFollow(eb);
      if (followUserid !== undefined) follows = follows.where('f.userid', '=', followUserid);
      if (tagId !== undefined) {
        follows = follows.where((e2) => e2.exists(e2.selectFrom('follow_relation_tags as t').select('t.tag_id')
          .whereRef('t.corp_id', '=', 'f.corp_id').whereRef('t.external_userid', '=', 'f.external_userid')
          .whereRef('t.userid', '=', 'f.userid').where('t.tag_id', '=', tagId)));
      }
      return eb.exists(follows);
    });
  }
  const rows = await query.orderBy('customers.external_userid')
    .limit(filters.limit ?? DEFAULT_LIMIT).offset(filters.offset ?? 0).execute();
  return rows.map((r) => ({ ...r, follower_count: Number(r.follower_count ?? 0) }));
}

/** One customer by exact external_userid, with every follow relation, its remarks and named tags. */
async function getCustomer(
  db: Kysely<Database>, corpId: string, externalUserid: string,
): Promise<CustomerDetail | undefined> {
  const row = await db.selectFrom('customers').selectAll()
    .where('corp_id', '=', corpId).where('external_userid', '=', externalUserid).executeTakeFirst();
  if (!row) return undefined;
  const follows = await db.selectFrom('follow_relations as f')
    .leftJoin('employees as e', (j) => j.onRef('e.corp_id', '=', 'f.corp_id').onRef('e.userid', '=', 'f.userid'))
    .select(['f.userid', 'e.name as employee_name', 'f.remark', 'f.description', 'f.createtime', 'f.remark_corp_name',
      'f.remark_mobiles', 'f.oper_userid', 'f.add_way', 'f.state', 'f.hidden_fields', 'f.first_seen_at', 'f.updated_at',
      'f.deleted_at', 'f.run_id'])
    .where('f.corp_id', '=', corpId).where('f.external_userid', '=', externalUserid).execute();
  // Names come from the relation itself (externalcontact/get) or else from the live tag library.
  const tags = await db.selectFrom('follow_relation_tags as t')
    .leftJoin('corp_tags as ct', (j) => j.onRef('ct.corp_id', '=', 't.corp_id').onRef('ct.tag_id', '=', 't.tag_id'))
    .leftJoin('corp_tag_groups as g',
      (j) => j.onRef('g.corp_id', '=', 'ct.corp_id').onRef('g.group_id', '=', 'ct.group_id'))
    .select((eb) => ['t.userid', 't.tag_id', 't.tag_type as type',
      eb.fn.coalesce('t.tag_name', 'ct.name').as('name'), eb.fn.coalesce('t.group_name', 'g.name').as('group_name')])
    .where('t.corp_id', '=', corpId).where('t.external_userid', '=', externalUserid).orderBy('t.tag_id').execute();
  const { raw_json, hash: _hash, ...customer } = row;
  return {
    customer: { ...customer, raw: parseJson(raw_json), hidden: parseJson<string[]>(customer.hidden_fields) ?? [] },
    follows: follows
      .map((f) => ({
        ...f,
        remark_mobiles: parseJson<string[]>(f.remark_mobiles) ?? [],
        tags: tags.filter((t) => t.userid === f.userid).map(({ userid: _u, ...t }) => t),
      }))
      .sort((a, b) => Number(a.deleted_at !== null) - Number(b.deleted_at !== null)
        || (a.userid < b.userid ? -1 : a.userid > b.userid ? 1 : 0)),
  };
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

export const customersRepository = Object.freeze({ listCustomers, getCustomer, listCorpTags, listContactWays });
