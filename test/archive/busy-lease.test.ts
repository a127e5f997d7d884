import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';
import { dbEnv, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// A lease held by another, real process: `sync` and `archive pull` refuse alike (exit 2, a refusal of
// the set-up kind) and name the holder by host and pid, on SQLite (the lock file) and PostgreSQL
// (pg_locks and pg_stat_activity's application_name) alike.

// Real CLI processes; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
beforeAll(async () => { world = await startArchiveWorld({ messages: 20 }); });
afterAll(async () => { await world?.close(); });

/** A separate process that opens the store, takes the given leases, says `held` and waits to be killed. */
async function holdLeases(database: TestDatabase, names: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
    const { openStore } = await import(${JSON.stringify(new URL('../../src/store/open.ts', import.meta.url).pathname)});
    const { acquireLease } = await import(${JSON.stringify(new URL('../../src/store/lease.ts', import.meta.url).pathname)});
    const store = await openStore({ dataDir: process.env.DATA_DIR, databaseUrl: process.env.DATABASE_URL || undefined });
    for (const name of JSON.parse(process.env.LEASES)) await acquireLease(store, name);
    process.stdout.write('held\\n');
    setInterval(() => {}, 1000);
  `], { env: { ...process.env, ...dbEnv(database), LEASES: JSON.stringify(names) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the lease holder exited (${code})`)));
  });
  return child;
}

describeDatabases('a busy lease', (getDatabase) => {
  it('refuses a second sync and a second pull alike, exit 2, naming the holder', async () => {
    const database = getDatabase();
    const corp = world.sandbox.corpId;
    const holder = await holdLeases(database, [`archive-${corp}`, `sync-${corp}-directory`]);
    const cli = (...args: string[]) => runCli(['--lang', 'en', ...args, '--config', world.configFile], { env: dbEnv(database) });
    try {
      const named = `process ${holder.pid} on host ${hostname()}`;
      // The directory is held; customers and groups sync all the same (a partial run), yet a busy
      // lease is a refusal: exit 2, as a busy pull.
      const sync = await cli('sync');
      expect(sync.stderr).toContain(`Another process is syncing`);
      expect(sync.stderr).toContain(named);
      expect(sync.code, sync.stderr).toBe(2);

      const pull = await cli('archive', 'pull', '--no-media');
      expect(pull.stderr).toContain(named);
      expect(pull.code, pull.stderr).toBe(2);

      const zh = await runCli(['--lang', 'zh', 'archive', 'pull', '--no-media', '--config', world.configFile], { env: dbEnv(database) });
      expect(zh.stderr).toContain(`主机 ${hostname()} 上的进程 ${holder.pid}`);
      expect(zh.code).toBe(2);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
