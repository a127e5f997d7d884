import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { dialectOf } from './sql-kit.ts';

/**
 * PostgreSQL upkeep the puller does itself (planner statistics; the trigram index pending list).
 *
 * PostgreSQL plans from statistics that only ANALYZE gathers. Autovacuum normally runs it, but it
 * may be off (it is on this project's test server) or behind a large first pull, and a messages
 * table never analysed is planned as if `corp_id = $1` matched 0.5% of its rows: at 1M messages a
 * search read the whole time index into a lossy bitmap (0.5–1.8 s instead of 1–20 ms) and the page
 * writer's duplicate check once scanned the corp's rows per page (docs/archive-ingest.md).
 *
 * So the puller (after each page) and the sync (after each run) analyse the tables that were never
 * analysed or have since doubled: about ten times over a first pull of 1M messages (~0.3–3 s each at
 * 1M), then rarely. The statistics only need the shape of the data (one corp, how selective a word
 * is), which doubling leaves intact. The directory matters too: search names its hits from
 * customers and employees by `corp_id = $1 and id in (…)`, the plan that went wrong for messages.
 * SQLite plans without statistics here (its plans are fixed by the queries' shape): nothing to do.
 */

/** Below this many rows any plan is fast: not worth an ANALYZE. */
const MIN_ROWS = 5_000;

/**
 * Analyses each table of the store's schema that is due (never analysed and ≥ MIN_ROWS rows
 * written, or as many rows written since its last analysis as it held then); the names of those
 * analysed. One catalog query when nothing is due.
 */
export async function refreshStatistics(db: Kysely<Database>): Promise<string[]> {
  if (dialectOf(db) !== 'postgres') return [];
  const { rows } = await sql<{ name: string }>`
    select s.relname as name from pg_catalog.pg_stat_user_tables s join pg_catalog.pg_class c on c.oid = s.relid
    where s.schemaname = current_schema() and s.relname not like 'kysely%' and s.n_mod_since_analyze >= case
      when s.analyze_count + s.autoanalyze_count = 0 then ${MIN_ROWS} else greatest(${MIN_ROWS}, c.reltuples) end`.execute(db);
  const analysed: string[] = [];
  for (const { name } of rows) if (await analyse(db, name)) analysed.push(name);
  return analysed;
}

/** Autovacuum working on the table holds the lock ANALYZE needs: it is refreshing it already. */
async function analyse(db: Kysely<Database>, table: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await sql`set local lock_timeout = '200ms'`.execute(trx);
    try {
      await sql`analyze ${sql.table(table)}`.execute(trx);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') return false;
      throw err;
    }
  });
}

/**
 * Moves the trigram index's pending list into the index proper (PostgreSQL; a no-op on SQLite).
 * With GIN's fast update, rows inserted since the last flush sit in an unsorted list that every
 * search scans whole: 8,000 pending rows (349 pages) cost 2–4 ms per index probe at 1M, and a search
 * makes up to seven, against 0.12 ms each once flushed (EXPLAIN ANALYZE, docs/archive-ingest.md).
 * Autovacuum flushes it when it runs; the puller does it at the end of every pull, so searches
 * after a pull never pay for it. The flush is work the next overflowing insert would do anyway.
 */
export async function flushSearchIndex(db: Kysely<Database>): Promise<number> {
  if (dialectOf(db) !== 'postgres') return 0;
  try {
    const { rows } = await sql<{ pages: string }>`select gin_clean_pending_list('messages_search_trgm'::regclass)::text as pages`.execute(db);
    return Number(rows[0]?.pages ?? 0);
  } catch (err) {
    // Only the index's owner may flush it (a store migrated by another role): autovacuum still will.
    if ((err as { code?: string }).code === '42501') return 0;
    throw err;
  }
}
