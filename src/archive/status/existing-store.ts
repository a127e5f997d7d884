import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/types.ts';
import { openStore, SQLITE_FILE_NAME, type Store } from '../../store/index.ts';

/**
 * The store as it is, for doctor's read-only checks: never created nor migrated. Undefined when there
 * is none yet, or it cannot be opened (the store's own problems belong to whoever opens it for real).
 */
export async function openExistingStore(config: Config): Promise<Store | undefined> {
  if (!config.databaseUrl && !existsSync(join(config.dataDir, SQLITE_FILE_NAME))) return undefined;
  try {
    return await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: false, access: 'read' });
  } catch {
    return undefined;
  }
}
