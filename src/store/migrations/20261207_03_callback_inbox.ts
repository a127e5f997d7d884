import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * The callback inbox (inbox.table.ts). SQLite: `integer primary key` aliases the rowid (ids grow; rows
 * are never deleted). No foreign key to `corps`: a callback may arrive before the
 * first sync has created the corp's row. Frozen in time: takes `Kysely<any>`.
 */

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const table = postgres
    ? db.schema.createTable('callback_inbox').addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    : db.schema.createTable('callback_inbox').addColumn('id', 'integer', (c) => c.primaryKey());
  await table
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('event_kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('record_key', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('applied_at', 'bigint')
    .addColumn('claim_token', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('effect_entity', 'text')
    .addColumn('effect_record', 'text')
    .addColumn('effect_actor', 'text')
    .addColumn('effect_change', 'text')
    .addUniqueConstraint('callback_inbox_dedupe', ['corp_id', 'dedupe_key'])
    .execute();
  // The claim scans due events; the ordering check looks up earlier events of one record.
  await db.schema.createIndex('callback_inbox_due').on('callback_inbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('callback_inbox_record').on('callback_inbox').columns(['corp_id', 'record_key', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('callback_inbox').execute();
}
