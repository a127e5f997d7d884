import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { chunk, dialectOf, quoteIdentifier as quote, rowsPerStatement } from './sql-kit.ts';

/**
 * Multi-row `INSERT … ON CONFLICT (…) DO NOTHING`, with the SQL text written here instead of built
 * by Kysely: for the archive's pages (1000 rows of ~20 columns) the query builder and compiler cost
 * more CPU than the database's own work (measured: ~50 µs per row of JavaScript against a few µs
 * here), and that CPU is taken from the RSA decryption running on the same cores. Column names come
 * from the Database type, never from input; values are always bound parameters.
 */

export type ColumnOf<T extends keyof Database> = keyof Database[T] & string;

/** The statement for `rows` rows, with `?` (SQLite) or `$n` (PostgreSQL) placeholders. */
function statement(dialect: 'sqlite' | 'postgres', table: string, columns: readonly string[], conflict: readonly string[], rows: number): string {
  let n = 0;
  const placeholder = dialect === 'postgres' ? () => `$${++n}` : () => '?';
  const tuples: string[] = new Array(rows);
  for (let r = 0; r < rows; r++) tuples[r] = `(${columns.map(placeholder).join(', ')})`;
  return `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}` +
    ` on conflict (${conflict.map(quote).join(', ')}) do nothing`;
}

/** Inserts the rows (missing values as NULL); returns how many were inserted (conflicts skipped). */
export async function bulkInsert<T extends keyof Database>(
  db: Kysely<Database>, table: T, columns: readonly ColumnOf<T>[], conflict: readonly ColumnOf<T>[],
  rows: readonly Partial<Record<ColumnOf<T>, unknown>>[],
): Promise<number> {
  const dialect = dialectOf(db);
  const cache = new Map<number, string>();
  let inserted = 0;
  for (const batch of chunk(rows, rowsPerStatement(columns.length))) {
    let text = cache.get(batch.length);
    if (!text) cache.set(batch.length, (text = statement(dialect, table, columns, conflict, batch.length)));
    const parameters: unknown[] = new Array(batch.length * columns.length);
    let i = 0;
    for (const row of batch) for (const column of columns) parameters[i++] = row[column] ?? null;
    const result = await db.executeQuery(CompiledQuery.raw(text, parameters));
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}
