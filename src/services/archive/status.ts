import { coverageReport } from '../../archive/coverage/index.ts';
import { archiveCorps, archiveStatus } from '../../archive/status/status.ts';
import type { Lang } from '../../i18n/index.ts';
import type { Runtime } from '../runtime.ts';
import type { ArchiveStatusReport, StatusEntry } from '../types/archive.ts';
import { eachCorp } from './per-corp.ts';
import { langOf } from './session.ts';
import { requireCapability } from '../access.ts';

/**
 * `archive status`: per corp, the messages held by status, the lag behind the newest message and
 * against WeCom's 5-day window, the last pull, the messages left encrypted, and who is archived
 * (coverage). Reads only. Without `corpId`: every configured corp and every corp the store holds.
 */

export interface StatusInput {
  corpId?: string;
  lang?: Lang;
  now?: number;
}

/** Refusing customers listed per corp in a status (the full list is `archive coverage`'s). */
const COVERAGE_LISTED = 20;

export async function archiveStatuses(rt: Runtime, input: StatusInput = {}): Promise<ArchiveStatusReport> {
  requireCapability(rt, 'operations');
  const configured = rt.corps(input.corpId).map((config) => config.corpId!);
  const store = await rt.readStore();
  const corpIds = input.corpId !== undefined ? configured : [...new Set([...configured, ...(await archiveCorps(store.db))])].sort();
  const now = input.now ?? Date.now();
  return eachCorp<StatusEntry>(corpIds, langOf(rt, input), async (corpId) => {
    const { corpId: _, ...status } = await archiveStatus(store.db, corpId, now);
    return { ...status, coverage: await coverageReport(store.db, corpId, COVERAGE_LISTED) };
  });
}
