import { syncStateRepository } from '../store/sync-state.repository.ts';
import { EmptyStoreError, type Runtime } from './runtime.ts';
import type { CorpSyncState, SyncStateReport } from './types/sync.ts';
import { requireCapability } from './access.ts';

/**
 * Where the sync of every corp in scope stands: its latest runs (newest first) and the streams it
 * will resume. Reads only; a deployment with no database yet has run nothing.
 */
export async function syncState(rt: Runtime, input: { corpId?: string; limit?: number } = {}): Promise<SyncStateReport> {
  requireCapability(rt, 'operations');
  const corpIds = rt.corps(input.corpId).map((config) => config.corpId!);
  const store = await rt.readStore().catch((err: unknown) => {
    if (err instanceof EmptyStoreError) return undefined;
    throw err;
  });
  const limit = input.limit ?? 20;
  let truncated = false;
  const corps: CorpSyncState[] = [];
  for (const corpId of corpIds) {
    if (!store) {
      corps.push({ corpId, runs: [], cursors: [] });
      continue;
    }
    const [runs, cursors] = await Promise.all([
      syncStateRepository.listRuns(store.db, corpId, { limit: limit + 1 }),
      syncStateRepository.listCursors(store.db, corpId),
    ]);
    truncated ||= runs.length > limit;
    corps.push({
      corpId,
      runs: runs.slice(0, limit).map(({ corpId: _, ...run }) => run),
      cursors: cursors.map((c) => ({ stream: c.stream, updatedAt: c.updated_at })),
    });
  }
  return { ok: true, corps, truncated };
}
