import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { syncStateRepository } from '../../store/index.ts';

/**
 * The last time each corp's hash chain was verified, and what it found: kept beside the archive's
 * cursors so `archive status`, the API and the health page can say it without reading every envelope
 * again. Written by every verify (CLI, API, UI) on a store that can be written.
 */

const LAST_VERIFY = 'archive/last-verify';

export interface LastVerify {
  /** When the check finished (UTC ms). */
  at: number;
  ok: boolean;
  /** Messages checked (all when ok; up to the break otherwise). */
  checked: number;
  /** The seq of the first row that broke the chain, as decimal text; null when ok. */
  brokenAtSeq: string | null;
  /** The deep check (decrypt again and compare) ran, and whether it agreed; null when it did not run. */
  deepOk: boolean | null;
}

export async function saveLastVerify(db: Kysely<Database>, corpId: string, last: LastVerify): Promise<void> {
  // A configured corp never synced nor pulled has no row yet, which the cursor refers to.
  await db.transaction().execute(async (trx) => {
    await syncStateRepository.ensureCorp(trx, corpId);
    await syncStateRepository.setCursor(trx, corpId, LAST_VERIFY, JSON.stringify(last), last.at);
  });
}

export async function readLastVerify(db: Kysely<Database>, corpId: string): Promise<LastVerify | null> {
  const text = await syncStateRepository.getCursor(db, corpId, LAST_VERIFY);
  return text ? (JSON.parse(text) as LastVerify) : null;
}
