/**
 * The UI bench's server: the product's Fastify app over bench:search's cached store, listening on a
 * loopback port, with an auditor's API token, and a client that times one request as the browser
 * waits for it (sent → last byte) beside the server's own time (its Server-Timing header).
 *
 * The server runs in this process, not a child. Requests go one at a time, so client and server
 * never want the event loop at once (the machine's two cores stay free for the database and other
 * jobs), and the direct baselines call the services on the very runtime, connection and SQLite page
 * cache the routes use: the only difference left between them is HTTP, auth and serialisation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Client } from 'undici';
import { loadDeployment } from '../src/config/deployment.ts';
import { buildServer } from '../src/server/app.ts';
import { asActor } from '../src/services/access.ts';
import { NO_ACCESS_CONTEXT, runtimeOf, type Runtime } from '../src/services/runtime.ts';
import { authenticate, createToken, revokeToken } from '../src/services/tokens.ts';
import type { Store } from '../src/store/database.ts';
import type { BuiltStore } from './search-store.ts';

/** What a reviewer types before reading (the UI asks once per session; the header carries it here). */
const PURPOSE = '性能基准：界面首屏';

export interface Timed {
  /** Sent → whole body received, ms. */
  e2e: number;
  /** The server's Server-Timing `app;dur`, ms. */
  server: number;
  body: string;
  /** Bytes on the wire: the body as sent (compressed when asked). */
  wire: number;
}

export interface BenchServer {
  corpId: string;
  /** The store the routes read, opened once. */
  store: Store;
  /** The runtime a request with the bench's token runs as (the same actor, scope and purpose). */
  caller: Runtime;
  /**
   * GET with the token and purpose (or none: `open`), over one keep-alive connection; 200 or it throws.
   * `compressed`: accepting br and gzip as a browser does, the body decoded before the clock stops.
   */
  get(path: string, open?: boolean, compressed?: boolean): Promise<Timed>;
  close(): Promise<void>;
}

export async function startBenchServer(built: BuiltStore): Promise<BenchServer> {
  // The deployment as a user would write it: one corp, DATA_DIR the bench's store; nothing else is needed to read.
  const dir = mkdtempSync(join(tmpdir(), 'wa-bench-ui-'));
  const configFile = join(dir, 'wecom.env');
  writeFileSync(configFile, `CORP_ID=${built.corpId}\n`, { mode: 0o600 });
  const runtime = runtimeOf(await loadDeployment({ configPaths: [configFile], env: { DATA_DIR: built.dataDir }, strict: false }));
  let app: FastifyInstance | undefined;
  let client: Client | undefined;
  let tokenId: string | undefined;
  const close = async () => {
    await client?.close();
    await app?.close();
    // The token goes with the run; its audit rows (one per read) stay in the cached store, as they would.
    if (tokenId) await revokeToken(runtime, { idOrName: tokenId });
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const created = await createToken(runtime, { name: `bench-ui ${new Date().toISOString()}`, role: 'auditor' });
    tokenId = created.id;
    const actor = await authenticate(runtime, created.token);
    if (!actor) throw new Error('the bench token was not accepted');
    const caller = asActor(runtime, actor, { ...NO_ACCESS_CONTEXT, ip: '127.0.0.1', userAgent: 'bench', purpose: PURPOSE });
    app = await buildServer(runtime, { publicUrl: 'http://127.0.0.1' });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    client = new Client(address, { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    const headers = { authorization: `Bearer ${created.token}`, 'x-access-purpose': encodeURIComponent(PURPOSE), 'accept-language': 'zh' };
    const http = client;
    const get = async (path: string, open = false, compressed = false): Promise<Timed> => {
      const started = performance.now();
      const asked = { ...(open ? {} : headers), ...(compressed ? { 'accept-encoding': 'br, gzip' } : {}) };
      const res = await http.request({ method: 'GET', path, headers: asked });
      const raw = Buffer.from(await res.body.arrayBuffer());
      const coding = res.headers['content-encoding'];
      const body = (coding === 'br' ? brotliDecompressSync(raw) : coding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const e2e = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode} ${body.slice(0, 300)}`);
      const server = Number(/app;dur=([\d.]+)/.exec(String(res.headers['server-timing']))?.[1]);
      if (!Number.isFinite(server)) throw new Error(`GET ${path}: no Server-Timing header`);
      return { e2e, server, body, wire: raw.length };
    };
    return { corpId: built.corpId, store: await runtime.readStore(), caller, get, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
