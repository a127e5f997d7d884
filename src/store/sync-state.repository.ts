import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from './database.ts';
import { inTransaction, parseJson } from './sql-kit.ts';
import type { RunStatus, SyncRunTable } from './sync.table.ts';

/** Corps, per-stream cursors, the history of runs, and the page-plus-checkpoint transaction. */

export interface SyncRun {
  id: string;
  corpId: string;
  kind: string;
  startedAt: number;
  finishedAt: number | null;
  status: RunStatus;
  counts: Record<string, number>;
  errors: RunError[];
}

/** What went wrong during a run, for `sync status` and the health page. Never holds secrets. */
export interface RunError {
  code?: string;
  message: string;
  /** e.g. the entity and key the error concerns. */
  context?: Record<string, string | number>;
}

/**
 * Registers a corp (idempotent). Every table references corps, so this comes first. A name given
 * replaces a different or missing one; without a name nothing is written for a known corp.
 */
async function ensureCorp(
  db: Kysely<Database>, corpId: string, name: string | null = null, now = Date.now(),
): Promise<void> {
  await db.insertInto('corps').values({ corp_id: corpId, name, created_at: now })
    .onConflict((oc) => (name === null ? oc.column('corp_id').doNothing() : oc.column('corp_id')
      .doUpdateSet({ name }).where((eb) => eb.or([eb('corps.name', 'is', null), eb('corps.name', '<>', name)]))))
    .execute();
}

async function listCorps(db: Kysely<Database>): Promise<{ corp_id: string; name: string | null }[]> {
  return db.selectFrom('corps').select(['corp_id', 'name']).orderBy('corp_id').execute();
}

async function getCursor(db: Kysely<Database>, corpId: string, stream: string): Promise<string | undefined> {
  const row = await db.selectFrom('sync_cursors').select('cursor')
    .where('corp_id', '=', corpId).where('stream', '=', stream).executeTakeFirst();
  return row?.cursor;
}

async function setCursor(
  db: Kysely<Database>, corpId: string, stream: string, cursor: string, now = Date.now(),
): Promise<void> {
  await db.insertInto('sync_cursors').values({ corp_id: corpId, stream, cursor, updated_at: now })
    .onConflict((oc) => oc.columns(['corp_id', 'stream']).doUpdateSet({ cursor, updated_at: now })).execute();
}

/** Forgets a stream's position, so its next run starts from the beginning (a full resync). */
async function clearCursor(db: Kysely<Database>, corpId: string, stream: string): Promise<void> {
  await db.deleteFrom('sync_cursors').where('corp_id', '=', corpId).where('stream', '=', stream).execute();
}

async function listCursors(db: Kysely<Database>, corpId: string) {
  return db.selectFrom('sync_cursors').select(['stream', 'cursor', 'updated_at'])
    .where('corp_id', '=', corpId).orderBy('stream').execute();
}

/**
 * Runs `fn` (which writes one page through `trx`) and stores the stream's cursor in the same
 * transaction: both commit, or neither does, so a crash never skips nor double-counts a page.
 * `cursor` may be computed from fn's result (e.g. the largest seq of an archive batch).
 * Inside, use only `trx`: on SQLite the single connection is held by the transaction.
 */
async function withCheckpoint<T>(
  db: Kysely<Database>, corpId: string, stream: string, cursor: string | ((result: T) => string),
  fn: (trx: Kysely<Database>) => Promise<T>, now?: number,
): Promise<T> {
  return inTransaction(db, async (trx) => {
    const result = await fn(trx);
    await setCursor(trx, corpId, stream, typeof cursor === 'function' ? cursor(result) : cursor, now ?? Date.now());
    return result;
  });
}

/** Opens a run (status `running`) and returns its id, which upserted rows then carry. */
async function startRun(db: Kysely<Database>, corpId: string, kind: string, now = Date.now()): Promise<string> {
  const id = randomUUID();
  await ensureCorp(db, corpId, null, now);
  await db.insertInto('sync_runs').values({
    id, corp_id: corpId, kind, started_at: now, finished_at: null, status: 'running', counts: '{}', errors: '[]',
  }).execute();
  return id;
}

async function finishRun(
  db: Kysely<Database>, runId: string,
  outcome: { status: Exclude<RunStatus, 'running'>; counts?: Record<string, number>; errors?: RunError[] },
  now = Date.now(),
): Promise<void> {
  await db.updateTable('sync_runs').set({
    status: outcome.status, finished_at: now,
    counts: JSON.stringify(outcome.counts ?? {}), errors: JSON.stringify(outcome.errors ?? []),
  }).where('id', '=', runId).execute();
}

async function getRun(db: Kysely<Database>, runId: string): Promise<SyncRun | undefined> {
  const row = await db.selectFrom('sync_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  return row && toRun(row);
}

/** Most recent first. */
async function listRuns(
  db: Kysely<Database>, corpId: string, filters: { kind?: string; status?: RunStatus; limit?: number } = {},
): Promise<SyncRun[]> {
  let query = db.selectFrom('sync_runs').selectAll().where('corp_id', '=', corpId);
  if (filters.kind) query = query.where('kind', '=', filters.kind);
  if (filters.status) query = query.where('status', '=', filters.status);
  const rows = await query.orderBy('started_at', 'desc').orderBy('id').limit(filters.limit ?? 20).execute();
  return rows.map(toRun);
}

function toRun(row: Selectable<SyncRunTable>): SyncRun {
  return {
    id: row.id, corpId: row.corp_id, kind: row.kind, startedAt: row.started_at, finishedAt: row.finished_at,
    status: row.status, counts: parseJson(row.counts) ?? {}, errors: parseJson(row.errors) ?? [],
  };
}

export const syncStateRepository = Object.freeze({
  ensureCorp, listCorps, getCursor, setCursor, clearCursor, listCursors, withCheckpoint,
  startRun, finishRun, getRun, listRuns,
});

/** Also exported bare: the sync reaches for it on every page. */
export { withCheckpoint };
