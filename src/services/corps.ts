import { archiveStatus } from '../archive/status/status.ts';
import type { Config } from '../config/types.ts';
import type { Store } from '../store/database.ts';
import { syncStateRepository } from '../store/sync-state.repository.ts';
import { CREDENTIAL_KINDS } from '../wecom/endpoints.ts';
import { EmptyStoreError, type Runtime } from './runtime.ts';
import type { CorpOverview, CorpsReport } from './types/corps.ts';
import { requireCapability } from './access.ts';

/**
 * `corps`: the configured corps (every one, or `--corp`'s), each with the credentials it has, its
 * last directory/customer sync and where its archive stands. A deployment with nothing synced or
 * pulled yet (no database at all) lists its corps as never synced, and creates nothing.
 */

export async function listCorps(rt: Runtime, input: { corpId?: string; now?: number } = {}): Promise<CorpsReport> {
  requireCapability(rt, 'operations');
  const configs = rt.corps(input.corpId);
  const store = await rt.readStore().catch((err: unknown) => {
    if (err instanceof EmptyStoreError) return undefined;
    throw err;
  });
  const now = input.now ?? Date.now();
  const corps: CorpOverview[] = [];
  for (const config of configs) corps.push(await overview(config, store, now));
  return { ok: true, corps, truncated: false };
}

async function overview(config: Config, store: Store | undefined, now: number): Promise<CorpOverview> {
  const corpId = config.corpId!;
  const base = {
    corpId, file: config.file ?? null, credentials: CREDENTIAL_KINDS.filter((kind) => Boolean(config.secrets[kind])),
  };
  if (!store) return { ...base, lastSync: null, archive: { lastSeq: null, messages: 0, newestMsgtime: null, lagMs: null, lastPullAt: null } };
  const [runs, status] = await Promise.all([
    syncStateRepository.listRuns(store.db, corpId, { limit: 1 }),
    archiveStatus(store.db, corpId, now),
  ]);
  const run = runs[0];
  return {
    ...base,
    lastSync: run ? { startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status, kind: run.kind } : null,
    archive: {
      lastSeq: status.cursor?.toString() ?? null, messages: status.messages, newestMsgtime: status.newestMsgtime,
      lagMs: status.lagMs, lastPullAt: status.lastPull?.finishedAt ?? null,
    },
  };
}
