import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStandinSdk } from '../../src/archive/sdk/standin-path.ts';
import { loadDeployment } from '../../src/config/deployment.ts';
import { archiveExtension } from '../../src/sandbox/archive/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { archiveCoverage, pullArchives } from '../../src/services/archive.ts';
import { runtimeOf, type Runtime } from '../../src/services/runtime.ts';
import { syncCorps } from '../../src/services/sync.ts';
import { SYNC_SCOPES } from '../../src/sync/progress.ts';
import { ingest } from '../archive-reading/seed.ts';
import { addWidebandVoice, makeHostileCustomer } from './extras.ts';
import { HOSTILE_MESSAGES, LONG_MESSAGES } from './hostile.ts';

/**
 * A store the UI can be walked over: the sandbox's small company synced and its archive pulled
 * (media downloaded), plus a conversation of hostile strings and a long one. On SQLite in a temp folder; the
 * sandbox keeps running only while the store is filled.
 */
export interface SyncedStore {
  runtime: Runtime;
  corpId: string;
  dataDir: string;
  configFile: string;
  /** A customer whose name, remark and tag are hostile strings. */
  hostileCustomer: string;
  close(): Promise<void>;
}

export async function syncedStore(options: { messages?: number; seed?: number } = {}): Promise<SyncedStore> {
  ensureStandinSdk();
  const dir = mkdtempSync(join(tmpdir(), 'wa-ui-'));
  const configFile = join(dir, 'wecom.env');
  const dataDir = join(dir, 'data');
  let sandbox: Sandbox | undefined;
  try {
    // The whole archive sent by now and inside WeCom's 5-day window: by default the timeline ends at
    // midnight and spans 7 days, so which showcase messages are pullable would depend on the hour.
    const archive = archiveExtension({ messages: options.messages ?? 600, end: new Date(), spanDays: 4 });
    sandbox = await startSandbox({ seed: options.seed ?? 7, size: 'small', port: 0, extensions: [archive] });
    await sandbox.writeConfig(configFile);
    const deployment = await loadDeployment({ configPaths: [configFile], env: { DATA_DIR: dataDir }, strict: false });
    const runtime = runtimeOf(deployment);
    const corpId = runtime.corpIds[0]!;
    const synced = await syncCorps(runtime, { scopes: SYNC_SCOPES });
    if (!synced.ok) throw new Error(`sandbox sync failed: ${JSON.stringify(synced.corps.map((c) => c.failures))}`);
    const pulled = await pullArchives(runtime, {});
    if (!pulled.ok) throw new Error(`sandbox pull failed: ${JSON.stringify(pulled.corps)}`);
    // Coverage and consent as a refresh stores them (the health page and customer 360 show them).
    await archiveCoverage(runtime, {});
    const store = await runtime.store();
    await ingest(store.db, corpId, HOSTILE_MESSAGES);
    await ingest(store.db, corpId, LONG_MESSAGES);
    await addWidebandVoice(store, corpId, dataDir);
    const hostileCustomer = await makeHostileCustomer(store, corpId);
    await sandbox.close();
    sandbox = undefined;
    return {
      runtime, corpId, dataDir, configFile, hostileCustomer,
      async close() {
        await runtime.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
