import type { CreateTableBuilder, Kysely } from 'kysely';

/**
 * Corps, sync bookkeeping, directory, customers, tag library, groups and contact ways.
 * Frozen in time (Kysely's convention): it takes `Kysely<any>` and never imports today's types.
 * Portable DDL only: `bigint` is INTEGER affinity on SQLite and int8 on PostgreSQL.
 */

type Table = CreateTableBuilder<string, string>;

/** The raw-records bookkeeping columns (record.table.ts), copied here so this migration never changes. */
function recordColumns(table: Table): Table {
  return table
    .addColumn('raw_json', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('hidden_fields', 'text')
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addColumn('run_id', 'text');
}

function corp(table: Table): Table {
  return table.addColumn('corp_id', 'text', (c) => c.notNull().references('corps.corp_id'));
}

/** A child table's rows belong to one parent record and go with it. */
function childTable(db: Kysely<any>, name: string, parent: string, keys: string[]): Table {
  return corp(db.schema.createTable(name)).addForeignKeyConstraint(`${name}_parent_fk`,
    ['corp_id', ...keys], parent, ['corp_id', ...keys], (fk) => fk.onDelete('cascade'));
}

async function createSyncTables(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('corps')
    .addColumn('corp_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await corp(db.schema.createTable('sync_cursors'))
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_cursors_pk', ['corp_id', 'stream'])
    .execute();
  await corp(db.schema.createTable('sync_runs').addColumn('id', 'text', (c) => c.primaryKey()))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_runs_corp_started').on('sync_runs').columns(['corp_id', 'started_at']).execute();
}

async function createDirectoryTables(db: Kysely<any>): Promise<void> {
  await recordColumns(corp(db.schema.createTable('departments'))
    .addColumn('department_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('name_en', 'text')
    .addColumn('parent_id', 'bigint')
    .addColumn('sort_order', 'bigint')
    .addColumn('leader_userids', 'text')
    .addPrimaryKeyConstraint('departments_pk', ['corp_id', 'department_id']))
    .execute();
  await db.schema.createIndex('departments_parent').on('departments').columns(['corp_id', 'parent_id']).execute();

  await recordColumns(corp(db.schema.createTable('employees'))
    .addColumn('userid', 'text', (c) => c.notNull())
    .addColumn('name', 'text').addColumn('alias', 'text').addColumn('position', 'text')
    .addColumn('main_department', 'bigint').addColumn('status', 'integer')
    .addColumn('gender', 'text').addColumn('mobile', 'text').addColumn('email', 'text').addColumn('biz_mail', 'text')
    .addColumn('telephone', 'text').addColumn('avatar', 'text').addColumn('open_userid', 'text')
    .addColumn('direct_leaders', 'text').addColumn('external_position', 'text')
    .addPrimaryKeyConstraint('employees_pk', ['corp_id', 'userid']))
    .execute();
  await childTable(db, 'employee_departments', 'employees', ['userid'])
    .addColumn('userid', 'text', (c) => c.notNull())
    .addColumn('department_id', 'bigint', (c) => c.notNull())
    .addColumn('sort_order', 'bigint')
    .addColumn('is_leader', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('employee_departments_pk', ['corp_id', 'userid', 'department_id'])
    .execute();
  await db.schema.createIndex('employee_departments_dept').on('employee_departments')
    .columns(['corp_id', 'department_id']).execute();

  await recordColumns(corp(db.schema.createTable('member_tags'))
    .addColumn('tag_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text')
    .addPrimaryKeyConstraint('member_tags_pk', ['corp_id', 'tag_id']))
    .execute();
  await childTable(db, 'member_tag_users', 'member_tags', ['tag_id'])
    .addColumn('tag_id', 'bigint', (c) => c.notNull())
    .addColumn('userid', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_tag_users_pk', ['corp_id', 'tag_id', 'userid'])
    .execute();
  await db.schema.createIndex('member_tag_users_user').on('member_tag_users').columns(['corp_id', 'userid']).execute();
  await childTable(db, 'member_tag_departments', 'member_tags', ['tag_id'])
    .addColumn('tag_id', 'bigint', (c) => c.notNull())
    .addColumn('department_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_tag_departments_pk', ['corp_id', 'tag_id', 'department_id'])
    .execute();
}

async function createCustomerTables(db: Kysely<any>): Promise<void> {
  await recordColumns(corp(db.schema.createTable('customers'))
    .addColumn('external_userid', 'text', (c) => c.notNull())
    .addColumn('name', 'text').addColumn('type', 'integer').addColumn('gender', 'integer')
    .addColumn('corp_name', 'text').addColumn('corp_full_name', 'text').addColumn('position', 'text')
    .addColumn('avatar', 'text').addColumn('unionid', 'text')
    .addPrimaryKeyConstraint('customers_pk', ['corp_id', 'external_userid']))
    .execute();

  await recordColumns(corp(db.schema.createTable('follow_relations'))
    .addColumn('external_userid', 'text', (c) => c.notNull())
    .addColumn('userid', 'text', (c) => c.notNull())
    .addColumn('remark', 'text').addColumn('description', 'text').addColumn('createtime', 'bigint')
    .addColumn('remark_corp_name', 'text').addColumn('remark_mobiles', 'text').addColumn('oper_userid', 'text')
    .addColumn('add_way', 'integer').addColumn('state', 'text')
    .addPrimaryKeyConstraint('follow_relations_pk', ['corp_id', 'external_userid', 'userid']))
    .execute();
  await db.schema.createIndex('follow_relations_user').on('follow_relations').columns(['corp_id', 'userid']).execute();
  await childTable(db, 'follow_relation_tags', 'follow_relations', ['external_userid', 'userid'])
    .addColumn('external_userid', 'text', (c) => c.notNull())
    .addColumn('userid', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'text', (c) => c.notNull())
    .addColumn('tag_type', 'integer').addColumn('tag_name', 'text').addColumn('group_name', 'text')
    .addPrimaryKeyConstraint('follow_relation_tags_pk', ['corp_id', 'external_userid', 'userid', 'tag_id'])
    .execute();
  await db.schema.createIndex('follow_relation_tags_tag').on('follow_relation_tags')
    .columns(['corp_id', 'tag_id']).execute();

  await recordColumns(corp(db.schema.createTable('corp_tag_groups'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text').addColumn('create_time', 'bigint').addColumn('sort_order', 'bigint')
    .addPrimaryKeyConstraint('corp_tag_groups_pk', ['corp_id', 'group_id']))
    .execute();
  await childTable(db, 'corp_tags', 'corp_tag_groups', ['group_id'])
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text').addColumn('create_time', 'bigint').addColumn('sort_order', 'bigint')
    .addPrimaryKeyConstraint('corp_tags_pk', ['corp_id', 'group_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('corp_tags_tag').on('corp_tags').columns(['corp_id', 'tag_id']).execute();

  await recordColumns(corp(db.schema.createTable('contact_ways'))
    .addColumn('config_id', 'text', (c) => c.notNull())
    .addColumn('type', 'integer').addColumn('scene', 'integer').addColumn('style', 'integer')
    .addColumn('remark', 'text').addColumn('skip_verify', 'integer').addColumn('state', 'text')
    .addColumn('qr_code', 'text').addColumn('is_temp', 'integer').addColumn('expires_in', 'bigint')
    .addColumn('chat_expires_in', 'bigint').addColumn('unionid', 'text')
    .addColumn('user_ids', 'text').addColumn('party_ids', 'text')
    .addPrimaryKeyConstraint('contact_ways_pk', ['corp_id', 'config_id']))
    .execute();
}

async function createGroupTables(db: Kysely<any>): Promise<void> {
  await recordColumns(corp(db.schema.createTable('customer_groups'))
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text').addColumn('owner', 'text').addColumn('create_time', 'bigint')
    .addColumn('notice', 'text').addColumn('status', 'integer')
    .addPrimaryKeyConstraint('customer_groups_pk', ['corp_id', 'chat_id']))
    .execute();
  await db.schema.createIndex('customer_groups_owner').on('customer_groups').columns(['corp_id', 'owner']).execute();
  await childTable(db, 'group_members', 'customer_groups', ['chat_id'])
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('type', 'integer').addColumn('unionid', 'text').addColumn('join_time', 'bigint')
    .addColumn('join_scene', 'integer').addColumn('invitor', 'text').addColumn('group_nickname', 'text')
    .addColumn('name', 'text').addColumn('state', 'text')
    .addPrimaryKeyConstraint('group_members_pk', ['corp_id', 'chat_id', 'member_id'])
    .execute();
  await db.schema.createIndex('group_members_member').on('group_members').columns(['corp_id', 'member_id']).execute();
  await childTable(db, 'group_admins', 'customer_groups', ['chat_id'])
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('userid', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_admins_pk', ['corp_id', 'chat_id', 'userid'])
    .execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await createSyncTables(db);
  await createDirectoryTables(db);
  await createCustomerTables(db);
  await createGroupTables(db);
}

const TABLES_IN_CREATION_ORDER = [
  'corps', 'sync_cursors', 'sync_runs',
  'departments', 'employees', 'employee_departments', 'member_tags', 'member_tag_users', 'member_tag_departments',
  'customers', 'follow_relations', 'follow_relation_tags', 'corp_tag_groups', 'corp_tags', 'contact_ways',
  'customer_groups', 'group_members', 'group_admins',
];

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...TABLES_IN_CREATION_ORDER].reverse()) await db.schema.dropTable(table).execute();
}
