import type { Kysely } from 'kysely';
import type { Database } from './database.ts';
import {
  ENTITIES, type EntityName, type EntitySpec, type RecordFields, type RecordInput, type RecordKey,
} from './entities.ts';
import { keyText, layoutOf, prepareRecord, type PreparedRecord, type RecordLayout } from './record-prepare.ts';
import { insertRows, selectByKeys, type InsertShape } from './record-statements.ts';
import { chunk, inTransaction, keyIn, rowsPerStatement } from './sql-kit.ts';

/**
 * The write side of the raw-records pattern (style-anchors lesson H): batched upserts that write only
 * what changed, and soft deletes for records gone from a complete listing.
 */

export interface UpsertCounts {
  inserted: number;
  /** The content hash changed: row rewritten, updated_at bumped, children replaced. */
  updated: number;
  /** Same content, but the record had been marked deleted: deleted_at cleared, nothing else. */
  undeleted: number;
  /** Same content: nothing written. */
  unchanged: number;
}

type Prepared = PreparedRecord;

/**
 * Upserts a batch of records of one entity for one corp. Rows whose hash is unchanged are not written
 * at all, so a no-change resync writes nothing. Runs inside the caller's transaction when `db` is one
 * (see withCheckpoint), else in its own. Duplicate keys within the batch: the last one wins.
 */
export async function upsertRecords<E extends EntityName>(
  db: Kysely<Database>, table: E, corpId: string, records: readonly RecordInput<E>[], runId: string | null,
  now: number = Date.now(),
): Promise<UpsertCounts> {
  const spec: EntitySpec = ENTITIES[table];
  const layout = layoutOf(spec);
  const byKey = new Map<string, Prepared>();
  for (const record of records) {
    const prepared = prepareRecord(layout, record as unknown as Record<string, unknown>);
    byKey.set(prepared.keyText, prepared);
  }
  const counts: UpsertCounts = { inserted: 0, updated: 0, undeleted: 0, unchanged: 0 };
  if (byKey.size === 0) return counts;
  await inTransaction(db, async (trx) => {
    const batch = [...byKey.values()];
    const existing = await loadExisting(trx, table, spec, corpId, batch);
    const inserted: Prepared[] = [];
    const updated: Prepared[] = [];
    const revived: Prepared[] = [];
    for (const item of batch) {
      const outcome = classify(existing.get(item.keyText), item.hash);
      counts[outcome] += 1;
      if (outcome === 'inserted') inserted.push(item);
      else if (outcome === 'updated') updated.push(item);
      else if (outcome === 'undeleted') revived.push(item);
    }
    const changed = updated.length === 0 ? inserted : [...inserted, ...updated];
    await insertRows(trx, recordShape(table, layout), changed.map((item) => recordValues(item, corpId, runId, now)));
    // Only records that existed can have child rows: a child row cannot outlive its record (foreign
    // key, on delete cascade, enforced on both dialects), so new records skip the delete.
    await deleteChildren(trx, spec, corpId, updated);
    await insertChildren(trx, layout, corpId, changed);
    for (const part of chunk(revived, rowsPerStatement(spec.key.length))) {
      await untyped(trx).updateTable(table as string).set({ deleted_at: null, run_id: runId })
        .where('corp_id', '=', corpId).where(keyIn(spec.key, part.map((r) => r.keyValues))).execute();
    }
  });
  return counts;
}

function classify(found: { hash: string; deleted_at: number | null } | undefined, hash: string): keyof UpsertCounts {
  if (!found) return 'inserted';
  if (found.hash !== hash) return 'updated';
  return found.deleted_at === null ? 'unchanged' : 'undeleted';
}

export interface MarkMissingOptions<E extends EntityName> {
  /** Every key the complete listing returned. */
  seenKeys: Iterable<RecordKey<E>>;
  /** Limits the sweep to what the listing covered, e.g. `{ userid: 'zhangsan' }` or `{ userid: [...] }`. */
  scope?: { [C in keyof RecordFields<E>]?: RecordFields<E>[C] | readonly RecordFields<E>[C][] };
  runId?: string | null;
}

