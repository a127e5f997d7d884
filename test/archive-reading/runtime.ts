import { NO_JOBS } from '../helpers/deployment.ts';
import type { Config } from '../../src/config/types.ts';
import { runtimeOf, type Runtime } from '../../src/services/runtime.ts';
import type { Store } from '../../src/store/database.ts';

/**
 * A runtime over a test's store with the given corps configured: what the reading services need
 * (the corps in scope and the store), with the store already open rather than found through DATA_DIR.
 */
export function runtimeOver(store: Store, corpIds: string[]): Runtime {
  const corps = corpIds.map((corpId) => ({ corpId }) as Config);
  const jobs = NO_JOBS;
  const rt = runtimeOf({ corps, dataDir: '/nonexistent', lang: 'zh', jobs, files: [], problems: [] });
  return { ...rt, store: async () => store, readStore: async () => store, close: async () => {} };
}
