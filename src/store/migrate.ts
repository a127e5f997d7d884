import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import type { Database, StoreDialect } from './database.ts';
import { migrations } from './migrations/index.ts';

/**
 * Brings a database to the latest schema. Safe when several processes start at once (a `serve` and a
 * `worker`, or two workers):
 * - PostgreSQL: the whole run, extension creation included, holds a database-wide advisory lock,
 *   on top of the lock Kysely's Migrator takes around the migrations themselves; the migration
 *   tables are pinned to the current schema (Kysely would otherwise see another schema's copy).
 * - SQLite: the migrator runs every pending migration in one BEGIN IMMEDIATE transaction
 *   (dialects.ts), so a second process waits on the write lock (busy_timeout), then finds nothing
 *   left to do.
 * Returns the names of the migrations this call applied (empty when already up to date).
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: StoreDialect): Promise<string[]> {
  if (dialect === 'sqlite') return runMigrator(db);
  const schema = await currentSchema(db);
  return withAdvisoryLock(db, MIGRATION_LOCK_KEY, () => runMigrator(db, schema));
}

/** Arbitrary but fixed: the same key in every process of every version. */
const MIGRATION_LOCK_KEY = 7_262_657_900_000_001n;

async function runMigrator(db: Kysely<Database>, migrationTableSchema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new MigrationError(results ?? [], error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export class MigrationError extends Error {
  readonly failed?: string;
  constructor(results: MigrationResult[], cause: unknown) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(failed ? `migration ${failed} failed: ${reason}` : `migrations failed: ${reason}`, { cause });
    this.name = 'MigrationError';
    this.failed = failed;
  }
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('no schema of the search_path exists (current_schema() is null)');
  return schema;
}

/**
 * Runs `fn` while one pooled connection holds a session-level advisory lock. `fn` itself uses the
 * pool (other connections): the lock belongs to the session, not to the queries.
 */
async function withAdvisoryLock<T>(db: Kysely<Database>, key: bigint, fn: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${key})`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}

/** The migrations not yet applied to this database (a reachable, current store has none): for readiness checks. */
export async function pendingMigrations(db: Kysely<Database>, dialect: StoreDialect): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: dialect === 'postgres' ? await currentSchema(db) : undefined,
  });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
