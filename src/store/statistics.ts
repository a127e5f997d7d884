import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { dialectOf } from './sql-kit.ts';

/**
 * PostgreSQL plans from statistics that only ANALYZE gathers. Autovacuum normally runs it, but it
 * may be off (it is on this project's test server) or behind a large first pull, and a messages
 * table never analysed is planned as if `corp_id = $1` matched 0.5% of its rows: at 1M messages a
 * search read the whole time index into a lossy bitmap (0.5–1.8 s instead of 1–20 ms) and the page
 * writer's duplicate check once scanned the corp's rows per page (docs/archive-ingest.md).
 *
 * So the puller analyses messages itself when it has never been analysed or has since doubled: about
 * ten times over a first pull of 1M messages (~0.3–3 s each at 1M), then rarely. The statistics only
 * need the shape of the data (one corp, how selective a word is), which doubling leaves intact.
 * SQLite plans without statistics here (its plans are fixed by the queries' shape): nothing to do.
 */

/** Below this many rows any plan is fast: not worth an ANALYZE. */
const MIN_ROWS = 5_000;

export async function refreshStatistics(db: Kysely<Database>, table: 'messages' = 'messages'): Promise<boolean> {
  if (dialectOf(db) !== 'postgres') return false;
  const { rows } = await sql<{ analysed: number; changed: string; tuples: number }>`
    select coalesce(greatest(s.analyze_count, s.autoanalyze_count), 0)::int as analysed,
      s.n_mod_since_analyze::text as changed, greatest(c.reltuples, 0)::float8 as tuples
    from pg_catalog.pg_stat_user_tables s join pg_catalog.pg_class c on c.oid = s.relid
    where s.relid = ${table}::regclass`.execute(db);
  const row = rows[0];
  if (!row) return false;
  const changed = Number(row.changed);
  const due = row.analysed === 0 ? changed >= MIN_ROWS : changed >= Math.max(MIN_ROWS, row.tuples);
  if (!due) return false;
  // Autovacuum working on the table holds the lock ANALYZE needs: it is refreshing them already.
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
