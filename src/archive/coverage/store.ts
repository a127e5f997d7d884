import { sql, type Insertable, type Kysely } from 'kysely';
import type { ArchiveConsentTable, CoveragePart } from '../../store/archive-coverage.table.ts';
import type { Database } from '../../store/database.ts';
import { chunk, inTransaction, rowsPerStatement } from '../../store/sql-kit.ts';

/**
 * Writes of the coverage refresh to its tables (archive-coverage.table.ts). Each is idempotent, so a
 * refresh interrupted half way and run again ends in the same rows.
 */

export type ConsentRow = Omit<Insertable<ArchiveConsentTable>, 'corp_id'>;

/** Replaces the permit list: members gone from it are removed, first_seen_at survives for the others. */
export async function replacePermitUsers(db: Kysely<Database>, corpId: string, userids: readonly string[], now: number): Promise<void> {
  const wanted = new Set(userids);
  await inTransaction(db, async (trx) => {
    const stored = await trx.selectFrom('archive_permit_users').select('userid').where('corp_id', '=', corpId).execute();
    const gone = stored.map((r) => r.userid).filter((id) => !wanted.has(id));
    for (const batch of chunk(gone, rowsPerStatement(1))) {
      await trx.deleteFrom('archive_permit_users').where('corp_id', '=', corpId).where('userid', 'in', batch).execute();
    }
    for (const batch of chunk([...wanted], rowsPerStatement(4))) {
      await trx.insertInto('archive_permit_users')
        .values(batch.map((userid) => ({ corp_id: corpId, userid, first_seen_at: now, fetched_at: now })))
        .onConflict((oc) => oc.columns(['corp_id', 'userid']).doUpdateSet({ fetched_at: now })).execute();
    }
    await setPartState(trx, corpId, 'permits', now, null);
  });
}

/** A status seen again only refreshes checked_at; a new one is a new row (the history). */
export async function upsertConsents(db: Kysely<Database>, corpId: string, rows: readonly ConsentRow[]): Promise<void> {
  for (const batch of chunk(rows, rowsPerStatement(9))) {
    await db.insertInto('archive_consents').values(batch.map((r) => ({ ...r, corp_id: corpId })))
      .onConflict((oc) => oc.columns(['corp_id', 'external_userid', 'party_kind', 'party_id', 'source', 'status_change_time'])
        .doUpdateSet({ status: sql`excluded.status`, checked_at: sql`excluded.checked_at` }))
      .execute();
  }
}

export async function setPartState(db: Kysely<Database>, corpId: string, part: CoveragePart, now: number, error: string | null): Promise<void> {
  // A failed refresh keeps the time of the last good one: the data shown is that old.
  await db.insertInto('archive_coverage_state').values({ corp_id: corpId, part, refreshed_at: error === null ? now : null, error })
    .onConflict((oc) => oc.columns(['corp_id', 'part']).doUpdateSet(error === null
      ? { refreshed_at: now, error: null }
      : { error }))
    .execute();
}

export async function partStates(db: Kysely<Database>, corpId: string): Promise<Map<CoveragePart, { at: number | null; error: string | null }>> {
  const rows = await db.selectFrom('archive_coverage_state').select(['part', 'refreshed_at', 'error'])
    .where('corp_id', '=', corpId).execute();
  return new Map(rows.map((r) => [r.part, { at: r.refreshed_at, error: r.error }]));
}
