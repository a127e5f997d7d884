import type { Kysely } from 'kysely';

/**
 * Archive coverage (archive-coverage.table.ts): the permit list, customers' consent history, names
 * of groups and robots, and when each was refreshed. Frozen in time: takes `Kysely<any>`.
 */

export async function up(db: Kysely<any>): Promise<void> {
  const corp = (name: string) => db.schema.createTable(name)
    .addColumn('corp_id', 'text', (c) => c.notNull().references('corps.corp_id'));

  await corp('archive_permit_users')
    .addColumn('userid', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('archive_permit_users_pk', ['corp_id', 'userid'])
    .execute();

  await corp('archive_consents')
    .addColumn('external_userid', 'text', (c) => c.notNull())
    .addColumn('party_kind', 'text', (c) => c.notNull())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_change_time', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('msgid', 'text')
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('archive_consents_pk',
      ['corp_id', 'external_userid', 'party_kind', 'party_id', 'source', 'status_change_time'])
    .execute();
  // "Who refuses" reads the latest row per pair; this serves it without touching the table.
  await db.schema.createIndex('archive_consents_status').on('archive_consents')
    .columns(['corp_id', 'status', 'status_change_time']).execute();

  await corp('archive_rooms')
    .addColumn('roomid', 'text', (c) => c.notNull())
    .addColumn('room_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('owner', 'text')
    .addColumn('notice', 'text')
    .addColumn('room_create_time', 'bigint')
    .addColumn('members', 'text')
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('archive_rooms_pk', ['corp_id', 'roomid'])
    .execute();

  await corp('archive_robots')
    .addColumn('robot_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('creator_userid', 'text')
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('archive_robots_pk', ['corp_id', 'robot_id'])
    .execute();

  await corp('archive_coverage_state')
    .addColumn('part', 'text', (c) => c.notNull())
    .addColumn('refreshed_at', 'bigint')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('archive_coverage_state_pk', ['corp_id', 'part'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['archive_coverage_state', 'archive_robots', 'archive_rooms', 'archive_consents', 'archive_permit_users']) {
    await db.schema.dropTable(table).execute();
  }
}
