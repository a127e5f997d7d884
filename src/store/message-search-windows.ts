import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';

/**
 * How the newest-first page of an indexed search is reached:
 * - `time` walks the (corp_id, msgtime) index newest first and keeps the messages containing the
 *   text until the page is full: a few index entries when hits are many, the whole archive when they
 *   are few or none (100–400 ms at 1M messages on SQLite, bench/search.bench.ts);
 * - `hits` fetches every trigram-index hit and sorts them: cheap when they are few, slow when many
 *   (a 40,000-hit word takes 150–600 ms).
 * SQLite picks one per query (searchPlan). PostgreSQL uses them per time window
 * (below); unset, its planner chooses. 1–2 character queries ignore it.
 */
export type SearchPlan = 'time' | 'hits';

/**
 * PostgreSQL's newest-first page of a trigram search, read one msgtime window at a time, newest
 * window first, until the page is full.
 *
 * Why: a GIN index returns its hits unordered, so `order by msgtime desc limit 50` over the whole
 * archive fetches and rechecks every message containing the text before sorting — 10,000–40,000
 * heap rows for a common word at 1M messages (~0.5 s). The first window is small and read by walking
 * the (corp_id, msgtime) index backwards, stopping at the limit (enough for common words); each
 * later one is four times larger and read from the trigram index (intersected with the window when
 * the planner finds that cheaper), so text found nowhere costs a handful of index probes.
 * bench:search at 1M: p95 1,792 ms → 44 ms (docs/archive-ingest.md).
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
  /**
   * How to plan it (SearchPlan above; unset: the planner's choice). The first window is
   * read by `time`: walking the time index newest first and stopping at the limit costs a few ms for
   * a common word, where the trigram index would first read its whole posting list (42,718 entries
   * for 报价单 at 1M: 20 ms of the query's 33 ms, EXPLAIN ANALYZE under load). Every later window is
   * read by `hits`: the text is not common there, and the planner's guess of a LIKE's selectivity
   * can be far off (a 160,000-message window walked for a 656-hit text: 100–290 ms).
   */
  plan?: SearchPlan;
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

/**
 * The first window, walked by time: a word in 2.5% of messages fills a page of 50 from it, and any
 * other text costs ~2,000 rows filtered (a few ms). The next window holds four times as many
 * (8,000: a time bitmap of ~1 ms, where 50,000 rows cost 20–50 ms at 1M on this 2-core machine,
 * EXPLAIN ANALYZE), and so on: a rare word takes 6–7 windows, each a probe of the trigram index.
 */
export const FIRST_WINDOW_ROWS = 2_000;
const GROWTH = 4;

export async function newestFirstByWindows<T>(
  db: Kysely<Database>, corpId: string, options: WindowedSearchOptions, read: (window: SearchWindow) => Promise<T[]>,
): Promise<T[]> {
  const need = (options.offset ?? 0) + (options.limit ?? 50);
  const out: T[] = [];
  const span = await timeSpan(db, corpId, options.since, options.until);
  if (span) {
    const perMs = span.rows > 0 ? span.rows / Math.max(1, span.newest - span.oldest + 1) : 0;
    // Unknown size (never analysed): one window, the plain query.
    let width = perMs > 0 ? Math.max(1, Math.ceil((options.firstWindowRows ?? FIRST_WINDOW_ROWS) / perMs)) : Infinity;
    let until = span.newest;
    while (out.length < need && until >= span.oldest) {
      const since = Math.max(span.oldest, until - width + 1);
      const plan = width === Infinity ? undefined : until === span.newest ? 'time' : 'hits';
      out.push(...await read({ since, until, limit: need - out.length, plan }));
      until = since - 1;
      width *= GROWTH;
    }
  }
  // A time bound excludes messages without a msgtime, in the single query too.
  if (out.length < need && options.since === undefined && options.until === undefined) {
    out.push(...await read({ untimed: true, limit: need - out.length, plan: 'hits' }));
  }
  return out.slice(options.offset ?? 0);
}

/**
 * Oldest and newest msgtime of the corp within the bounds (two probes of (corp_id, msgtime)), and the
 * planner's row count of messages (all corps; only sizes the first window), in one round trip.
 */
async function timeSpan(db: Kysely<Database>, corpId: string, since?: number, until?: number): Promise<{ oldest: number; newest: number; rows: number } | undefined> {
  const lower = since === undefined ? sql`` : sql` and msgtime >= ${since}`;
  const upper = until === undefined ? sql`` : sql` and msgtime <= ${until}`;
  const { rows } = await sql<{ oldest: string | null; newest: string | null; rows: number }>`select
    (select min(msgtime) from messages where corp_id = ${corpId} and msgtime is not null${lower}${upper})::text as oldest,
    (select max(msgtime) from messages where corp_id = ${corpId} and msgtime is not null${lower}${upper})::text as newest,
    (select greatest(reltuples, 0)::float8 from pg_catalog.pg_class where oid = 'messages'::regclass) as rows`.execute(db);
  const row = rows[0];
  if (!row || row.oldest === null || row.newest === null) return undefined;
  return { oldest: Number(row.oldest), newest: Number(row.newest), rows: Number(row.rows) };
}
