import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from './database.ts';
import type { CallbackInboxTable, InboxStatus } from './inbox.table.ts';
import { chunk, dialectOf, rowsPerStatement } from './sql-kit.ts';

/**
 * The callback inbox's queries. The write path (one INSERT … ON CONFLICT DO NOTHING per callback) is
 * what WeCom waits for; everything else runs in the background workers.
 */

export type InboxRow = Selectable<CallbackInboxTable>;

export interface NewInboxEvent {
  corpId: string;
  kind: string;
  eventKind: string;
  dedupeKey: string;
  recordKey: string;
  payload: string;
  /** 'pending' to be applied, 'ignored' for what nothing applies (unknown events, messages). */
  status: 'pending' | 'ignored';
  receivedAt: number;
}

/** Stores one callback; false when (corp, dedupe key) is there already (WeCom's retry). */
async function insert(db: Kysely<Database>, event: NewInboxEvent): Promise<boolean> {
  const rows = await db.insertInto('callback_inbox').values({
    corp_id: event.corpId, kind: event.kind, event_kind: event.eventKind, dedupe_key: event.dedupeKey,
    record_key: event.recordKey, received_at: event.receivedAt, payload: event.payload, status: event.status,
    attempts: 0, next_attempt_at: event.receivedAt,
  }).onConflict((oc) => oc.columns(['corp_id', 'dedupe_key']).doNothing()).returning('id').execute();
  return rows.length > 0;
}

/**
 * Stores several callbacks in one statement (the receiver's group commit); a (corp, dedupe key)
 * already there, or twice in the batch, is stored once.
 */
async function insertMany(db: Kysely<Database>, events: readonly NewInboxEvent[]): Promise<void> {
  for (const part of chunk(events, rowsPerStatement(10))) {
    await db.insertInto('callback_inbox').values(part.map((event) => ({
      corp_id: event.corpId, kind: event.kind, event_kind: event.eventKind, dedupe_key: event.dedupeKey,
      record_key: event.recordKey, received_at: event.receivedAt, payload: event.payload, status: event.status,
      attempts: 0, next_attempt_at: event.receivedAt,
    }))).onConflict((oc) => oc.columns(['corp_id', 'dedupe_key']).doNothing()).execute();
  }
}

async function exists(db: Kysely<Database>, corpId: string, dedupeKey: string): Promise<boolean> {
  const row = await db.selectFrom('callback_inbox').select('id')
    .where('corp_id', '=', corpId).where('dedupe_key', '=', dedupeKey).executeTakeFirst();
  return row !== undefined;
}

export interface ClaimOptions {
  corpId?: string;
  limit: number;
  now: number;
  /** How long the claim holds; past it another worker may take the event. */
  leaseMs: number;
  token: string;
}

/**
 * Claims due events, oldest first, for one worker. An event waits while an earlier event of the same
 * record is still pending or failed (applied in arrival order per record); parked ones no longer
 * hold the record back. On PostgreSQL the rows are locked with SKIP LOCKED, so concurrent workers
 * claim disjoint sets; SQLite has a single writer.
 */
async function claim(db: Kysely<Database>, options: ClaimOptions): Promise<InboxRow[]> {
  const { corpId, limit, now, leaseMs, token } = options;
  const corpFilter = corpId === undefined ? sql`` : sql`and i.corp_id = ${corpId}`;
  const lock = dialectOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
  const { rows } = await sql<InboxRow>`
    update callback_inbox set claim_token = ${token}, lease_until = ${now + leaseMs}
    where id in (
      select i.id from callback_inbox i
      where i.status in ('pending', 'failed') and i.next_attempt_at <= ${now}
        and (i.lease_until is null or i.lease_until < ${now}) ${corpFilter}
        and not exists (
          select 1 from callback_inbox e
          where e.corp_id = i.corp_id and e.record_key = i.record_key and i.record_key <> ''
            and e.id < i.id and e.status in ('pending', 'failed'))
      order by i.id
      limit ${limit} ${lock})
    returning *`.execute(db);
  return rows.map(normalise).sort((a, b) => a.id - b.id);
}

