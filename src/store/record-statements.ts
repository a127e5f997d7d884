import {
  CompiledQuery, createQueryId, InsertQueryNode, PrimitiveValueListNode, sql, ValuesNode, type Kysely,
} from 'kysely';
import type { Database, StoreDialect } from './database.ts';
import { dialectOf, MAX_PARAMS, quoteIdentifier as quote, rowsPerStatement } from './sql-kit.ts';

/**
 * The statements behind upsertRecords (records.ts), built for a sync that writes ~500 000 records
 * with ~1 000 000 child rows in multi-row statements:
 *
 * - Statement shapes repeat. A batch is cut into full-size statements plus a remainder split into
 *   powers of two (and key lookups are padded), so a table needs about ten distinct statements and
 *   SQLite's prepared-statement cache (dialects.ts) hits instead of compiling ~20 KB of SQL each time.
 * - Inserts are Kysely InsertQueryNodes, transformed by the store's plugins like any query, but made
 *   from a cached template and one PrimitiveValueListNode per row: the query builder spends ~8 µs per
 *   row parsing value objects (measured), more than SQLite spends storing them.
 * - Key lookups are reads with a fixed text, written here with bound parameters only (as
 *   bulk-insert.ts does); their results still go through the plugins (integers.ts).
 */

/**
 * Statement sizes for `n` rows: as many `max`-row statements as fit, then the binary digits of the
 * rest (e.g. 1 234 with max 500: 500, 500, 128, 64, 32, 8, 2). Each size is one statement text.
 */
export function statementSizes(n: number, max: number): number[] {
  const sizes: number[] = [];
  let rest = n;
  for (; rest >= max; rest -= max) sizes.push(max);
  for (let bit = 1 << 30; bit >= 1; bit >>= 1) if (rest & bit) sizes.push(bit);
  return sizes;
}

/** One statement's row count for a lookup of `n` keys: the next power of two (at least 16). */
function paddedSize(n: number): number {
  let size = 16;
  while (size < n) size *= 2;
  return size;
}

export interface InsertShape {
  table: keyof Database;
  /** Value order of every row. */
  columns: readonly string[];
  /** `on conflict (conflict) do update set <every other column except keep>`; none: plain insert. */
  conflict?: { columns: readonly string[]; keep: readonly string[] };
}

/** Untransformed insert nodes without values, per shape: plain data, valid for any Kysely instance. */
const templates = new Map<string, InsertQueryNode>();

function templateId(shape: InsertShape): string {
  return `${shape.table}|${shape.columns.join(',')}|${shape.conflict?.columns.join(',') ?? ''}|${shape.conflict?.keep.join(',') ?? ''}`;
}

function template(db: Kysely<Database>, shape: InsertShape): InsertQueryNode {
  const id = templateId(shape);
  let node = templates.get(id);
  if (!node) {
    // withoutPlugins: the template is the query as written; plugins transform each statement made from it.
    let builder = (db.withoutPlugins() as unknown as Kysely<any>).insertInto(shape.table).columns(shape.columns as string[]);
    const { conflict } = shape;
    if (conflict) {
      const replaced = shape.columns.filter((c) => !conflict.columns.includes(c) && !conflict.keep.includes(c));
      builder = builder.onConflict((oc) => oc.columns(conflict.columns as string[])
        .doUpdateSet(Object.fromEntries(replaced.map((c) => [c, sql.ref(`excluded.${c}`)]))));
    }
    node = builder.toOperationNode();
    templates.set(id, node);
  }
  return node;
}

/** Compiled SQL per template, dialect and row count (see insertRows). */
const insertTexts = new Map<string, string>();

/**
 * Inserts `rows` (arrays in `shape.columns` order) in statements of repeating shapes. Each statement
 * is a query node the plugins transform as usual. When they hand it back unchanged, its SQL depends
 * only on the template and the row count, so the text compiled the first time is reused: Kysely's
 * compiler builds it one placeholder at a time (~1 GB of short strings over a large sync, measured).
 */
export async function insertRows(db: Kysely<Database>, shape: InsertShape, rows: readonly (readonly unknown[])[]): Promise<void> {
  if (rows.length === 0) return;
  const base = template(db, shape);
  const executor = db.getExecutor();
  const textId = `${templateId(shape)}|${dialectOf(db)}`;
  let offset = 0;
  for (const size of statementSizes(rows.length, rowsPerStatement(shape.columns.length))) {
    const part = rows.slice(offset, (offset += size));
    const node = InsertQueryNode.cloneWith(base, { values: ValuesNode.create(part.map((row) => PrimitiveValueListNode.create(row))) });
    const queryId = createQueryId();
    const transformed = executor.transformQuery(node, queryId);
    const textKey = `${textId}|${size}`;
    const text = transformed === node ? insertTexts.get(textKey) : undefined;
    let compiled: CompiledQuery;
    if (text !== undefined) {
      compiled = { sql: text, query: transformed, parameters: part.flat(), queryId };
    } else {
      compiled = executor.compileQuery(transformed, queryId);
      // Reused only if the parameters are exactly the rows' values in order, as they are for a template without other parameters.
      if (transformed === node && sameValues(compiled.parameters, part.flat())) insertTexts.set(textKey, compiled.sql);
    }
    await executor.executeQuery(compiled);
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/** Statement texts for key lookups, per dialect, table, columns and size. */
const lookupTexts = new Map<string, string>();

function lookupText(dialect: StoreDialect, table: string, select: readonly string[], key: readonly string[], size: number): string {
  const id = `${dialect}|${table}|${select.join(',')}|${key.join(',')}|${size}`;
  let text = lookupTexts.get(id);
  if (!text) {
    let n = 1; // $1 is corp_id
    const param = dialect === 'postgres' ? () => `$${++n}` : () => '?';
    const tuple = key.length === 1 ? param : () => `(${key.map(param).join(', ')})`;
    const keyList = key.length === 1 ? quote(key[0]!) : `(${key.map(quote).join(', ')})`;
    const tuples = Array.from({ length: size }, tuple).join(', ');
    text = `select ${select.map(quote).join(', ')} from ${quote(table)} where "corp_id" = ${dialect === 'postgres' ? '$1' : '?'}`
      + ` and ${keyList} in (${tuples})`;
    lookupTexts.set(id, text);
  }
  return text;
}

/**
 * The rows of `table` (corp `corpId`) whose key is one of `keys` (values in `key` order), with the
 * `select` columns. Lists are padded with their last key to a power of two: a key asked twice
 * matches the same row once.
 */
export async function selectByKeys(
  db: Kysely<Database>, table: string, select: readonly string[], key: readonly string[], corpId: string,
  keys: readonly (readonly unknown[])[],
): Promise<Record<string, unknown>[]> {
  const dialect = dialectOf(db);
  const max = Math.min(512, Math.floor(MAX_PARAMS / key.length));
  const out: Record<string, unknown>[] = [];
  for (let offset = 0; offset < keys.length; offset += max) {
    const part = keys.slice(offset, offset + max);
    const size = Math.min(max, paddedSize(part.length));
    const parameters: unknown[] = [corpId];
    for (let i = 0; i < size; i++) parameters.push(...part[Math.min(i, part.length - 1)]!);
    const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(lookupText(dialect, table, select, key, size), parameters));
    out.push(...result.rows);
  }
  return out;
}
