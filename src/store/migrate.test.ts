import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Migrator, NO_MIGRATIONS, sql } from 'kysely';
import { expect, it } from 'vitest';
import { describe } from 'vitest';
import { createTestDatabase, describeStores, DIALECTS, skipDialect } from '../../test/helpers/databases.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { openStore } from './open.ts';

const ALL = Object.keys(migrations).sort();
const CHILD = fileURLToPath(new URL('../../test/helpers/store-child.ts', import.meta.url));

describeStores('migrations', (getStore) => {
  it('are idempotent: a second run applies nothing', async () => {
    const { db, dialect } = getStore();
    expect(await migrateToLatest(db, dialect)).toEqual([]);
    const ran = await db.selectFrom('kysely_migration' as never).select('name' as never).execute();
    expect((ran as { name: string }[]).map((r) => r.name).sort()).toEqual(ALL);
  });

  it('can be rolled back completely and applied again', async () => {
    const { db, dialect } = getStore();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations },
      migrationTableSchema: dialect === 'postgres' ? await schemaOf(db) : undefined });
    const down = await migrator.migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(await userTables(db, dialect)).toEqual([]);
    expect(await migrateToLatest(db, dialect)).toEqual(ALL);
    expect(await userTables(db, dialect)).toContain('messages');
  });
}, { freshPerTest: true });

async function schemaOf(db: Parameters<typeof migrateToLatest>[0]): Promise<string> {
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
  return rows[0]!.s;
}

async function userTables(db: Parameters<typeof migrateToLatest>[0], dialect: string): Promise<string[]> {
  const query = dialect === 'postgres'
    ? sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`
    : sql<{ name: string }>`select name from sqlite_master where type = 'table'`;
  const { rows } = await query.execute(db);
  return rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_')).sort();
}

/** Starts a child that migrates when released; resolves with its handle once it is ready. */
function startChild(dataDir: string, databaseUrl?: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, databaseUrl ?? ''], {
    stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => { if (stdout.includes('ready\n')) resolve(); });
    void exited.then((r) => reject(new Error(`child exited before ready: ${r.stderr}`)));
  });
  return { ready, exited, release: () => child.stdin.end('go\n') };
}

for (const dialect of DIALECTS) {
  describe(`concurrent migrations [${dialect}]`, () => {
    it.skipIf(skipDialect(dialect))('two processes migrating one fresh database both succeed, and the schema is created once', async () => {
      const database = await createTestDatabase(dialect);
      try {
        const children = [startChild(database.dataDir, database.databaseUrl), startChild(database.dataDir, database.databaseUrl)];
        await Promise.all(children.map((c) => c.ready));
        for (const c of children) c.release();
        const results = await Promise.all(children.map((c) => c.exited));
        for (const r of results) expect(r.code, r.stderr).toBe(0);
        const applied = results.map((r) => (JSON.parse(r.stdout.trim().split('\n').pop()!) as { applied: string[] }).applied);
        expect(applied.flat().sort()).toEqual(ALL);

        const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, migrate: false });
        try {
          const { rows } = await sql<{ name: string; n: number }>`select name, count(*) as n from kysely_migration group by name order by name`.execute(store.db);
          expect(rows).toEqual(ALL.map((name) => ({ name, n: 1 })));
          expect(await userTables(store.db, dialect)).toContain('employees');
        } finally {
          await store.close();
        }
      } finally {
        await database.drop();
      }
    });
  });
}
