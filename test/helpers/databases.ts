import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import type { Store, StoreDialect } from '../../src/store/database.ts';
import { openStore } from '../../src/store/open.ts';

/**
 * Runs store tests against SQLite and PostgreSQL, each on a database nobody else uses:
 * - SQLite: a file in a fresh temp directory;
 * - PostgreSQL: a fresh schema in TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 *   selected with `options=-c search_path=…` on the connection URL, dropped afterwards.
 * Test files run in parallel forks and several people run tests at once: nothing is shared but the
 * pg_trgm extension, which is database-wide and is created once, in `public`.
 *
 * When PostgreSQL is unreachable the PostgreSQL half fails under CI=true and is skipped (with a
 * warning on stderr) otherwise.
 */

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const DIALECTS: readonly StoreDialect[] = ['sqlite', 'postgres'];

/** A database location nobody else uses, not yet opened: what openStore takes, plus its removal. */
export interface TestDatabase {
  dialect: StoreDialect;
  dataDir: string;
  databaseUrl?: string;
  drop(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(dialect: StoreDialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wecom-archive-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') return { dialect, dataDir, drop: async () => removeDir() };

  const schema = `wa_test_${process.pid}_${(counter += 1)}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(async (admin) => {
    await ensureTrigram(admin);
    await admin.query(`create schema ${schema}`);
  });
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return {
    dialect,
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      removeDir();
      await withAdmin((admin) => admin.query(`drop schema if exists ${schema} cascade`));
    },
  };
}

/** A fresh, migrated store; close and drop it with `dispose`. */
export async function openTestStore(dialect: StoreDialect): Promise<{ store: Store; dispose(): Promise<void> }> {
  const database = await createTestDatabase(dialect);
  try {
    const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
    return { store, dispose: async () => { await store.close(); await database.drop(); } };
  } catch (err) {
    await database.drop();
    throw err;
  }
}

export interface DescribeStoresOptions {
  /**
   * A new database for every test, on PostgreSQL too (for tests that change the schema itself).
   * Default: SQLite gets a new file per test (cheap); PostgreSQL one schema per describe block,
   * migrated once and emptied before each test (migrating a schema costs ~0.5 s, and Kysely's
   * migration lock is database-wide, so parallel files would queue on it).
   */
  freshPerTest?: boolean;
}

/**
 * `describeStores('upsert', (getStore, dialect) => { it(...) })` registers the block once per dialect,
 * named `upsert [sqlite]` / `upsert [postgres]`; `getStore()` is the current test's empty store.
 */
export function describeStores(
  name: string, body: (getStore: () => Store, dialect: StoreDialect) => void, options: DescribeStoresOptions = {},
): void {
  for (const dialect of DIALECTS) {
    const label = `${name} [${dialect}]`;
    if (dialect === 'postgres' && postgresProblem) {
      if (skipDialect(dialect)) describe.skip(label, () => body(() => { throw new Error('skipped'); }, dialect));
      else describe(label, () => it('needs PostgreSQL', () => { throw new Error(`PostgreSQL unreachable: ${postgresProblem}`); }));
      continue;
    }
    describe(label, () => {
      let current: { store: Store; dispose(): Promise<void> } | undefined;
      if (dialect === 'postgres' && !options.freshPerTest) {
        beforeAll(async () => { current = await openTestStore(dialect); });
        beforeEach(async () => { await emptyPostgresStore(current!.store); });
        afterAll(async () => { await current?.dispose(); current = undefined; });
      } else {
        beforeEach(async () => { current = await openTestStore(dialect); });
        afterEach(async () => { await current?.dispose(); current = undefined; });
      }
      body(() => {
        if (!current) throw new Error('getStore() is only available inside a test');
        return current.store;
      }, dialect);
    });
  }
}

/** Every table of the store's schema emptied and its identities reset: as good as a new schema. */
async function emptyPostgresStore(store: Store): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_catalog.pg_tables
    where schemaname = current_schema() and tablename not like 'kysely_migration%'`.execute(store.db);
  if (rows.length === 0) return;
  await sql`truncate table ${sql.join(rows.map((r) => sql.id(r.name)))} restart identity cascade`.execute(store.db);
}

/**
 * Like describeStores, for tests that hand the database to another process (the CLI): each test
 * gets a fresh, unopened TestDatabase (`dataDir` for SQLite, `databaseUrl` with its own schema for
 * PostgreSQL), dropped afterwards.
 */
export function describeDatabases(
  name: string, body: (getDatabase: () => TestDatabase, dialect: StoreDialect) => void,
): void {
  for (const dialect of DIALECTS) {
    const label = `${name} [${dialect}]`;
    if (dialect === 'postgres' && postgresProblem) {
      if (process.env.CI === 'true') {
        describe(label, () => it('needs PostgreSQL', () => { throw new Error(`PostgreSQL unreachable: ${postgresProblem}`); }));
      } else {
        describe.skip(label, () => body(() => { throw new Error('skipped'); }, dialect));
      }
      continue;
    }
    describe(label, () => {
      let current: TestDatabase | undefined;
      beforeEach(async () => { current = await createTestDatabase(dialect); });
      afterEach(async () => { await current?.drop(); current = undefined; });
      body(() => {
        if (!current) throw new Error('getDatabase() is only available inside a test');
        return current;
      }, dialect);
    });
  }
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let trigramReady = false;

/** Concurrent `create extension if not exists` can collide; a transaction-scoped lock serialises it. */
async function ensureTrigram(admin: pg.Client): Promise<void> {
  if (trigramReady) return;
  await admin.query('begin');
  try {
    await admin.query(`select pg_advisory_xact_lock(7262657900000002)`);
    await admin.query('create extension if not exists pg_trgm with schema public');
    await admin.query('commit');
  } catch (err) {
    await admin.query('rollback');
    throw err;
  }
  trigramReady = true;
}

async function probePostgres(): Promise<string | undefined> {
  try {
    await withAdmin((admin) => admin.query('select 1'));
    return undefined;
  } catch (err) {
    const { code, message } = err as { code?: string; message?: string };
    return `${TEST_DATABASE_URL}: ${message || code || String(err)}`;
  }
}

/** Probed once per test file, before any describe block is registered. */
const postgresProblem = await probePostgres();

/**
 * True when a PostgreSQL test should be skipped: unreachable, outside CI. For tests that do not go
 * through describeStores: `it.skipIf(skipDialect(dialect))(…)`.
 */
export function skipDialect(dialect: StoreDialect): boolean {
  return dialect === 'postgres' && postgresProblem !== undefined && process.env.CI !== 'true';
}

if (postgresProblem && process.env.CI !== 'true') {
  process.stderr.write(`\n!!! PostgreSQL store tests SKIPPED (${postgresProblem}). Set TEST_DATABASE_URL or start PostgreSQL; under CI=true they fail.\n\n`);
}
