import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { ensureStandinSdk } from '../../src/archive/sdk/standin-path.ts';
import { archiveExtension } from '../../src/sandbox/archive/index.ts';
import { startSandbox, type Sandbox, type SimulationRequest } from '../../src/sandbox/index.ts';
import type { Store } from '../../src/store/database.ts';
import { ENTITIES } from '../../src/store/entities.ts';
import { openStore } from '../../src/store/open.ts';
import { MsgCrypt } from '../../src/wecom/callback/crypto.ts';
import { parseEnvelope } from '../../src/wecom/callback/envelope.ts';
import type { CallbackKind } from '../../src/wecom/callback/events.ts';
import { BIN, cleanEnv, runCli } from '../helpers/cli.ts';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts';
import { canonicalDump, syncWith, TEST_LIMITS } from '../sync/helpers.ts';

/**
 * The service end to end: a sandbox sending callbacks to real `serve` and `worker` processes (the
 * CLI, spawned), a store the test reads, a small proxy in front of the servers that records what
 * they acknowledged, and the comparison with a fresh full sync.
 */

export interface ServiceWorld {
  sandbox: Sandbox;
  database: TestDatabase;
  configFile: string;
  /** The environment every process of the world gets (DATA_DIR, DATABASE_URL, job settings). */
  env: Record<string, string>;
  store: Store;
  close(): Promise<void>;
}

export async function startServiceWorld(dialect: 'sqlite' | 'postgres', seed: number, options: {
  retryDelaysMs: number[]; archiveMessages?: number; env?: Record<string, string>;
}): Promise<ServiceWorld> {
  if (options.archiveMessages) ensureStandinSdk();
  const sandbox = await startSandbox({
    size: 'small', seed, limits: TEST_LIMITS,
    extensions: options.archiveMessages ? [archiveExtension({ messages: options.archiveMessages })] : [],
    callbacks: { pumpIntervalMs: false, delivery: { retryDelaysMs: options.retryDelaysMs, timeoutMs: 10_000 } },
  });
  const database = await createTestDatabase(dialect);
  const configFile = join(mkdtempSync(join(tmpdir(), 'wa-service-')), 'wecom.env');
  await sandbox.writeConfig(configFile);
  const env = {
    DATA_DIR: database.dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    ARCHIVE_POLL_SECONDS: options.archiveMessages ? '30' : '0',
    // These workers share the machine with the other test files, not with a serve that WeCom waits
    // on: at nice 10 a saturated CI machine left one a tenth of a core, and its first sync took
    // minutes. WORKER_NICE itself is checked in test/jobs/worker-cli.test.ts.
    WORKER_NICE: '0',
    ...options.env,
  };
  const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, migrate: true });
  // serve refuses to start without an admin user.
  const admin = await runCli(['users', 'add', 'admin', '--role', 'admin', '--password-stdin', '--config', configFile], { input: 'service world admin\n', env });
  expect(admin.code, admin.stderr).toBe(0);
  return {
    sandbox, database, configFile, env, store,
    close: async () => {
      await store.close().catch(() => {});
      await sandbox.close().catch(() => {});
      if (dialect === 'postgres') await dropQueues(sandbox.corpId).catch(() => {});
      await database.drop().catch(() => {});
    },
  };
}

/** pg-boss's queues and schedules of the corp (the CLI uses the shared `pgboss` schema). */
async function dropQueues(corpId: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query("select pgboss.delete_queue(name) from pgboss.queue where name like '%-' || $1", [corpId]);
    await client.query("delete from pgboss.schedule where name like '%-' || $1", [corpId]);
  } finally {
    await client.end();
  }
}

