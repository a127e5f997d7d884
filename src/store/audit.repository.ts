import type { Kysely, Selectable } from 'kysely';
import { AUDIT_GENESIS, auditLinkHash, type AuditFields } from '../audit/chain.ts';
import type { AuditLogTable } from './audit.table.ts';
import type { Database } from './database.ts';

/** The audit log: append (one link at a time, never forking), list with filters, read in order. */

export type AuditLogRow = Selectable<AuditLogTable>;
export type AuditEntry = Omit<AuditFields, 'id'>;

export interface AuditFilter {
  actor?: string;
  action?: string;
  result?: string;
  target?: string;
  since?: number;
  until?: number;
  /** Rows with a smaller id (paging back). */
  before?: number;
  limit: number;
}

const APPEND_ATTEMPTS = 20;

/**
 * Appends one row after the current head. Two writers that read the same head collide on the
 * unique prev_hash (and on the id): the loser reads the new head and tries again.
 */
async function append(db: Kysely<Database>, entry: AuditEntry): Promise<AuditLogRow> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(async (trx) => {
        const head = await trx.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
        const fields: AuditFields = { ...entry, id: head ? Number(head.id) + 1 : 1 };
        const prev = head?.hash ?? AUDIT_GENESIS;
        const row: AuditLogRow = {
          id: fields.id, at: fields.at, actor: fields.actor, ip: fields.ip, user_agent: fields.userAgent, action: fields.action,
          target: fields.target, purpose: fields.purpose, result: fields.result, detail: fields.detail, prev_hash: prev, hash: auditLinkHash(prev, fields),
        };
        await trx.insertInto('audit_log').values(row).execute();
        return row;
      });
    } catch (err) {
      if (attempt >= APPEND_ATTEMPTS || !isConflict(err)) throw err;
    }
  }
}

function isConflict(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_BUSY'
    || /UNIQUE constraint failed|duplicate key/i.test(e.message ?? '');
}

/** Newest first, filtered. */
async function list(db: Kysely<Database>, filter: AuditFilter): Promise<AuditLogRow[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.action !== undefined) query = filter.action.endsWith('.*')
    ? query.where('action', 'like', `${filter.action.slice(0, -1)}%`)
    : query.where('action', '=', filter.action);
  if (filter.result !== undefined) query = query.where('result', '=', filter.result);
  if (filter.target !== undefined) query = query.where('target', '=', filter.target);
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('at', '<', filter.until);
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Rows after `afterId`, oldest first: what verify walks page by page. */
async function page(db: Kysely<Database>, afterId: number, size: number): Promise<AuditLogRow[]> {
  return db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(size).execute();
}

export const auditRepository = Object.freeze({ append, list, page });
