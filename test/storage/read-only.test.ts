import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { archiveCli, startArchiveWorld, type ArchiveWorld } from '../archive/helpers.ts';
import { runCli } from '../helpers/cli.ts';
import { mountTmpfs, requireMounts, unmountAll, type Tmpfs } from './mounts.ts';

// A read-only copy of the store (a snapshot mounted read-only, write-once media): the reading and
// verifying commands open it read-only (SQLite immutable: no -wal or -shm beside it, no migration, no
// lock file) and say so; the writing commands refuse with the read-only message, never a bug.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 180_000 });

const MOUNTS = requireMounts();
let world: ArchiveWorld;
let disk: Tmpfs;

beforeAll(async () => {
  if (!MOUNTS) return;
  world = await startArchiveWorld({ messages: 120 });
  disk = mountTmpfs(256 * 1024 * 1024);
  const database = { dialect: 'sqlite' as const, dataDir: disk.dir, drop: async () => {} };
  const pull = await archiveCli(database, world.configFile, ['pull'], {}, true);
  expect(pull.code, pull.stderr).toBe(0);
  const sync = await runCli(['sync', '--config', world.configFile], { env: { DATA_DIR: disk.dir } });
  expect(sync.code, sync.stderr).toBe(0);
  disk.readOnly(true);
});
afterAll(async () => {
  unmountAll();
  await world?.close();
});

const run = (...args: string[]) => runCli(['--lang', 'en', ...args, '--config', world.configFile], { env: { DATA_DIR: disk.dir } });

describe.skipIf(!MOUNTS)('a read-only copy of the store', () => {
  it('reads and verifies, saying the store is read-only, and leaves the folder as it was', async () => {
    const before = readdirSync(disk.dir, { recursive: true }).sort();
    for (const args of [['archive', 'verify'], ['archive', 'status'], ['conversations'], ['search', 'a'], ['customers'], ['corps']]) {
      const result = await run(...args);
      expect({ args, code: result.code }, result.stderr).toEqual({ args, code: 0 });
      expect(result.stderr, args.join(' ')).toContain(`The store is read-only (${join(disk.dir, 'wecom-archive.db')})`);
    }
    const deep = await run('archive', 'verify', '--deep', '--hosts', '1');
    expect(deep.code, deep.stderr).toBe(0);
    expect(deep.stdout).toContain('deep check passed');
    const doctor = await runCli(['--lang', 'en', '--json', 'doctor', '--store', '--config', world.configFile], { env: { DATA_DIR: disk.dir } });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'store.open').message).toContain('read-only');
    expect(readdirSync(disk.dir, { recursive: true }).sort()).toEqual(before);
  });

  it('writing commands refuse with the read-only message (exit 2)', async () => {
    for (const args of [['archive', 'pull', '--no-media'], ['sync'], ['archive', 'media']]) {
      const result = await run(...args);
      expect({ args, code: result.code }, result.stderr).toEqual({ args, code: 2 });
      expect(result.stderr, args.join(' ')).toContain('The storage is read-only');
      expect(result.stderr).toContain('Reading and verifying');
      expect(result.stderr).not.toContain('This is a bug');
    }
  });
});
