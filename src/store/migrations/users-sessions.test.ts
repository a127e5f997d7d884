import { Migrator, sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeStores } from '../../../test/helpers/databases.ts';
import { migrations } from './index.ts';

/** A token made before roles existed (20261207_02) is an auditor over every corp after 20261207_04. */

describeStores('migration 20261207_04: tokens made before roles become auditors', (getStore) => {
  it('gives an existing token the auditor role over every corp', async () => {
    const { db } = getStore();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations },
      migrationTableSchema: getStore().dialect === 'postgres' ? await schemaOf(db) : undefined });
    expect((await migrator.migrateTo('20261207_03_callback_inbox')).error).toBeUndefined();
    await sql`insert into api_tokens (id, name, token_hash, prefix, created_at) values ('t1', 'old', 'h', 'wca_abcdef', 1)`.execute(db);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const row = await db.selectFrom('api_tokens').select(['role', 'corps', 'departments']).where('id', '=', 't1').executeTakeFirstOrThrow();
    expect(row).toEqual({ role: 'auditor', corps: '[]', departments: '[]' });
  });
}, { freshPerTest: true });

async function schemaOf(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
  return rows[0]!.s;
}
