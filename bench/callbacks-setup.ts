/**
 * The parts of `npm run bench:callbacks` that are not measurement: the sandbox on a worker thread
 * (WeCom's servers, not the product's CPU), the CLI as child processes (`sync`, `serve`), a fresh
 * PostgreSQL database of our own, and reading the inbox back to check that nothing was lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { openStore } from '../src/store/open.ts';
import type { Store } from '../src/store/database.ts';

const bin = fileURLToPath(new URL('../bin/wecom-archive', import.meta.url));
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface SandboxInfo {
  url: string;
  corpId: string;
  seed: number;
}

export interface SandboxHandle extends SandboxInfo {
  /** A copy of the sandbox's --config-out in `dir` (the store then lives in dir/data on SQLite). */
  configIn(dir: string): string;
  close(): Promise<void>;
}

/** The worker's side: the small company, its config written to `file`, until told to stop. */
export async function serveSandboxOnWorker(parent: import('node:worker_threads').MessagePort, file: string, seed: number): Promise<void> {
  const { startSandbox } = await import('../src/sandbox/index.ts');
  const sandbox = await startSandbox({ seed, size: 'small', port: 0 });
  await sandbox.writeConfig(file);
  parent.once('message', async () => {
    await sandbox.close();
    parent.close();
  });
  parent.postMessage({ url: sandbox.url, corpId: sandbox.corpId, seed } satisfies SandboxInfo);
}

export async function startSandboxWorker(entry: string, dir: string, seed: number): Promise<SandboxHandle> {
  const file = join(dir, 'sandbox.env');
  // Workers do not inherit tsx's loader: the worker registers it, then loads the entry file.
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { sandboxConfig: file, seed } });
  const info = await new Promise<SandboxInfo>((ok, fail) => {
    worker.once('message', ok);
    worker.once('error', fail);
  });
  return {
    ...info,
    configIn(target) {
      mkdirSync(target, { recursive: true });
      const copy = join(target, 'wecom.env');
      copyFileSync(file, copy);
      return copy;
    },
    async close() {
      worker.postMessage('close');
      await new Promise((done) => worker.once('exit', done));
    },
  };
}

/** Environment of every CLI child: the database, and no scheduled sync or archive poll during a run. */
export function cliEnv(databaseUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ARCHIVE_POLL_SECONDS: '0', WECOM_ARCHIVE_LANG: 'en', NO_COLOR: '1' };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

export interface ServeHandle {
  url: string;
  pid: number;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

/**
 * `serve --port 0 --json` in its own process (so the load generator never shares its event loop).
 * On SQLite it applies the inbox itself (its background jobs); on PostgreSQL, as deployed, a
 * `worker` process does (startWorker). `nodeArgs` e.g. --cpu-prof.
 */
export async function startServe(config: string, env: NodeJS.ProcessEnv, cwd: string, nodeArgs: string[] = []): Promise<ServeHandle> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, bin, 'serve', '--port', '0', '--json', '--config', config], {
    env: { ...env, LOG_LEVEL: 'warn' }, cwd, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => { stderr = (stderr + c).slice(-4000); });
  orphanGuard(child);
  const exited = new Promise<number>((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1))));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((ok, fail) => {
    // --json prints one (pretty-printed) document: lines until it parses.
    let text = '';
    lines.on('line', (line) => {
      text += line;
      try {
        ok((JSON.parse(text) as { url: string }).url);
      } catch {
        if (text.length > 10_000) fail(new Error(`serve printed ${text.slice(0, 200)}`));
      }
    });
    void exited.then((code) => fail(new Error(`serve exited ${code} before listening: ${stderr}`)));
  });
  return {
    url, pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** `worker` (PostgreSQL): applies the inbox beside serve, in its own process; SIGTERM, then its exit code. */
export function startWorker(config: string, env: NodeJS.ProcessEnv, cwd: string, nodeArgs: string[] = []): { stop(): Promise<number> } {
  const child = spawn(process.execPath, [...nodeArgs, bin, 'worker', '--config', config], { env: { ...env, LOG_LEVEL: 'warn' }, cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  orphanGuard(child);
  const exited = new Promise<number>((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1))));
  return {
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** If the bench dies first (an exception), its children go with it rather than serve on. */
function orphanGuard(child: ChildProcess): void {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

/** A database of our own beside `test`, dropped afterwards. */
export async function freshPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wa_bench_callbacks_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

export function openBenchStore(dir: string, databaseUrl: string | undefined): Promise<Store> {
  return openStore({ dataDir: resolve(dir, 'data'), databaseUrl, migrate: false });
}

/** Follow relations (member, customer) in the store after the sync: the targets of the edits. */
export async function followPairs(store: Store, corpId: string): Promise<Array<{ userid: string; externalUserid: string }>> {
  const rows = await store.db.selectFrom('follow_relations').select(['userid', 'external_userid'])
    .where('corp_id', '=', corpId).where('deleted_at', 'is', null).orderBy('external_userid').orderBy('userid').execute();
  return rows.map((r) => ({ userid: r.userid, externalUserid: r.external_userid }));
}

export interface InboxCount {
  /** Rows per dedupe key among the keys we sent. */
  stored: Map<string, number>;
  byStatus: Record<string, number>;
}

export async function inboxOf(store: Store, corpId: string, keys: readonly string[]): Promise<InboxCount> {
  const wanted = new Set(keys);
  const rows = await store.db.selectFrom('callback_inbox').select(['dedupe_key', 'status']).where('corp_id', '=', corpId).execute();
  const stored = new Map<string, number>();
  const byStatus: Record<string, number> = {};
  for (const row of rows) {
    if (!wanted.has(row.dedupe_key)) continue;
    stored.set(row.dedupe_key, (stored.get(row.dedupe_key) ?? 0) + 1);
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  }
  return { stored, byStatus };
}

/** Events still to apply (pending or failed and due again), across the corp. */
export async function unapplied(store: Store, corpId: string): Promise<number> {
  const row = await store.db.selectFrom('callback_inbox').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('corp_id', '=', corpId).where('status', 'in', ['pending', 'failed']).executeTakeFirstOrThrow();
  return Number(row.n);
}
