import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { archiveCli, dbEnv, dumpOf, startArchiveWorld, type ArchiveWorld } from '../archive/helpers.ts';
import { BIN, cleanEnv, runCli } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

// `backup` while a pull runs, `restore` into an empty DATA_DIR, `archive verify --deep` on the
// restored store, and a pull from the backup's cursor that ends with exactly what an uninterrupted
// pull stores: nothing duplicated, nothing lost. PostgreSQL: `backup` refuses clearly and points to
// pg_dump (README "Backups and failures").

vi.setConfig({ testTimeout: 300_000, hookTimeout: 180_000 });

let world: ArchiveWorld;
const dirs: string[] = [];
beforeAll(async () => { world = await startArchiveWorld({ messages: 900 }); });
afterEach(() => world.archive.faults.clear());
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await world?.close();
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wa-backup-'));
  dirs.push(dir);
  return dir;
}

const cli = (database: Pick<TestDatabase, 'dataDir' | 'databaseUrl'>, ...args: string[]) =>
  runCli(['--lang', 'en', ...args, '--config', world.configFile], { env: dbEnv(database as TestDatabase) });

/** The SDK hangs on one message well inside the archive (both pulls meet it): a pull is held there for a while. */
function holdPullMidway(): void {
  const archive = world.archive.instance!.archive;
  world.archive.faults.onMessage({ seq: archive.generator.message(archive.window().first + 300).seq }, { kind: 'hang' });
}

/**
 * `archive pull` in the background; resolves its exit code. `held`: resolves when it reports the
 * SDK stuck on the held message: pages before it are committed, the rest not yet pulled.
 */
function backgroundPull(database: TestDatabase): { held: Promise<void>; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, '--lang', 'en', 'archive', 'pull', ...PULL, '--config', world.configFile], {
    env: { ...cleanEnv(), ...dbEnv(database) }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const held = new Promise<void>((resolve) => child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (stderr.includes('has not answered')) resolve();
  }));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { held, done };
}

const PULL = ['--page-size', '20', '--hosts', '1', '--timeout', '5'];

/** A database of this test's own, dropped at the end. */
async function withDatabase(dialect: 'sqlite' | 'postgres', fn: (database: TestDatabase) => Promise<void>): Promise<void> {
  const database = await createTestDatabase(dialect);
  try {
    await fn(database);
  } finally {
    await database.drop();
  }
}

describe('backup and restore', () => {
  it('SQLite: backs up during a pull; the restored store verifies deeply and a new pull completes it exactly', () => withDatabase('sqlite', async (database) => {
    // A first pull of a few pages with their media, then a pull held midway, during which the backup runs.
    const first = await archiveCli(database, world.configFile, ['pull', ...PULL, '--max-pages', '5'], {}, true);
    expect(first.code, first.stderr).toBe(0);
    holdPullMidway();
    const pull = backgroundPull(database);
    await pull.held;
    const backupDir = join(freshDir(), 'b');
    const backup = await cli(database, '--json', 'backup', backupDir, '--include-secrets');
    expect(backup.code, backup.stderr).toBe(0);
    expect(await pull.done).toBe(0);

    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('wecom-archive/backup/v1');
    const corp = manifest.corps.find((c: { corpId: string }) => c.corpId === world.sandbox.corpId);
    expect(corp.headHash).toMatch(/^[0-9a-f]{64}$/);
    expect(corp.messages).toBeGreaterThan(0);
    const files = manifest.files as Array<{ path: string; sha256: string }>;
    expect(files.some((f) => f.path === 'wecom-archive.db')).toBe(true);
    expect(files.some((f) => f.path.startsWith('media/'))).toBe(true);
    const secrets = files.filter((f) => f.path.startsWith('secrets/'));
    expect(secrets.length).toBeGreaterThan(0);
    for (const f of secrets) expect(statSync(join(backupDir, f.path)).mode & 0o777).toBe(0o600);

    // Refusals: a DATA_DIR that holds anything; a backup whose file changed (nothing written then).
    const notEmpty = await cli(database, 'restore', backupDir);
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toContain('is not empty');
    const restored = { dataDir: join(freshDir(), 'data') };
    const media = files.find((f) => f.path.startsWith('media/'))!;
    const original = readFileSync(join(backupDir, media.path));
    writeFileSync(join(backupDir, media.path), Buffer.concat([original, Buffer.from('x')]));
    const damaged = await cli(restored, 'restore', backupDir);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toContain('The backup is damaged');
    expect(() => statSync(restored.dataDir)).toThrow();
    writeFileSync(join(backupDir, media.path), original);

    const restore = await cli(restored, 'restore', backupDir);
    expect(restore.code, restore.stderr).toBe(0);
    const restoredStore = { dialect: 'sqlite' as const, ...restored, drop: async () => {} };
    expect((await dumpOf(restoredStore, world.sandbox.corpId)).cursor).toBe(corp.cursor);
    const deep = await cli(restored, 'archive', 'verify', '--deep', '--hosts', '1');
    expect(deep.code, deep.stdout + deep.stderr).toBe(0);
    expect(deep.stdout).toContain('deep check passed');

    // The backup was taken mid-pull: the restored store is behind, and the new pull fills exactly the rest.
    const full = await dumpOf(database, world.sandbox.corpId);
    expect(corp.messages).toBeLessThan(full.messages.length);
    const again = await archiveCli(restoredStore, world.configFile, ['pull', ...PULL], {}, true);
    expect(again.code, again.stderr).toBe(0);
    expect(await dumpOf(restoredStore, world.sandbox.corpId)).toEqual(full);

    const doctor = await cli(database, '--json', 'doctor', '--store');
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'store.backup')).toMatchObject({ status: 'pass' });
  }));

  it('PostgreSQL: backup refuses clearly and points to pg_dump', () => withDatabase('postgres', async (database) => {
    const pulled = await archiveCli(database, world.configFile, ['pull', '--max-pages', '1']);
    expect(pulled.code, pulled.stderr).toBe(0);
    const backup = await cli(database, 'backup', join(freshDir(), 'b'));
    expect(backup.code).toBe(2);
    expect(backup.stderr).toContain('pg_dump');
    expect(backup.stderr).toContain('Backups and failures');
    // doctor --store on PostgreSQL: reachability and migration state, the chain, no backup age.
    const doctor = await cli(database, '--json', 'doctor', '--store');
    expect(doctor.code, doctor.stdout).toBe(0);
    const checks = JSON.parse(doctor.stdout).checks as Array<{ id: string; status: string; message: string }>;
    expect(checks.find((c) => c.id === 'store.integrity')).toMatchObject({ status: 'pass', message: expect.stringContaining('PostgreSQL') });
    expect(checks.find((c) => c.id === 'store.migrations')).toMatchObject({ status: 'pass' });
    expect(checks.find((c) => c.id === 'store.chain')).toMatchObject({ status: 'pass' });
    expect(checks.find((c) => c.id === 'store.backup')).toMatchObject({ status: 'skip' });
  }));
});
