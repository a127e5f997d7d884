import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDeployment } from '../../src/config/deployment.ts';
import { ensureStandinSdk } from '../../src/archive/sdk/standin-path.ts';
import { archiveExtension } from '../../src/sandbox/archive/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { pullArchives } from '../../src/services/archive.ts';
import { runtimeOf, type Runtime } from '../../src/services/runtime.ts';
import { syncCorps } from '../../src/services/sync.ts';
import type { StoreDialect } from '../../src/store/database.ts';
import { SYNC_SCOPES } from '../../src/sync/progress.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';

/**
 * A deployment whose store is filled from the sandbox as a user fills theirs: `sync` (directory,
 * customers, groups) and `archive pull`, through the services, into a database of the dialect asked.
 */
export interface FilledDeployment {
  sandbox: Sandbox;
  database: TestDatabase;
  configFile: string;
  env: Record<string, string>;
  runtime: Runtime;
  dispose(): Promise<void>;
}

export async function filledDeployment(dialect: StoreDialect, options: { messages?: number } = {}): Promise<FilledDeployment> {
  ensureStandinSdk();
  const sandbox = await startSandbox({ seed: 41, size: 'small', extensions: [archiveExtension({ messages: options.messages ?? 120 })] });
  const database = await createTestDatabase(dialect);
  const configFile = join(mkdtempSync(join(tmpdir(), 'wa-server-')), 'wecom.env');
  await sandbox.writeConfig(configFile);
  const env: Record<string, string> = { DATA_DIR: database.dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}) };
  const runtime = runtimeOf(await loadDeployment({ configPaths: [configFile], env, strict: false }));
  const dispose = async () => {
    await runtime.close();
    await sandbox.close();
    await database.drop();
  };
  try {
    const synced = await syncCorps(runtime, { scopes: [...SYNC_SCOPES] });
    if (!synced.ok) throw new Error(`sync failed: ${JSON.stringify(synced.corps.map((c) => c.failures))}`);
    const pulled = await pullArchives(runtime, { media: false });
    if (!pulled.ok) throw new Error(`archive pull failed: ${JSON.stringify(pulled.corps)}`);
  } catch (err) {
    await dispose();
    throw err;
  }
  return { sandbox, database, configFile, env, runtime, dispose };
}