/** A spawned CLI process: its output so far, a wait on it, and its end. */
export interface Proc {
  name: string;
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function startCli(name: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => { out.stdout += chunk; });
  child.stderr!.on('data', (chunk) => { out.stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    name, child, out, exited,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** `serve` on the port; resolves once it listens (its --json line printed). */
export async function startServe(world: ServiceWorld, port: number, name = 'serve'): Promise<Proc> {
  const proc = startCli(name, ['serve', '--port', String(port), '--config', world.configFile, '--json'], world.env);
  await waitUntil(() => proc.out.stdout.includes('"ok": true') || proc.child.exitCode !== null, `${name} listening`);
  expect(proc.child.exitCode, proc.out.stderr).toBeNull();
  return proc;
}

/** `worker` (PostgreSQL); resolves once its jobs started. */
export async function startWorker(world: ServiceWorld, name = 'worker'): Promise<Proc> {
  const proc = startCli(name, ['--json', 'worker', '--config', world.configFile], world.env);
  await waitUntil(() => proc.out.stdout.includes('background jobs started') || proc.child.exitCode !== null, `${name} started`);
  expect(proc.child.exitCode, proc.out.stderr).toBeNull();
  return proc;
}

/** Waits for a condition; the bound is a safety net for a loaded machine, not a timing claim. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, boundMs = 180_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > end) expect.fail(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** POST /__sandbox/events, as an operator would. */
export async function postEvents(sandbox: Sandbox, events: SimulationRequest | SimulationRequest[]): Promise<Array<{ type: string; changed: Record<string, any>; deliveries: Array<{ id: string; event: string }> }>> {
  const res = await fetch(`${sandbox.url}/__sandbox/events`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(Array.isArray(events) ? { events } : events),
  });
  const body = await res.json() as { results: any[] };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.results;
}

export async function callbackStats(sandbox: Sandbox): Promise<{ acknowledged: number; failed: number; pending: number; retried: number; rejected: number; dropped: number; sent: number }> {
  return (await (await fetch(`${sandbox.url}/__sandbox/callbacks`)).json() as { stats: any }).stats;
}

/**
 * A round-robin HTTP proxy in front of the servers, as a load balancer: each request goes to the
 * next server; when that server is down (refused, reset) the client's connection is cut, so the
 * sandbox sees a network failure and retries, as WeCom would. It decrypts what a server answered
 * 200 to: the events acknowledged, as the sandbox saw them.
 */
export interface Proxy {
  url: string;
  acknowledged: string[];
  close(): Promise<void>;
}

export async function startProxy(sandbox: Sandbox, upstreamPorts: number[]): Promise<Proxy> {
  const crypts = new Map<string, MsgCrypt>();
  const crypt = (kind: CallbackKind) => {
    const secrets = sandbox.callbacks.secrets[kind];
    if (!crypts.has(kind)) crypts.set(kind, new MsgCrypt({ token: secrets.token, encodingAesKey: secrets.encodingAesKey, receiveId: sandbox.corpId }));
    return crypts.get(kind)!;
  };
  const acknowledged: string[] = [];
  let next = 0;
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const port = upstreamPorts[next++ % upstreamPorts.length]!;
      const upstream = httpRequest({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers, agent: false }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('error', () => req.socket.destroy());
        answer.on('end', () => {
          if (answer.statusCode === 200 && req.method === 'POST') {
            const kind = req.url!.split('?')[0]!.split('/').at(-1) as CallbackKind;
            acknowledged.push(crypt(kind).decrypt(parseEnvelope(body).encrypt));
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(parts));
        });
      });
      upstream.on('error', () => req.socket.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`, acknowledged,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export interface InboxRow { id: number; dedupe_key: string; payload: string; status: string; event_kind: string; effect_actor: string | null; effect_change: string | null }

export async function inboxRows(store: Store, corpId: string): Promise<InboxRow[]> {
  return store.db.selectFrom('callback_inbox').select(['id', 'dedupe_key', 'payload', 'status', 'event_kind', 'effect_actor', 'effect_change'])
    .where('corp_id', '=', corpId).orderBy('id').execute() as Promise<InboxRow[]>;
}

/** Every inbox row settled: applied, or ignored on purpose; none waiting, failed or parked. */
export const settled = (rows: InboxRow[]) => rows.every((row) => row.status === 'applied' || row.status === 'ignored');

/** The live rows (deleted ones left out) of every synced table: what the store says exists now. */
export async function liveDump(store: Store, corpId: string): Promise<Record<string, string[]>> {
  const dump = await canonicalDump(store.db, corpId);
  const live: Record<string, string[]> = {};
  for (const [entity, spec] of Object.entries(ENTITIES)) {
    const keyOf = (row: Map<string, unknown>) => JSON.stringify(spec.key.map((column: string) => row.get(column)));
    const rows = (dump[entity] ?? []).map((text) => ({ text, row: new Map(JSON.parse(text) as Array<[string, unknown]>) }));
    const deleted = new Set(rows.filter(({ row }) => row.get('deleted') === true).map(({ row }) => keyOf(row)));
    live[entity] = rows.filter(({ row }) => row.get('deleted') !== true).map(({ text }) => text);
    // A deleted record's child rows stay with it (its history); what exists now is under live parents only.
    for (const child of Object.values(spec.children) as Array<{ table: string }>) {
      live[child.table] = (dump[child.table] ?? []).filter((text) => !deleted.has(keyOf(new Map(JSON.parse(text) as Array<[string, unknown]>))));
    }
  }
  return live;
}

/** A fresh full sync of the sandbox into an empty store of the same dialect, dumped live. */
export async function freshSyncDump(world: ServiceWorld): Promise<Record<string, string[]>> {
  const database = await createTestDatabase(world.database.dialect);
  const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, migrate: true });
  try {
    const result = await syncWith(store, world.sandbox);
    expect(result.failures.map((f) => `${f.scope}: ${String(f.error)}`)).toEqual([]);
    return await liveDump(store, world.sandbox.corpId);
  } finally {
    await store.close();
    await database.drop();
  }
}

/** `wecom-archive sync` once, as the scheduled reconciliation would run it. */
export async function syncOnce(world: ServiceWorld): Promise<void> {
  const run = await runCli(['--json', 'sync', '--config', world.configFile], { env: world.env });
  expect(run.code, run.stderr).toBe(0);
}

/** The newest finished sync run of the corp, if any. */
export async function syncFinished(store: Store, corpId: string): Promise<boolean> {
  const row = await store.db.selectFrom('sync_runs').select('status').where('corp_id', '=', corpId).where('status', '=', 'succeeded').executeTakeFirst();
  return Boolean(row);
}

/** Rows only in one of two dumps, per table (empty when they are equal): a readable failure. */
export function dumpDiff(store: Record<string, string[]>, fresh: Record<string, string[]>): Record<string, { onlyInStore: string[]; onlyInFresh: string[] }> {
  const diff: Record<string, { onlyInStore: string[]; onlyInFresh: string[] }> = {};
  for (const table of new Set([...Object.keys(store), ...Object.keys(fresh)])) {
    const a = store[table] ?? [];
    const b = fresh[table] ?? [];
    const onlyInStore = a.filter((row) => !b.includes(row));
    const onlyInFresh = b.filter((row) => !a.includes(row));
    if (onlyInStore.length || onlyInFresh.length) diff[table] = { onlyInStore, onlyInFresh };
  }
  return diff;
}