/**
 * Soft-deletes the live records of `table` (within `scope`) that a complete listing did not return:
 * deleted_at = now. Nothing is removed; a record that comes back is revived by upsertRecords.
 * Only for listings seen in full: a partial or resumed listing would delete what it did not reach.
 */
export async function markMissingDeleted<E extends EntityName>(
  db: Kysely<Database>, table: E, corpId: string, options: MarkMissingOptions<E>, now: number = Date.now(),
): Promise<{ deleted: number }> {
  const spec: EntitySpec = ENTITIES[table];
  const seen = new Set<string>();
  for (const key of options.seenKeys) seen.add(keyTextOf(spec, key as Record<string, unknown>));
  return inTransaction(db, async (trx) => {
    let query = untyped(trx).selectFrom(table as string).select([...spec.key])
      .where('corp_id', '=', corpId).where('deleted_at', 'is', null);
    for (const [column, value] of Object.entries(options.scope ?? {})) {
      query = Array.isArray(value)
        ? query.where(keyIn([column], (value as unknown[]).map((v) => [v])))
        : query.where(column, '=', value);
    }
    const live = (await query.execute()) as Record<string, unknown>[];
    const missing = live.filter((row) => !seen.has(keyTextOf(spec, row))).map((row) => spec.key.map((k) => row[k]));
    for (const batch of chunk(missing, rowsPerStatement(spec.key.length))) {
      await untyped(trx).updateTable(table as string).set({ deleted_at: now, run_id: options.runId ?? null })
        .where('corp_id', '=', corpId).where(keyIn(spec.key, batch)).execute();
    }
    return { deleted: missing.length };
  });
}

/** The entity is chosen at run time from ENTITIES, so these statements are built untyped. */
function untyped(db: Kysely<Database>): Kysely<any> {
  return db as unknown as Kysely<any>;
}

/** The key of a row or record as text: the same text prepareRecord gives (keyText), so maps agree. */
function keyTextOf(spec: EntitySpec, source: Record<string, unknown>): string {
  return keyText(spec.key.map((k) => source[k]));
}

async function loadExisting(
  db: Kysely<Database>, table: EntityName, spec: EntitySpec, corpId: string, batch: Prepared[],
): Promise<Map<string, { hash: string; deleted_at: number | null }>> {
  const rows = await selectByKeys(db, table, [...spec.key, 'hash', 'deleted_at'], spec.key, corpId, batch.map((b) => b.keyValues));
  return new Map(rows.map((r) => [
    keyTextOf(spec, r), { hash: r.hash as string, deleted_at: r.deleted_at as number | null },
  ]));
}

/**
 * One multi-row INSERT … ON CONFLICT DO UPDATE per statement: first_seen_at survives, everything
 * else is replaced. Columns in the order recordValues produces them.
 */
function recordShape(table: EntityName, layout: RecordLayout): InsertShape {
  return {
    table,
    columns: ['corp_id', ...layout.columns, 'raw_json', 'hidden_fields', 'hash', 'first_seen_at', 'updated_at', 'deleted_at', 'run_id'],
    conflict: { columns: ['corp_id', ...layout.key], keep: ['first_seen_at'] },
  };
}

function recordValues(item: Prepared, corpId: string, runId: string | null, now: number): unknown[] {
  return [corpId, ...item.values, JSON.stringify(item.raw), item.hiddenJson, item.hash, now, now, null, runId];
}

async function deleteChildren(db: Kysely<Database>, spec: EntitySpec, corpId: string, items: Prepared[]): Promise<void> {
  for (const child of Object.values(spec.children)) {
    for (const part of chunk(items, rowsPerStatement(spec.key.length))) {
      await untyped(db).deleteFrom(child.table).where('corp_id', '=', corpId)
        .where(keyIn(spec.key, part.map((i) => i.keyValues))).execute();
    }
  }
}

async function insertChildren(db: Kysely<Database>, layout: RecordLayout, corpId: string, items: Prepared[]): Promise<void> {
  for (const { field, spec, columns } of layout.children) {
    const rows: unknown[][] = [];
    for (const item of items) for (const values of item.children[field]!) rows.push([corpId, ...item.keyValues, ...values]);
    await insertRows(db, { table: spec.table, columns: ['corp_id', ...layout.key, ...columns] }, rows);
  }
}
