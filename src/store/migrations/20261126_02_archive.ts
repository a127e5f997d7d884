import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Chat-archive tables (messages.table.ts) and their full-text index: SQLite FTS5 with the trigram
 * tokenizer (works for Chinese, which has no spaces to split words on), PostgreSQL pg_trgm GIN.
 * Both index substrings of 3+ characters; shorter queries fall back to LIKE (message-search.ts).
 * Frozen in time: takes `Kysely<any>`; dialect branches only where the SQL differs.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

async function createMessages(db: Kysely<any>): Promise<void> {
  // SQLite: `integer primary key` aliases the rowid, which FTS5 external content needs to be stable
  // (an implicit rowid may be renumbered by VACUUM). PostgreSQL: an identity column.
  const table = isPostgres(db)
    ? db.schema.createTable('messages').addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    : db.schema.createTable('messages').addColumn('id', 'integer', (c) => c.primaryKey());
  await table
    .addColumn('corp_id', 'text', (c) => c.notNull().references('corps.corp_id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('msgid', 'text', (c) => c.notNull())
    .addColumn('publickey_ver', 'integer')
    .addColumn('encrypt_random_key', 'text', (c) => c.notNull())
    .addColumn('encrypt_chat_msg', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('action', 'text').addColumn('msgtype', 'text').addColumn('conversation_id', 'text')
    .addColumn('sender', 'text').addColumn('receivers', 'text').addColumn('msgtime', 'bigint')
    .addColumn('search_text', 'text').addColumn('raw_json', 'text')
    .addColumn('prev_hash', 'text').addColumn('hash', 'text')
    .addColumn('ingested_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('messages_msgid_unique', ['corp_id', 'msgid'])
    .execute();
  const indexes: Array<[string, string[]]> = [
    ['messages_seq', ['corp_id', 'seq']],
    ['messages_conversation', ['corp_id', 'conversation_id', 'msgtime']],
    ['messages_time', ['corp_id', 'msgtime']],
    ['messages_sender', ['corp_id', 'sender', 'msgtime']],
    ['messages_status', ['corp_id', 'status']],
  ];
  for (const [name, columns] of indexes) await db.schema.createIndex(name).on('messages').columns(columns).execute();
}

async function createSidecars(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('message_media')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('msgid', 'text', (c) => c.notNull())
    .addColumn('item_path', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text')
    .addColumn('sdkfileid', 'text', (c) => c.notNull())
    .addColumn('md5sum', 'text').addColumn('size', 'bigint').addColumn('filename', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stored_path', 'text').addColumn('sha256', 'text').addColumn('mime', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_media_pk', ['corp_id', 'msgid', 'item_path'])
    .addForeignKeyConstraint('message_media_message_fk', ['corp_id', 'msgid'], 'messages', ['corp_id', 'msgid'],
      (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('message_media_status').on('message_media').columns(['corp_id', 'status']).execute();

  await db.schema.createTable('conversations')
    .addColumn('corp_id', 'text', (c) => c.notNull().references('corps.corp_id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('last_msgtime', 'bigint')
    .addPrimaryKeyConstraint('conversations_pk', ['corp_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('conversations_recent').on('conversations').columns(['corp_id', 'last_msgtime']).execute();

  await db.schema.createTable('message_attempts')
    .addColumn('corp_id', 'text', (c) => c.notNull().references('corps.corp_id'))
    .addColumn('msgid', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('first_failed_at', 'bigint', (c) => c.notNull())
    .addColumn('last_failed_at', 'bigint', (c) => c.notNull())
    .addColumn('quarantined', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('message_attempts_pk', ['corp_id', 'msgid'])
    .execute();
}

/** External-content FTS5 table kept in sync by triggers, so no writer can forget to index a message. */
async function createSqliteSearch(db: Kysely<any>): Promise<void> {
  await sql`create virtual table messages_fts using fts5(
    search_text, content='messages', content_rowid='id', tokenize='trigram')`.execute(db);
  await sql`create trigger messages_fts_insert after insert on messages when new.search_text is not null begin
    insert into messages_fts(rowid, search_text) values (new.id, new.search_text);
  end`.execute(db);
  await sql`create trigger messages_fts_delete after delete on messages when old.search_text is not null begin
    insert into messages_fts(messages_fts, rowid, search_text) values ('delete', old.id, old.search_text);
  end`.execute(db);
  await sql`create trigger messages_fts_update after update of search_text on messages begin
    insert into messages_fts(messages_fts, rowid, search_text)
      select 'delete', old.id, old.search_text where old.search_text is not null;
    insert into messages_fts(rowid, search_text) select new.id, new.search_text where new.search_text is not null;
  end`.execute(db);
}

/**
 * pg_trgm is database-wide and may live in any schema (`public` usually); the operator class is
 * qualified with that schema so the index works whatever this connection's search_path is.
 */
async function createPostgresSearch(db: Kysely<any>): Promise<void> {
  const find = () => sql<{ schema: string }>`
    select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db);
  let found = (await find()).rows[0];
  if (!found) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    found = (await find()).rows[0];
  }
  await sql`create index messages_search_trgm on messages
    using gin (search_text ${sql.raw(`${found!.schema}.gin_trgm_ops`)})`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await createMessages(db);
  await createSidecars(db);
  if (isPostgres(db)) await createPostgresSearch(db);
  else await createSqliteSearch(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await sql`drop table messages_fts`.execute(db);
  for (const table of ['message_attempts', 'conversations', 'message_media', 'messages']) {
    await db.schema.dropTable(table).execute();
  }
}
