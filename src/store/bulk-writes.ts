import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { dialectOf } from './sql-kit.ts';

/**
 * SQLite settings for a long run of large write transactions (a sync: ~500 000 records whose keys are
 * random, so each transaction dirties a leaf in most pages of several indexes). For the run only; the
 * previous values come back after, so other work on the connection keeps the defaults. PostgreSQL
 * needs nothing.
 *
 * - cache_size: the default page cache (~16 MB with better-sqlite3) spills dirty pages to the WAL in the middle of such
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

/** Per database: how many runs use the settings, and the values to restore (read once, by the first). */
const active = new WeakMap<Kysely<Database>, { runs: number; previous: Promise<Record<Pragma, number>> }>();

/** Applies the bulk settings to `db` (a store's database) and returns the function that undoes them. */
export async function useBulkWriteSettings(db: Kysely<Database>): Promise<() => Promise<void>> {
  if (dialectOf(db) !== 'sqlite') return async () => {};
  // Registered before the first await, so two runs starting together share one entry: the second
  // waits for the first's settings instead of saving the bulk values as the ones to restore.
  let state = active.get(db);
  if (state) {
    state.runs += 1;
  } else {
    state = { runs: 1, previous: applyBulk(db) };
    active.set(db, state);
  }
  const current = state;
  try {
    await current.previous;
  } catch (err) {
    if (--current.runs === 0) active.delete(db);
    throw err;
  }
  let restored = false;
  return async () => {
    if (restored) return;
    restored = true;
    if (--current.runs > 0) return;
    active.delete(db);
    const previous = await current.previous;
    for (const name of Object.keys(BULK) as Pragma[]) await setPragma(db, name, previous[name]);
  };
}

/** Saves the current values, then sets the bulk ones. */
async function applyBulk(db: Kysely<Database>): Promise<Record<Pragma, number>> {
  const previous = { cache_size: await readPragma(db, 'cache_size'), wal_autocheckpoint: await readPragma(db, 'wal_autocheckpoint') };
  for (const name of Object.keys(BULK) as Pragma[]) await setPragma(db, name, BULK[name]);
  return previous;
}

async function readPragma(db: Kysely<Database>, name: Pragma): Promise<number> {
  const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(db);
  return Number(rows[0]?.[name]);
}

async function setPragma(db: Kysely<Database>, name: Pragma, value: number): Promise<void> {
  if (!Number.isSafeInteger(value)) throw new TypeError(`pragma ${name}: ${value} is not an integer`);
  await sql`pragma ${sql.raw(name)} = ${sql.raw(String(value))}`.execute(db);
}
