import { PostgresAdapter, sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database, StoreDialect } from './database.ts';

/** Small SQL helpers shared by the repositories. */

/**
 * Bound parameters allowed in one statement: SQLite's limit is 32766 (better-sqlite3 12 build), and
 * PostgreSQL's 65535. Multi-row statements are cut to stay below it with some margin.
 */
export const MAX_PARAMS = 30_000;
/** Beyond a few hundred rows a statement gets no faster, only longer to build. */
export const MAX_ROWS_PER_STATEMENT = 500;

export function rowsPerStatement(columnsPerRow: number): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMS / Math.max(1, columnsPerRow))));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function dialectOf(db: Kysely<Database>): StoreDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Runs `fn` in a transaction: the caller's, when `db` already is one (so a page, its rows and its
 * checkpoint commit together), else a new one.
 */
export async function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}

/** `%text%` for LIKE, with LIKE's wildcards in the user's text escaped (use with `escape '\'`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Case-insensitive "contains" on both dialects: SQLite's LIKE already ignores ASCII case;
 * PostgreSQL needs ILIKE (which pg_trgm indexes too). Chinese has no case, so both agree.
 */
export function containsText(dialect: StoreDialect, column: RawBuilder<unknown>, text: string): RawBuilder<boolean> {
  const op = dialect === 'postgres' ? sql`ilike` : sql`like`;
  return sql<boolean>`${column} ${op} ${containsPattern(text)} escape '\\'`;
}

/** True when any of `columns` contains `text` (see containsText). */
export function containsAny(db: Kysely<Database>, columns: readonly string[], text: string): RawBuilder<boolean> {
  const dialect = dialectOf(db);
  return sql<boolean>`(${sql.join(columns.map((c) => containsText(dialect, sql.ref(c), text)), sql` or `)})`;
}

/** PostgreSQL rejects NUL in text; strip it on both dialects so they store the same thing. */
export function stripNul<T>(value: T): T {
  return (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value) as T;
}

/** `(a, b) in ((?, ?), …)` or `a in (?, …)`: row values work on SQLite ≥ 3.15 and PostgreSQL. */
export function keyIn(columns: readonly string[], keys: readonly (readonly unknown[])[]): RawBuilder<boolean> {
  if (keys.length === 0) return sql<boolean>`1 = 0`;
  if (columns.length === 1) return sql<boolean>`${sql.ref(columns[0]!)} in (${sql.join(keys.map((k) => k[0]))})`;
  const tuple = sql.join(columns.map((c) => sql.ref(c)));
  return sql<boolean>`(${tuple}) in (${sql.join(keys.map((k) => sql`(${sql.join(k as unknown[])})`))})`;
}

/** A table or column name for SQL written by hand: only plain lowercase names pass, double-quoted. */
export function quoteIdentifier(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new TypeError(`bad identifier ${identifier}`);
  return `"${identifier}"`;
}

/** Parses a JSON text column; null stays null. */
export function parseJson<T>(text: string | null | undefined): T | null {
  return text === null || text === undefined ? null : (JSON.parse(text) as T);
}
