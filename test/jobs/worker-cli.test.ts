import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import pg from 'pg';
import { afterEach, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { BIN, cleanEnv, runCli } from '../helpers/cli.ts';
import { createTestDatabase, skipDialect, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts';
import { startTestSandbox, writeConfig } from '../sync/helpers.ts';
import { tempDir, waitUntil } from './helpers.ts';

/**
 * `wecom-archive worker`: refused on SQLite (serve runs the jobs there); on PostgreSQL `--once`
 * runs what is due and exits, and the long-running worker logs JSON lines and stops cleanly on
 * SIGTERM. The CLI uses pg-boss's default schema (`pgboss`): the test removes its corp's queues.
 */

vi.setConfig({ testTimeout: 180_000 });

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  cleanups = [];
});

async function world(dialect: 'sqlite' | 'postgres', seed: number): Promise<{ sandbox: Sandbox; database: TestDatabase; config: string }> {
  const sandbox = await startTestSandbox({ seed });
  cleanups.push(() => sandbox.close());
  const database = await createTestDatabase(dialect);
  cleanups.push(() => database.drop());
  if (dialect === 'postgres') cleanups.push(() => dropQueues(sandbox.corpId));
  return { sandbox, database, config: writeConfig(tempDir('wa-worker-'), sandbox, database) };
}

async function dropQueues(corpId: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query("select pgboss.delete_queue(name) from pgboss.queue where name like '%-' || $1", [corpId]);
    await client.query('delete from pgboss.schedule where name like \'%-\' || $1', [corpId]);
  } finally {
    await client.end();
  }
}

it('is refused on SQLite, saying that serve runs the jobs; --once runs there', async () => {
  const { config } = await world('sqlite', 41);
  const run = await runCli(['--lang', 'en', 'worker', '--config', config]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/worker is for PostgreSQL only/);
  expect(run.stderr).toMatch(/serve/);
  const json = await runCli(['--json', 'worker', '--config', config]);
  expect(JSON.parse(json.stdout).error.code).toBe('worker_needs_postgres');
  // --once is for cron users who do not run serve: allowed on SQLite, its jobs under the same leases.
  const once = await runCli(['--json', 'worker', '--once', '--config', config], { env: { ARCHIVE_POLL_SECONDS: '0' } });
  expect(once.code, once.stderr).toBe(0);
  expect(JSON.parse(once.stdout).synced).toHaveLength(1);
});

it.skipIf(skipDialect('postgres'))('--once runs the due sync and exits 0 (PostgreSQL)', async () => {
  const { sandbox, config } = await world('postgres', 42);
  const run = await runCli(['--json', 'worker', '--once', '--config', config], { env: { ARCHIVE_POLL_SECONDS: '0' } });
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ ok: true, inbox: { applied: 0, failed: 0, parked: 0 }, synced: [sandbox.corpId], pulled: [] });
  // Its log went to stderr as JSON lines, redacted like every log.
  const lines = run.stderr.trim().split('\n').map((line) => JSON.parse(line));
  expect(lines.some((l) => l.msg === 'sync finished' && l.corpId === sandbox.corpId)).toBe(true);
  expect(run.stderr).not.toContain(sandbox.secrets.app);
});

it.skipIf(skipDialect('postgres'))('runs until SIGTERM, then finishes and exits 0 (PostgreSQL)', async () => {
  const { sandbox, config } = await world('postgres', 43);
  const child = spawn(process.execPath, [BIN, '--json', 'worker', '--config', config], {
    env: { ...cleanEnv(), ARCHIVE_POLL_SECONDS: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(async () => { if (child.exitCode === null) child.kill('SIGKILL'); });
  await waitUntil(() => /"msg":"sync finished"/.test(stdout) || child.exitCode !== null, 'the worker\'s sync');
  // WORKER_NICE's default: the worker yields the CPU to serve's answers.
  expect(niceOf(child.pid!)).toBe(Math.min(19, getPriority() + 10));
  child.kill('SIGTERM');
  expect(await exited, stderr).toBe(0);
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
  expect(lines.find((l) => l.msg === 'CPU priority lowered (WORKER_NICE)')).toMatchObject({ nice: Math.min(19, getPriority() + 10) });
  expect(lines.find((l) => l.msg === 'sync finished')).toMatchObject({ corpId: sandbox.corpId, status: 'succeeded', level: 30 });
  expect(lines.at(-1)).toMatchObject({ msg: 'background jobs stopped' });
  expect(stdout).not.toContain(sandbox.secrets.customer);
});

/** A process's niceness, from /proc (field 19 of stat, after the command name in parentheses). */
function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}
