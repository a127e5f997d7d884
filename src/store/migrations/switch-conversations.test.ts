import { Migrator, sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { prepareMessage } from '../../archive/ingest/records.ts';
import { searchArchive } from '../../archive/reading/search.ts';
import { describeStores } from '../../../test/helpers/databases.ts';
import { migrations } from './index.ts';

/**
 * A switch entry stored before 20261207_01 (no conversation, no search text) ends with exactly the
 * columns a pull with today's parser writes, and in its member's system conversation.
 */

const CORP = 'wwswitchcorp000001';
const RAW = JSON.stringify({ msgid: 'sw1', action: 'switch', time: 1_764_000_000_000, user: 'zhangsan' });

describeStores('migration 20261207_01: switch entries get their system conversation', (getStore) => {
  it('fills the columns the parser writes now, and the conversation row', async () => {
    const { db } = getStore();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations },
      migrationTableSchema: getStore().dialect === 'postgres' ? await schemaOf(db) : undefined });
    expect((await migrator.migrateTo('20261127_01_archive_coverage')).error).toBeUndefined();

    await db.insertInto('corps').values({ corp_id: CORP, name: null, created_at: 1 }).execute();
    await db.insertInto('messages').values({
      corp_id: CORP, seq: 1n, msgid: 'sw1', publickey_ver: 1, encrypt_random_key: 'k', encrypt_chat_msg: 'c', status: 'decrypted',
      action: 'switch', msgtype: 'switch', conversation_id: null, sender: 'zhangsan', receivers: '[]', msgtime: 1_764_000_000_000,
      search_text: null, raw_json: RAW, prev_hash: null, hash: 'h', ingested_at: 1,
    } as never).execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();

    const now = prepareMessage({ seq: 1n, msgid: 'sw1' } as never, { ok: true, json: RAW } as never);
    const row = await db.selectFrom('messages').select(['conversation_id', 'search_text']).where('msgid', '=', 'sw1').executeTakeFirstOrThrow();
    expect(row).toEqual({ conversation_id: now.fields.conversation_id, search_text: now.fields.search_text });
    expect(row.conversation_id).toBe('system:zhangsan');
    const conversation = await db.selectFrom('conversations').selectAll().where('corp_id', '=', CORP).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ conversation_id: 'system:zhangsan', kind: now.conversation!.kind, last_msgtime: 1_764_000_000_000 });
    // Found by search through the full-text index (the SQLite trigger indexes the updated text).
    const found = await searchArchive(db, CORP, { text: '切换企业', limit: 10 });
    expect(found.hits.map((hit) => hit.msgid)).toEqual(['sw1']);
  });
}, { freshPerTest: true });

async function schemaOf(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
  return rows[0]!.s;
}
