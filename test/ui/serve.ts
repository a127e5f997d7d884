import type { AddressInfo } from 'node:net';
import { buildServer } from '../../src/server/app.ts';
import { createToken } from '../../src/services/tokens.ts';
import type { SyncedStore } from './fixture.ts';

/**
 * A real `serve` over a synced store: the app the CLI builds, listening on a free port of
 * 127.0.0.1, with an API token for the browser to send (until sessions exist, the UI's requests are
 * authorised the way any API client's are).
 */
export interface RunningServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

export async function startServer(store: SyncedStore): Promise<RunningServer> {
  const { token } = await createToken(store.runtime, { name: `ui-test-${Date.now()}` });
  const app = await buildServer(store.runtime, { publicUrl: 'http://127.0.0.1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, token, close: () => app.close() };
}
