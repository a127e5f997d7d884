import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { prepareEffect } from '../callbacks/apply.ts';
import type { ApplyContext } from '../callbacks/context.ts';
import { subjectOf } from '../callbacks/describe.ts';
import type { Database } from '../store/database.ts';
import { inboxRepository, type Effect, type InboxRow } from '../store/inbox.repository.ts';
import { chunk, dialectOf } from '../store/sql-kit.ts';
import type { InboxStatus } from '../store/inbox.table.ts';
import { syncStateRepository } from '../store/sync-state.repository.ts';
import { UserError } from '../util/errors.ts';
import { mapLimit } from '../util/parallel.ts';
import { parseEvent } from '../wecom/callback/parse-event.ts';
import type { Runtime } from './runtime.ts';
import type { EventDetail, EventList, EventRow, InboxRun, ReplayResult } from './types/events.ts';
import { requireCapability, unlimited } from './access.ts';
import { audited } from './audit.ts';

/**
 * Applying the callback inbox (issue 10 item 3), and looking at it. Each claimed batch is read from
 * WeCom first (several events at once), then every event's effect and its status change commit
 * together in one transaction, guarded by the claim: an event whose lease lapsed (another worker
 * took it) is skipped, so the effect happens exactly once across workers. A failure is retried with
 * exponential backoff and parked after MAX_ATTEMPTS.
 */

/** Tries before an event is parked with its error (then only `events replay` brings it back). */
export const MAX_ATTEMPTS = 8;
/** The first retry waits this long; each next one twice as long, up to BACKOFF_MAX_MS. */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 60 * 60_000;
/**
 * How long a claim holds: far more than its few events take (CLAIM_BATCH of them, each a WeCom read
 * or two), little enough that the events a killed process had claimed wait at most a minute for the
 * next one (an event whose claim does lapse mid-batch is only skipped by the write: see commitBatch).
 */
export const CLAIM_LEASE_MS = 60_000;
/** Events claimed at once: what a killed process leaves waiting for the lease to lapse. */
export const CLAIM_BATCH = 20;
const DEFAULT_BATCH = 100;
/**
 * WeCom reads in flight at once. A claimed batch holds at most one event per record (a record's later
 * event waits for its earlier one), so its reads are independent; the client's own limits pace them.
 */
const READ_CONCURRENCY = 8;

export interface ProcessOptions {
  corpId?: string;
  limit?: number;
  /** The clock (tests). */
  now?: () => number;
}

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** A claimed event read from WeCom: what its transaction writes… */
interface Ready { row: InboxRow; now: number; effect: Effect; write(trx: Kysely<Database>): Promise<void> }
/** …or why it could not be read or written. */
interface Failed { row: InboxRow; error: unknown }
type Prepared = Ready | Failed;

/**
 * Claims and applies due events, up to `limit`, claiming again after each batch: an applied event
 * frees the next event of its record, which the next claim then takes.
 */
export async function processInbox(runtime: Runtime, options: ProcessOptions = {}): Promise<InboxRun> {
  const now = options.now ?? Date.now;
  const limit = options.limit ?? DEFAULT_BATCH;
  const store = await runtime.store();
  const run: InboxRun = { applied: 0, failed: 0, parked: 0, archiveNotified: [] };
  const worker: Worker = { contexts: new Map() };
  let handled = 0;
  while (handled < limit) {
    const token = randomUUID();
    const rows = await inboxRepository.claim(store.db, { corpId: options.corpId, limit: Math.min(CLAIM_BATCH, limit - handled), now: now(), leaseMs: CLAIM_LEASE_MS, token });
    if (rows.length === 0) break;
    handled += rows.length;
    const prepared = await mapLimit(rows, READ_CONCURRENCY, (row) => prepare(runtime, worker, row, now));
    const { applied, failed } = await commitBatch(store.db, prepared, token);
    for (const row of applied) {
      run.applied += 1;
      if (row.event_kind === 'msgaudit_notify' && !run.archiveNotified.includes(row.corp_id)) run.archiveNotified.push(row.corp_id);
    }
    for (const { row, error } of failed) await recordFailure(store.db, row, token, error, now, run);
  }
  return run;
}

interface Worker {
  /** One per corp, made once even when several of its events start at the same time. */
  contexts: Map<string, Promise<ApplyContext>>;
}

async function contextFor(runtime: Runtime, worker: Worker, corpId: string, now: () => number): Promise<ApplyContext> {
  let ctx = worker.contexts.get(corpId);
  if (!ctx) {
    ctx = (async () => {
      const store = await runtime.store();
      // The record tables reference the corp; a callback may come before the first sync.
      await syncStateRepository.ensureCorp(store.db, corpId);
      return { db: store.db, corpId, client: await runtime.client(corpId), now: now(), cache: new Map() };
    })();
    worker.contexts.set(corpId, ctx);
  }
  return ctx;
}

/** Reads what the event needs from WeCom; never throws (a failure is the event's outcome). */
async function prepare(runtime: Runtime, worker: Worker, row: InboxRow, now: () => number): Promise<Prepared> {
  try {
    // Each event sees the time it is applied at; the corp's client and cache are shared.
    const ctx = { ...(await contextFor(runtime, worker, row.corp_id, now)), now: now() };
    const event = parseEvent(row.payload);
    const subject = subjectOf(event);
    const effect = event.kind === 'unknown' ? { change: 'ignored', write: async () => {} } : await prepareEffect(ctx, event);
    return { row, now: ctx.now, effect: { entity: subject.entity, record: subject.record, actor: subject.actor, change: effect.change }, write: effect.write };
  } catch (error) {
    return { row, error };
  }
}

