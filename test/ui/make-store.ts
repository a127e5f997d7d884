/**
 * For working on the UI by hand: fills a store from the sandbox (test/ui/fixture.ts) and prints
 * where it is; `DATA_DIR=<that> wecom-archive serve --config <file>` then serves it.
 */
import { syncedStore } from './fixture.ts';

const store = await syncedStore({ messages: Number(process.argv[2] ?? 600) });
process.stdout.write(`${JSON.stringify({ dataDir: store.dataDir, configFile: store.configFile, corpId: store.corpId })}\n`);
await store.runtime.close();
