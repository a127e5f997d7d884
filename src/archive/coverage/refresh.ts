import type { Kysely } from 'kysely';
import type { CoveragePart } from '../../store/archive-coverage.table.ts';
import type { Database } from '../../store/database.ts';
import { syncStateRepository } from '../../store/sync-state.repository.ts';
import type { WecomClient } from '../../wecom/client.ts';
import { consentFromApi, consentFromMessages } from './consent.ts';
import { errorText } from './errors.ts';
import { resolveNames } from './names.ts';
import { replacePermitUsers, setPartState } from './store.ts';

/**
 * One coverage refresh: the permit list, names of groups and robots (before consent, which asks
 * only customer groups), then consent from the archive's messages and from WeCom. A part that fails
 * (a wrong secret, the trusted IP…) is recorded with its reason and the others still run.
 */

export interface RefreshOptions {
  db: Kysely<Database>;
  corpId: string;
  client: WecomClient;
  now?: () => number;
  /** Re-read every name and every consent message, not only the new ones. */
  full?: boolean;
}

export interface PartOutcome {
  ok: boolean;
  /** `errcode errmsg` of the failure that stopped it. */
  error?: string;
  counts: Record<string, number>;
  /** Items WeCom refused, the refresh going on without them. */
  skipped: string[];
}

export type RefreshOutcome = Record<CoveragePart, PartOutcome>;

export async function refreshCoverage(options: RefreshOptions): Promise<RefreshOutcome> {
  const { db, corpId, client } = options;
  const now = options.now ?? Date.now;
  await syncStateRepository.ensureCorp(db, corpId, null, now());

  const permits = await part(db, corpId, 'permits', now, async () => {
    const res = await client.call('msgaudit.getPermitUserList', {}, { credential: 'archive' });
    const ids = res.ids ?? [];
    await replacePermitUsers(db, corpId, ids, now());
    return { counts: { permitted: ids.length }, skipped: [] };
  }, false);

  const names = await part(db, corpId, 'names', now, async () => {
    const outcome = await resolveNames(db, corpId, client, now(), options.full);
    return { counts: { rooms: outcome.rooms, robots: outcome.robots }, skipped: outcome.skipped };
  });

  const consent = await part(db, corpId, 'consent', now, async () => {
    // The archive's own messages first: they need no call, so they are kept even if WeCom refuses.
    const messages = await consentFromMessages(db, corpId, now(), options.full);
    const api = await consentFromApi(db, corpId, client, now());
    return { counts: { messages, pairs: api.pairs, rooms: api.rooms }, skipped: api.skipped };
  });
  return { permits, names, consent };
}

/**
 * Runs one part and records its state. `permits` writes its state with its rows (one transaction),
 * hence `recordSuccess` false there.
 */
async function part(
  db: Kysely<Database>, corpId: string, name: CoveragePart, now: () => number,
  run: () => Promise<{ counts: Record<string, number>; skipped: string[] }>, recordSuccess = true,
): Promise<PartOutcome> {
  try {
    const { counts, skipped } = await run();
    if (recordSuccess) await setPartState(db, corpId, name, now(), null);
    return { ok: true, counts, skipped };
  } catch (err) {
    const error = errorText(err);
    await setPartState(db, corpId, name, now(), error);
    return { ok: false, error, counts: {}, skipped: [] };
  }
}
