import pg from 'pg';
import { afterEach, expect, it, vi } from 'vitest';
import { startBackground } from '../../src/jobs/index.ts';
import { openStore } from '../../src/store/open.ts';
import { createTestDatabase, skipDialect, TEST_DATABASE_URL } from '../helpers/databases.ts';
import { startTestSandbox, writeConfig } from '../sync/helpers.ts';
import { bossSchema, collectingLog, runtimeFor, tempDir, type LogEntry } from './helpers.ts';

/**
 * pg-boss keeps to a schema of its own: its tables and migrations never enter the store's schema,
 * the store's migrations are the same before and after, and a second start changes nothing.
 */

vi.setConfig({ testTimeout: 120_000 });

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  cleanups = [];
});

async function query<T>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

it.skipIf(skipDialect('postgres'))('creates its tables in its own schema and leaves the store\'s migrations alone', async () => {
  const sandbox = await startTestSandbox({ seed: 51 });
  cleanups.push(() => sandbox.close());
  const database = await createTestDatabase('postgres');
  cleanups.push(() => database.drop());
  const schema = bossSchema();
  cleanups.push(() => schema.drop());
  const storeSchema = new URL(database.databaseUrl!).searchParams.get('options')!.match(/search_path=([^,\s]+)/)![1]!;
  const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
  const tables = async (name: string) => (await query<{ t: string }>('select table_name as t from information_schema.tables where table_schema = $1 order by 1', [name])).map((r) => r.t);
  const migrations = async () => (await store.db.selectFrom('kysely_migration' as never).select('name' as never).execute()).map((r: any) => r.name);
  const storeTables = await tables(storeSchema);
  const applied = await migrations();

  const config = writeConfig(tempDir('wa-boss-'), sandbox, database);
  for (const run of [1, 2]) {
    const rt = await runtimeFor(config, { SYNC_INTERVAL_HOURS: '0', RECONCILE_INTERVAL_HOURS: '0', ARCHIVE_POLL_SECONDS: '0' });
    const entries: LogEntry[] = [];
    const background = await startBackground(rt, collectingLog(entries, `run ${run}`), { pgBossSchema: schema.name });
    await background.stop();
    await rt.close();
    expect(entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
  }

  expect(await tables(storeSchema)).toEqual(storeTables);
  expect(await migrations()).toEqual(applied);
  expect(await tables(schema.name)).toEqual(expect.arrayContaining(['job', 'queue', 'schedule', 'version']));
  // Ours are stately (one waiting, one active); pg-boss's own cron queue is its business.
  const queues = await query<{ name: string; policy: string }>(`select name, policy from ${schema.name}.queue where name not like '\\_\\_pgboss%' order by name`);
  expect(queues).toEqual([{ name: `sync-${sandbox.corpId}`, policy: 'stately' }]);
  await store.close();
});
