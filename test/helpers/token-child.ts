/**
 * A separate CLI-like process for the cross-process token test: fetches one token through a client
 * sharing DATA_DIR with its siblings, and prints it with how many gettoken calls it made itself.
 */
import { createWecomClient } from '../../src/wecom/client.ts';

const [apiBase, dataDir, corpId, secret] = process.argv.slice(2);
const client = createWecomClient({ corpId, secrets: { app: secret }, apiBase, dataDir, retryPolicy: 'test' });
const token = await client.token('app');
process.stdout.write(JSON.stringify({ token, fetches: client.tokens.fetches }));
await client.close();
