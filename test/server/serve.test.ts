import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../src/store/location.ts';
import { BIN, cleanEnv, runCli } from '../helpers/cli.ts';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';

/**
 * `serve` as a process, listening for real: it prints where it listens, answers the probes and the
 * API, and on SIGTERM finishes the request in flight before exiting 0. The request is held in flight
 * by a lock the test takes on the token's row (the first use of a token records it), so no timing
 * is involved: it can only finish once the test lets go.
 */

const CORP = 'wwservetest0000001';

function configFile(database: TestDatabase): string {
  const folder = join(database.dataDir, 'config');
  mkdirSync(folder);
  const file = join(folder, 'wecom.env');
  // No background job: this test holds the store's write lock on purpose, and is about requests.
  const noJobs = ['SYNC_INTERVAL_HOURS=0', 'RECONCILE_INTERVAL_HOURS=0', 'ARCHIVE_POLL_SECONDS=0'];
  writeFileSync(file, [`CORP_ID=${CORP}`, `DATA_DIR=${database.dataDir}`, ...noJobs, ...(database.databaseUrl ? [`DATABASE_URL=${database.databaseUrl}`] : []), ''].join('\n'));
  chmodSync(file, 0o600);
  return file;
}

/** The child's output so far, and a wait for a text to appear in it. */
function watch(child: ChildProcess) {
  const out = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  const wake = () => { for (const waiter of waiters.splice(0)) waiter(); };
  child.stdout!.on('data', (chunk) => { out.stdout += chunk; wake(); });
  child.stderr!.on('data', (chunk) => { out.stderr += chunk; wake(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { wake(); resolve(code); }));
  const until = async (test: () => boolean, what: string) => {
    while (!test()) {
      if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}) before ${what}:\n${out.stderr}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { out, exited, until };
}

/** Holds a write lock on the token rows until released: SQLite's write lock, or PostgreSQL row locks. */
async function lockTokens(database: TestDatabase): Promise<() => Promise<void>> {
  if (!database.databaseUrl) {
    const db = new Sqlite(join(database.dataDir, SQLITE_FILE_NAME));
    db.exec('BEGIN IMMEDIATE');
    return async () => { db.exec('COMMIT'); db.close(); };
  }
  const client = new pg.Client({ connectionString: database.databaseUrl });
  await client.connect();
  await client.query('begin');
  await client.query('select id from api_tokens for update');
  return async () => { await client.query('commit'); await client.end(); };
}

describeDatabases('serve', (getDatabase, dialect) => {
  it('listens, answers, and on SIGTERM finishes the request in flight, then exits 0', async () => {
    const database = getDatabase();
    const config = configFile(database);
    const made = await runCli(['tokens', 'create', '--name', 'serve-test', '--role', 'auditor', '--config', config, '--json']);
    expect(made.code, made.stderr).toBe(0);
    const { token } = JSON.parse(made.stdout) as { token: string };
    // Without an admin user serve refuses to start, and says how to make one.
    const refused = await runCli(['serve', '--port', '0', '--config', config]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('users add admin --role admin --password-stdin');
    const admin = await runCli(['users', 'add', 'admin', '--role', 'admin', '--password-stdin', '--config', config, '--json'], { input: 'a long enough password\n' });
    expect(admin.code, admin.stderr).toBe(0);
    expect(JSON.parse(admin.stdout)).toMatchObject({ ok: true, user: { name: 'admin', role: 'admin' } });

    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config', config, '--json'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const { out, exited, until } = watch(child);
    try {
      await until(() => out.stdout.trim().endsWith('}'), 'printing its address');
      const started = JSON.parse(out.stdout) as { ok: boolean; url: string; openapi: string };
      expect(started).toMatchObject({ ok: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
      expect(started.openapi).toBe(`${started.url}/api/v1/openapi.json`);
      expect((await fetch(`${started.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${started.url}/api/v1/corps`)).status).toBe(401);

      const release = await lockTokens(database);
      const inFlight = fetch(`${started.url}/api/v1/sync/state`, { headers: { authorization: `Bearer ${token}` } });
      await until(() => out.stderr.includes('"url":"/api/v1/sync/state"'), 'receiving the request');
      child.kill('SIGTERM');
      // On PostgreSQL the server is free while it waits for the row: it starts shutting down first.
      if (dialect === 'postgres') await until(() => out.stderr.includes('shutting down'), 'shutting down');
      await release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, corps: [{ corpId: CORP }] });
      expect(await exited).toBe(0);
      expect(out.stderr).toContain('"msg":"stopped"');
      expect(out.stderr).not.toContain(token);
    } catch (err) {
      throw new Error(`${String(err)}\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