export interface Effect {
  entity: string | null;
  record: string | null;
  actor: string | null;
  change: string | null;
}

/**
 * Marks a claimed event applied, inside the transaction that writes its effect. False when the
 * claim was lost (the lease lapsed and another worker took it): the caller must roll back.
 */
async function markApplied(trx: Kysely<Database>, id: number, token: string, now: number, effect: Effect): Promise<boolean> {
  const result = await trx.updateTable('callback_inbox').set({
    status: 'applied', applied_at: now, claim_token: null, lease_until: null, last_error: null,
    effect_entity: effect.entity, effect_record: effect.record, effect_actor: effect.actor, effect_change: effect.change,
  }).where('id', '=', id).where('claim_token', '=', token).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function markFailed(
  db: Kysely<Database>, id: number, token: string,
  outcome: { status: 'failed' | 'parked'; attempts: number; nextAttemptAt: number; error: string },
): Promise<boolean> {
  const result = await db.updateTable('callback_inbox').set({
    status: outcome.status, attempts: outcome.attempts, next_attempt_at: outcome.nextAttemptAt,
    last_error: outcome.error, claim_token: null, lease_until: null,
  }).where('id', '=', id).where('claim_token', '=', token).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface InboxFilter {
  corpId?: string;
  /** Only these corps (the reader's grant); unset: every corp. */
  corpIds?: readonly string[];
  status?: InboxStatus;
  limit: number;
  /** Only events with a smaller id (paging backwards from the newest). */
  before?: number;
}

/** Newest first. */
async function list(db: Kysely<Database>, filter: InboxFilter): Promise<InboxRow[]> {
  let query = db.selectFrom('callback_inbox').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.corpId !== undefined) query = query.where('corp_id', '=', filter.corpId);
  if (filter.corpIds !== undefined) query = filter.corpIds.length > 0 ? query.where('corp_id', 'in', [...filter.corpIds]) : query.where(sql<boolean>`false`);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  return (await query.execute()).map(normalise);
}

async function get(db: Kysely<Database>, id: number): Promise<InboxRow | undefined> {
  const row = await db.selectFrom('callback_inbox').selectAll().where('id', '=', id).executeTakeFirst();
  return row && normalise(row);
}

/** Back to pending, due now, attempts reset: the given failed/parked events, or every parked one. */
async function replay(db: Kysely<Database>, target: { ids: number[] } | { parked: true; corpId?: string }, now: number): Promise<number[]> {
  let query = db.updateTable('callback_inbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, claim_token: null, lease_until: null })
    .where('status', 'in', ['failed', 'parked']);
  if ('ids' in target) {
    if (target.ids.length === 0) return [];
    query = query.where('id', 'in', target.ids);
  } else {
    query = query.where('status', '=', 'parked');
    if (target.corpId !== undefined) query = query.where('corp_id', '=', target.corpId);
  }
  const rows = await query.returning('id').execute();
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** bigint columns come back as strings from pg: numbers everywhere. */
function normalise(row: InboxRow): InboxRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...row, id: Number(row.id), received_at: Number(row.received_at), attempts: Number(row.attempts),
    next_attempt_at: Number(row.next_attempt_at), applied_at: num(row.applied_at), lease_until: num(row.lease_until),
  };
}

/**
 * The transaction that applies an event: its effect and its `applied` status. On PostgreSQL its
 * commit does not wait for the WAL to reach the disk (synchronous_commit off, for this transaction
 * only): the event itself is already durable in the inbox, and a commit that a server crash loses
 * loses the effect and the status together, so the event is simply applied again, once. What must be
 * durable before WeCom is answered, the inbox rows, keeps waiting for the disk; it no longer queues
 * behind these flushes.
 */
async function applying<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (dialectOf(trx) === 'postgres') await sql`set local synchronous_commit = off`.execute(trx);
    return fn(trx);
  });
}

export const inboxRepository = Object.freeze({ insert, insertMany, exists, claim, applying, markApplied, markFailed, list, get, replay });
