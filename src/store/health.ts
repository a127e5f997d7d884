import { readdirSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Store } from './database.ts';
import { migrations } from './migrations/index.ts';

/**
 * The store's own health, for `doctor --store` (and the store check of plain `doctor`): SQLite's
 * quick_check of every page, the migrations still to run, the bytes used and free. Reads only: a
 * doctor never migrates, repairs or writes.
 */

export interface StoreHealth {
  /** SQLite: 'ok', or what quick_check found (at most 10 lines). PostgreSQL: null (the server checks its pages). */
  integrity: string[] | null;
  /** Migrations this version has that the store has not run (the next writing command runs them). */
  pendingMigrations: string[];
  /** Bytes under DATA_DIR (the SQLite file, its WAL, the media); null when it cannot be read. */
  usedBytes: number | null;
  /** Bytes free for this user on DATA_DIR's file system; null when it cannot be read. */
  freeBytes: number | null;
}

export async function storeHealth(store: Store, dataDir: string): Promise<StoreHealth> {
  const integrity = store.dialect === 'sqlite' ? await sqliteIntegrity(store) : null;
  return { integrity, pendingMigrations: await pendingMigrations(store), usedBytes: bytesUnder(dataDir), freeBytes: freeBytes(dataDir) };
}

async function sqliteIntegrity(store: Store): Promise<string[]> {
  const { rows } = await sql<{ quick_check: string }>`pragma quick_check(10)`.execute(store.db);
  return rows.map((row) => Object.values(row)[0] as string);
}

async function pendingMigrations(store: Store): Promise<string[]> {
  const known = Object.keys(migrations).sort();
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(store.db);
    const ran = new Set(rows.map((row) => row.name));
    return known.filter((name) => !ran.has(name));
  } catch {
    return known; // no migration table: a store never migrated
  }
}

export function freeBytes(dir: string): number | null {
  try {
    const { bavail, bsize } = statfsSync(dir);
    return bavail * bsize;
  } catch {
    return null;
  }
}

export function bytesUnder(dir: string): number | null {
  try {
    let total = 0;
    for (const name of readdirSync(dir, { recursive: true }) as string[]) {
      const stat = statSync(join(dir, name), { throwIfNoEntry: false });
      if (stat?.isFile()) total += stat.size;
    }
    return total;
  } catch {
    return null;
  }
}

