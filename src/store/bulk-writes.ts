import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { dialectOf } from './sql-kit.ts';

/**
 * SQLite settings for a long run of large write transactions (a sync: ~500 000 records whose keys are
 * random, so each transaction dirties a leaf in most pages of several indexes). For the run only; the
 * previous values come back after, so other work on the connection keeps the defaults. PostgreSQL
 * needs nothing.
 *
 * - cache_size: SQLite's default 2 MiB page cache spills dirty pages to the WAL in the middle of such
 *   a transaction and reads the same leaves back from the file again and again. The large sandbox's
 *   random indexes are ~120 MB; a cache of that order keeps them, and the memory is only taken as
 *   pages are used and given back when the size is restored.
 * - wal_autocheckpoint: the default (1000 pages) checkpoints after nearly every commit, copying each
 *   leaf to the database file and syncing it every time. Checkpointing every 64 MiB of WAL copies a
 *   leaf once for several commits. Durability is unchanged: a commit is in the WAL either way.
 *
 * Nested or concurrent runs on one database share the settings; the last one out restores them.
 */

const BULK = { cache_size: -131_072, wal_autocheckpoint: 16_384 } as const;

type Pragma = keyof typeof BULK;

const active = new WeakMap<Kysely<Database>, { runs: number; previous: Record<Pragma, number> }>();

/** Applies the bulk settings to `db` (a store's database) and returns the function that undoes them. */
export async function useBulkWriteSettings(db: Kysely<Database>): Promise<() => Promise<void>> {
  if (dialectOf(db) !== 'sqlite') return async () => {};
  let state = active.get(db);
  if (state) {
    state.runs += 1;
  } else {
    const previous = { cache_size: await readPragma(db, 'cache_size'), wal_autocheckpoint: await readPragma(db, 'wal_autocheckpoint') };
    state = { runs: 1, previous };
    active.set(db, state);
    for (const name of Object.keys(BULK) as Pragma[]) await setPragma(db, name, BULK[name]);
  }
  let restored = false;
  return async () => {
    if (restored) return;
    restored = true;
    if (--state.runs > 0) return;
    active.delete(db);
    for (const name of Object.keys(BULK) as Pragma[]) await setPragma(db, name, state.previous[name]);
  };
}

async function readPragma(db: Kysely<Database>, name: Pragma): Promise<number> {
  const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(db);
  return Number(rows[0]?.[name]);
}

async function setPragma(db: Kysely<Database>, name: Pragma, value: number): Promise<void> {
  if (!Number.isSafeInteger(value)) throw new TypeError(`pragma ${name}: ${value} is not an integer`);
  await sql`pragma ${sql.raw(name)} = ${sql.raw(String(value))}`.execute(db);
}
