import type { Insertable } from 'kysely';
import type { Database } from './database.ts';
import type { RecordColumns } from './record.table.ts';

/**
 * The synced entities, declared once: which table, which columns form the record's key, which typed
 * columns it has, and which child tables hold its lists (a member's departments, a group's members).
 * Child rows are part of the record: hashed with it, replaced with it when it changes, untouched when
 * it does not. records.ts works from this table alone; the types below are derived from it, and a
 * compile-time check (bottom) fails if a table gains a column that is not listed here.
 */
export const ENTITIES = {
  departments: {
    key: ['department_id'],
    columns: ['name', 'name_en', 'parent_id', 'sort_order', 'leader_userids'],
    children: {},
  },
  employees: {
    key: ['userid'],
    columns: [
      'name', 'alias', 'position', 'main_department', 'status', 'gender', 'mobile', 'email', 'biz_mail',
      'telephone', 'avatar', 'open_userid', 'direct_leaders', 'external_position',
    ],
    children: {
      departments: {
        table: 'employee_departments', key: 'department_id', columns: ['department_id', 'sort_order', 'is_leader'],
      },
    },
  },
  member_tags: {
    key: ['tag_id'],
    columns: ['name'],
    children: {
      users: { table: 'member_tag_users', key: 'userid', columns: ['userid'] },
      departments: { table: 'member_tag_departments', key: 'department_id', columns: ['department_id'] },
    },
  },
  customers: {
    key: ['external_userid'],
    columns: ['name', 'type', 'gender', 'corp_name', 'corp_full_name', 'position', 'avatar', 'unionid'],
    children: {},
  },
  follow_relations: {
    key: ['external_userid', 'userid'],
    columns: [
      'remark', 'description', 'createtime', 'remark_corp_name', 'remark_mobiles', 'oper_userid', 'add_way', 'state',
    ],
    children: {
      tags: { table: 'follow_relation_tags', key: 'tag_id', columns: ['tag_id', 'tag_type', 'tag_name', 'group_name'] },
    },
  },
  corp_tag_groups: {
    key: ['group_id'],
    columns: ['name', 'create_time', 'sort_order'],
    children: {
      tags: { table: 'corp_tags', key: 'tag_id', columns: ['tag_id', 'name', 'create_time', 'sort_order'] },
    },
  },
  customer_groups: {
    key: ['chat_id'],
    columns: ['name', 'owner', 'create_time', 'notice', 'status'],
    children: {
      members: {
        table: 'group_members', key: 'member_id',
        columns: [
          'member_id', 'type', 'unionid', 'join_time', 'join_scene', 'invitor', 'group_nickname', 'name', 'state',
        ],
      },
      admins: { table: 'group_admins', key: 'userid', columns: ['userid'] },
    },
  },
  contact_ways: {
    key: ['config_id'],
    columns: [
      'type', 'scene', 'style', 'remark', 'skip_verify', 'state', 'qr_code', 'is_temp', 'expires_in',
      'chat_expires_in', 'unionid', 'user_ids', 'party_ids',
    ],
    children: {},
  },
} as const satisfies Record<string, EntitySpec>;

export interface ChildSpec {
  table: keyof Database;
  /** The column that tells one child of a record from another (duplicates from WeCom collapse on it). */
  key: string;
  columns: readonly string[];
}

export interface EntitySpec {
  key: readonly string[];
  columns: readonly string[];
  children: Readonly<Record<string, ChildSpec>>;
}

export type EntityName = keyof typeof ENTITIES;
type Spec<E extends EntityName> = (typeof ENTITIES)[E];
export type KeyColumn<E extends EntityName> = Spec<E>['key'][number];
type DataColumn<E extends EntityName> = Spec<E>['columns'][number];
type Children<E extends EntityName> = Spec<E>['children'];

type Pick2<T extends keyof Database, C> = Pick<Insertable<Database[T]>, C & keyof Insertable<Database[T]>>;
type ChildShape<T extends keyof Database, C> = { table: T; columns: readonly C[] };
type ChildRow<S> = S extends ChildShape<infer T, infer C> ? Pick2<T, C> : never;

/**
 * What the sync hands to `upsertRecords` for entity E: the typed columns (nullable ones optional; a
 * missing one is stored as null), the raw WeCom JSON, the fields the credential could not see, and
 * one array per child table.
 */
export type RecordInput<E extends EntityName> = RecordFields<E> & {
  raw: unknown;
  hidden_fields?: readonly string[];
} & { [F in keyof Children<E>]: ChildRow<Children<E>[F]>[] };

/** The typed columns of entity E (its key included). */
export type RecordFields<E extends EntityName> = Pick2<E, KeyColumn<E> | DataColumn<E>>;

/** A record's identity, e.g. `{ userid: 'zhangsan' }`; a whole RecordInput also fits. */
export type RecordKey<E extends EntityName> = Pick2<E, KeyColumn<E>>;

// ---- compile-time check: every column of every entity and child table is listed above ----------
type Columns<T extends keyof Database> = Exclude<keyof Database[T], keyof RecordColumns | 'corp_id'>;
type UnlistedEntityColumns = {
  [E in EntityName]: Exclude<Columns<E>, KeyColumn<E> | DataColumn<E>>;
}[EntityName];
type UnlistedChildColumns = {
  [E in EntityName]: {
    [F in keyof Children<E>]: Children<E>[F] extends ChildShape<infer T, infer C>
      ? Exclude<Columns<T>, C | KeyColumn<E>> : never;
  }[keyof Children<E>];
}[EntityName];
const everyColumnListed: [UnlistedEntityColumns | UnlistedChildColumns] extends [never]
  ? true : { unlisted: UnlistedEntityColumns | UnlistedChildColumns } = true;
void everyColumnListed;
