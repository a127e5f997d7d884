import type { Store } from '../store/database.ts';
import { StorageError } from '../store/storage-errors.ts';
import { parseJson } from '../store/sql-kit.ts';
import { auditRepository, type AuditLogRow } from '../store/audit.repository.ts';
import type { AuditAction } from '../audit/actions.ts';
import { AUDIT_GENESIS, verifyLinks } from '../audit/chain.ts';
import { UserError, isUserError } from '../util/errors.ts';
import { actorLabel, requireCapability } from './access.ts';
import { parseTimeRange } from '../archive/reading/index.ts';
import { EmptyStoreError, type Runtime } from './runtime.ts';
import type { AuditResult, AuditRowItem, AuditVerifyReport } from './types/auth.ts';

/**
 * The audit log: one row for each login, conversation viewed, search, media opened, export and
 * change to users, roles, tokens or settings, written by the services (so no face skips it), each
 * linked to the one before (audit/chain.ts). Reading it is for admins (and the operator).
 */

/** What was done; the actor, origin and time come from the runtime. */
export interface AuditInput {
  action: AuditAction;
  target?: string | null;
  /** Default: the purpose stated for the request. */
  purpose?: string | null;
  result: string;
  detail?: unknown;
  /** Default: the runtime's actor (a login names who tried). */
  actor?: string;
  now?: number;
}

export async function recordAudit(rt: Runtime, input: AuditInput): Promise<void> {
  const store = await writableStoreFor(rt);
  if (!store) return;
  await auditRepository.append(store.db, {
    at: input.now ?? Date.now(),
    actor: input.actor ?? actorLabel(rt.actor),
    ip: rt.access.ip,
    userAgent: rt.access.userAgent,
    action: input.action,
    target: input.target ?? null,
    purpose: input.purpose === undefined ? rt.access.purpose : input.purpose,
    result: input.result,
    detail: input.detail === undefined ? null : JSON.stringify(input.detail),
  });
}

/**
 * The store the row goes to. The operator reading a read-only copy (a backup mounted read-only)
 * leaves no row: nothing can be written there, the CLI has said so ("reading and verifying only"),
 * and whoever runs the CLI holds the file itself. Anyone else's read of such a store fails.
 */
async function writableStoreFor(rt: Runtime): Promise<Store | undefined> {
  try {
    return await rt.store();
  } catch (err) {
    if (rt.actor.kind === 'operator' && err instanceof StorageError && err.fault === 'read_only') return undefined;
    throw err;
  }
}

/** The result an audit row records for an error: refused, no purpose, or failed (with the code). */
export function resultOf(err: unknown): string {
  if (isUserError(err)) return err.code === 'forbidden' ? 'denied' : err.code;
  return 'error';
}

/**
 * Runs `work` and records one row for it, whatever the outcome: `ok`, `denied`, `purpose_required`
 * or the error's code. A row that cannot be written fails the request (nothing is shown unaudited).
 */
export async function audited<T>(rt: Runtime, entry: Omit<AuditInput, 'result'>, work: () => Promise<T>): Promise<T> {
  let value: T;
  try {
    value = await work();
  } catch (err) {
    // No database yet: nothing was read, and writing the row would create one in an empty DATA_DIR.
    if (!(err instanceof EmptyStoreError)) await recordAudit(rt, { ...entry, result: resultOf(err) });
    throw err;
  }
  await recordAudit(rt, { ...entry, result: 'ok' });
  return value;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  result?: string;
  target?: string;
  /** China time, as the reading commands take it. */
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

export async function listAudit(rt: Runtime, query: AuditQuery = {}): Promise<AuditResult> {
  requireCapability(rt, 'admin');
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new BadAuditLimitError(limit);
  const range = parseTimeRange(query.from, query.to);
  const store = await rt.store();
  const rows = await auditRepository.list(store.db, {
    actor: query.actor, action: query.action, result: query.result, target: query.target,
    since: range.since, until: range.until === undefined ? undefined : range.until + 1, before: query.before, limit: limit + 1,
  });
  return { ok: true, rows: rows.slice(0, limit).map(auditItem), truncated: rows.length > limit };
}

const VERIFY_PAGE = 1000;

export async function verifyAudit(rt: Runtime): Promise<AuditVerifyReport> {
  requireCapability(rt, 'admin');
  const store = await rt.store();
  let head = AUDIT_GENESIS;
  let nextId = 1;
  let rows = 0;
  for (;;) {
    const page = await auditRepository.page(store.db, nextId - 1, VERIFY_PAGE);
    const checked = verifyLinks(page.map(linkFields), head, nextId);
    rows += checked.nextId - nextId;
    if (checked.broken) return { ok: false, rows, head: checked.head, broken: checked.broken };
    ({ head, nextId } = checked);
    if (page.length < VERIFY_PAGE) return { ok: true, rows, head, broken: null };
  }
}

function linkFields(row: AuditLogRow) {
  return { ...auditFields(row), detail: row.detail, prevHash: row.prev_hash, hash: row.hash };
}

function auditFields(row: AuditLogRow) {
  return {
    id: Number(row.id), at: Number(row.at), actor: row.actor, ip: row.ip, userAgent: row.user_agent, action: row.action,
    target: row.target, purpose: row.purpose, result: row.result,
  };
}

function auditItem(row: AuditLogRow): AuditRowItem {
  return { ...auditFields(row), detail: row.detail === null ? null : parseJson(row.detail) ?? null };
}

export class BadAuditLimitError extends UserError {
  constructor(limit: number) {
    super('audit_bad_limit', {
      what: { zh: '条数上限无效：{value}', en: 'Invalid limit: {value}' },
      why: { zh: '它须是 1 到 10000 之间的整数', en: 'It must be a whole number from 1 to 10000' },
      vars: { value: String(limit) },
    });
  }
}
