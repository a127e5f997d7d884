import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';

/**
 * PostgreSQL's newest-first page of a trigram search, read one msgtime window at a time, newest
 * window first, until the page is full.
 *
 * Why: a GIN index returns its hits unordered, so `order by msgtime desc limit 50` over the whole
 * archive fetches and rechecks every message containing the text before sorting — 10,000–40,000
 * heap rows for a common word at 1M messages (~0.5 s). Within a window of a few thousand messages
 * the planner either walks the (corp_id, msgtime) index backwards and stops at the limit (common
 * words) or intersects the trigram index with the window (rare ones); windows grow fourfold, so
 * text found nowhere costs a handful of index probes, not one per window.
 *
 * The result is exactly the single query's: windows split msgtime's integer range without overlap
 * and are read in descending order, each sorted by (msgtime desc, id desc); messages without a
 * msgtime come last, by id desc, as SQLite sorts NULLs (the lowest value) in a descending order.
 */

export interface SearchWindow {
  /** Inclusive msgtime bounds of this window. */
  since?: number;
  until?: number;
  /** Only messages without a msgtime (read after every timed window). */
  untimed?: boolean;
  /** Rows still wanted. */
  limit: number;
}

export interface WindowedSearchOptions {
  since?: number;
  until?: number;
  limit?: number;
  offset?: number;
  /** Messages the first window should hold (estimated from the table's size); tests set it small. */
  firstWindowRows?: number;
}

/** ~2,000 hits of a common word (4%) at most, rechecked in a few ms; a rare one needs ~4 windows. */
export const FIRST_WINDOW_ROWS = 50_000;
const GROWTH = 4;

export async function newestFirstByWindows<T>(
  db: Kysely<Database>, corpId: string, options: WindowedSearchOptions, read: (window: SearchWindow) => Promise<T[]>,
): Promise<T[]> {
  const need = (options.offset ?? 0) + (options.limit ?? 50);
  const out: T[] = [];
  const span = await timeSpan(db, corpId, options.since, options.until);
  if (span) {
    const rows = await estimatedRows(db);
    const perMs = rows > 0 ? rows / Math.max(1, span.newest - span.oldest + 1) : 0;
    // Unknown size (never analysed): one window, the plain query.
    let width = perMs > 0 ? Math.max(1, Math.ceil((options.firstWindowRows ?? FIRST_WINDOW_ROWS) / perMs)) : Infinity;
    let until = span.newest;
    while (out.length < need && until >= span.oldest) {
      const since = Math.max(span.oldest, until - width + 1);
      out.push(...await read({ since, until, limit: need - out.length }));
      until = since - 1;
      width *= GROWTH;
    }
  }
  // A time bound excludes messages without a msgtime, in the single query too.
  if (out.length < need && options.since === undefined && options.until === undefined) {
    out.push(...await read({ untimed: true, limit: need - out.length }));
  }
  return out.slice(options.offset ?? 0);
}

/** Oldest and newest msgtime of the corp within the bounds: two probes of (corp_id, msgtime). */
async function timeSpan(db: Kysely<Database>, corpId: string, since?: number, until?: number): Promise<{ oldest: number; newest: number } | undefined> {
  let q = db.selectFrom('messages').where('corp_id', '=', corpId).where('msgtime', 'is not', null);
  if (since !== undefined) q = q.where('msgtime', '>=', since);
  if (until !== undefined) q = q.where('msgtime', '<=', until);
  const row = await q.select([sql<string | null>`min(msgtime)`.as('oldest'), sql<string | null>`max(msgtime)`.as('newest')]).executeTakeFirst();
  if (row?.oldest === null || row?.oldest === undefined || row.newest === null) return undefined;
  return { oldest: Number(row.oldest), newest: Number(row.newest) };
}

/** The planner's row count of messages (all corps; only sizes the first window). */
async function estimatedRows(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select reltuples::float8 as n from pg_catalog.pg_class where oid = 'messages'::regclass`.execute(db);
  return Math.max(0, Number(rows[0]?.n ?? 0));
}