/**
 * Writes a batch's effects, each after its `applied` mark; an event whose mark matches nothing is
 * another worker's now, so its effect is not written. On PostgreSQL all of them go in one transaction
 * (one commit instead of one per event, one connection instead of one per event in flight); when it
 * fails, each event is written again alone, so that one bad event fails by itself. On SQLite each
 * event has its own transaction: the writes run on serve's own thread (better-sqlite3 is synchronous)
 * under the one writer lock, and a long transaction would hold back the callbacks' acknowledgements.
 */
async function commitBatch(db: Kysely<Database>, prepared: Prepared[], token: string): Promise<{ applied: InboxRow[]; failed: Failed[] }> {
  const out = { applied: [] as InboxRow[], failed: prepared.filter((p): p is Failed => 'error' in p) };
  const ready = prepared.filter((p): p is Ready => !('error' in p));
  for (const group of chunk(ready, dialectOf(db) === 'sqlite' ? 1 : Math.max(1, ready.length))) await commitGroup(db, group, token, out);
  return out;
}

/** One transaction for the group; when it fails, each of several events again alone. */
async function commitGroup(db: Kysely<Database>, group: Ready[], token: string, out: { applied: InboxRow[]; failed: Failed[] }): Promise<void> {
  try {
    out.applied.push(...(await inboxRepository.applying(db, (trx) => writeAll(trx, group, token))));
  } catch (error) {
    if (group.length === 1) out.failed.push({ row: group[0]!.row, error });
    else for (const item of group) await commitGroup(db, [item], token, out);
  }
}

/** The events applied (in claim order); those whose claim was lost are left out, unwritten. */
async function writeAll(trx: Kysely<Database>, items: readonly Ready[], token: string): Promise<InboxRow[]> {
  const applied: InboxRow[] = [];
  for (const item of items) {
    if (!(await inboxRepository.markApplied(trx, item.row.id, token, item.now, item.effect))) continue;
    await item.write(trx);
    applied.push(item.row);
  }
  return applied;
}

async function recordFailure(db: Kysely<Database>, row: InboxRow, token: string, err: unknown, now: () => number, run: InboxRun): Promise<void> {
  const attempts = row.attempts + 1;
  const parked = attempts >= MAX_ATTEMPTS;
  const recorded = await inboxRepository.markFailed(db, row.id, token, {
    status: parked ? 'parked' : 'failed', attempts, nextAttemptAt: now() + backoffMs(attempts), error: describe(err),
  });
  if (!recorded) return; // another worker holds it now
  if (parked) run.parked += 1;
  else run.failed += 1;
}

/** The error kept on the row: the user-facing text when there is one; never a secret (redacted upstream). */
function describe(err: unknown): string {
  const text = err instanceof UserError ? `${err.code}: ${err.message}` : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 2000);
}

export interface EventFilter {
  corpId?: string;
  status?: InboxStatus;
  limit: number;
  before?: number;
}

export async function listEvents(runtime: Runtime, filter: EventFilter): Promise<EventList> {
  requireCapability(runtime, 'operations');
  const store = await runtime.readStore();
  const rows = await inboxRepository.list(store.db, { ...filter, corpIds: corpsSeen(runtime), limit: filter.limit + 1 });
  return { ok: true, events: rows.slice(0, filter.limit).map(eventRow), truncated: rows.length > filter.limit };
}

export async function showEvent(runtime: Runtime, id: number): Promise<EventDetail> {
  requireCapability(runtime, 'operations');
  const store = await runtime.readStore();
  const row = await inboxRepository.get(store.db, id);
  // Another corp's event reads as no event at all.
  if (!row || !(corpsSeen(runtime)?.includes(row.corp_id) ?? true)) throw new UnknownEventError(id);
  return { ...eventRow(row), payload: row.payload };
}

/** The corps whose callbacks the actor may list: undefined (all, unconfigured ones too) when unlimited. */
function corpsSeen(runtime: Runtime): readonly string[] | undefined {
  return unlimited(runtime.actor) ? undefined : runtime.corpIds;
}

export async function replayEvents(runtime: Runtime, target: { ids: number[] } | { parked: true; corpId?: string }): Promise<ReplayResult> {
  requireCapability(runtime, 'admin');
  return audited(runtime, { action: 'events.replay', target: 'ids' in target ? target.ids.join(',') : 'parked', purpose: null, detail: target }, () => replay(runtime, target));
}

async function replay(runtime: Runtime, target: { ids: number[] } | { parked: true; corpId?: string }): Promise<ReplayResult> {
  const store = await runtime.store();
  return { ok: true, replayed: await inboxRepository.replay(store.db, target, Date.now()) };
}

function eventRow(row: InboxRow): EventRow {
  const waiting = row.status === 'pending' || row.status === 'failed';
  return {
    id: row.id, corpId: row.corp_id, kind: row.kind, eventKind: row.event_kind, status: row.status,
    receivedAt: row.received_at, attempts: row.attempts, nextAttemptAt: waiting ? row.next_attempt_at : null,
    lastError: row.last_error, appliedAt: row.applied_at,
    effect: { entity: row.effect_entity, record: row.effect_record, actor: row.effect_actor, change: row.effect_change },
  };
}

export class UnknownEventError extends UserError {
  constructor(id: number) {
    super('event_unknown', {
      what: { zh: '没有编号为 {id} 的回调事件', en: 'There is no callback event {id}' },
      fix: { zh: '用 `wecom-archive events` 列出事件及其编号', en: 'List the events and their ids with `wecom-archive events`' },
      vars: { id },
    });
  }
}
