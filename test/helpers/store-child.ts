import { createInterface } from 'node:readline';
import type { StoreDialect } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openStore } from '../../src/store/open.ts';

/**
 * A separate process that migrates a store, for the concurrent-migration test. It loads everything,
 * prints `ready`, and migrates only when the parent writes a line: the parent releases every child
 * at once, so their migrations really overlap.
 * argv: <dataDir> [databaseUrl]. Prints `{"dialect":…,"applied":[…]}` on success.
 */
const [dataDir, databaseUrl] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();

const store = await openStore({ dataDir: dataDir!, databaseUrl: databaseUrl || undefined, migrate: false });
try {
  const applied = await migrateToLatest(store.db, store.dialect as StoreDialect);
  process.stdout.write(`${JSON.stringify({ dialect: store.dialect, applied })}\n`);
} finally {
  await store.close();
}
