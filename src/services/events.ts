import { randomUUID } from 'node:crypto';
import { prepareEffect } from '../callbacks/apply.ts';
import type { ApplyContext } from '../callbacks/context.ts';
import { subjectOf } from '../callbacks/describe.ts';
import { inboxRepository, type InboxRow } from '../store/inbox.repository.ts';
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
 * Applying the callback inbox (issue 10 item 3), and looking at it. Each claimed event is read from
 * WeCom, then its effect and its status change commit in one transaction, guarded by the claim:
 * a worker whose lease lapsed (another took the event) rolls back, so the effect happens exactly once
 * across workers. A failure is retried with exponential backoff and parked after MAX_ATTEMPTS.
 */

/** Tries before an event is parked with its error (then only `events replay` brings it back). */
export const MAX_ATTEMPTS = 8;
/** The first retry waits this long; each next one twice as long, up to BACKOFF_MAX_MS. */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 60 * 60_000;
/**
 * How long a claim holds: far more than its few events take (CLAIM_BATCH of them, each a WeCom read
 * or two), little enough that the events a killed process had claimed wait at most a minute for the
 * next one (a claim that does lapse mid-batch only costs a rolled-back write: see LostClaim).
 */
export const CLAIM_LEASE_MS = 60_000;
/** Events claimed at once: what a killed process leaves waiting for the lease to lapse. */
export const CLAIM_BATCH = 20;
const DEFAULT_BATCH = 100;
/**
 * Events applied at once. A claimed batch holds at most one event per record (a record's later
 * event waits for its earlier one), so they are independent: what they wait on is the WeCom fetch,
 * which the client's own limits pace. The writes stay one short transaction each.
 */
const APPLY_CONCURRENCY = 8;

export interface ProcessOptions {
  corpId?: string;
  limit?: number;
  /** The clock (tests). */
  now?: () => number;
}

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** The claim was lost between reading and writing: another worker applies the event. */
class LostClaim extends Error {}

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
    await mapLimit(rows, APPLY_CONCURRENCY, (row) => handle(runtime, worker, row, token, now, run));
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

async function handle(runtime: Runtime, worker: Worker, row: InboxRow, token: string, now: () => number, run: InboxRun): Promise<void> {
  const store = await runtime.store();
  try {
    // Each event sees the time it is applied at; the corp's client and cache are shared.
    const ctx = { ...(await contextFor(runtime, worker, row.corp_id, now)), now: now() };
    if (!(await applyOne(ctx, row, token))) return;
    run.applied += 1;
    if (row.event_kind === 'msgaudit_notify' && !run.archiveNotified.includes(row.corp_id)) run.archiveNotified.push(row.corp_id);
  } catch (err) {
    const attempts = row.attempts + 1;
    const parked = attempts >= MAX_ATTEMPTS;
    const recorded = await inboxRepository.markFailed(store.db, row.id, token, {
      status: parked ? 'parked' : 'failed', attempts, nextAttemptAt: now() + backoffMs(attempts), error: describe(err),
    });
    if (!recorded) return; // another worker holds it now
    if (parked) run.parked += 1;
    else run.failed += 1;
  }
}

/** False when the event turned out to be another worker's. */
async function applyOne(ctx: ApplyContext, row: InboxRow, token: string): Promise<boolean> {
  const event = parseEvent(row.payload);
  const subject = subjectOf(event);
  const prepared = event.kind === 'unknown' ? { change: 'ignored', write: async () => {} } : await prepareEffect(ctx, event);
  const effect = { entity: subject.entity, record: subject.record, actor: subject.actor, change: prepared.change };
  try {
    await inboxRepository.applying(ctx.db, async (trx) => {
      if (!(await inboxRepository.markApplied(trx, row.id, token, ctx.now, effect))) throw new LostClaim();
      await prepared.write(trx);
    });
  } catch (err) {
    if (err instanceof LostClaim) return false;
    throw err;
  }
  return true;
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
