import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { archiveCli, dumpOf, startArchiveWorld, type ArchiveWorld } from '../archive/helpers.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { FileTokenStore } from '../../src/wecom/token-store-file.ts';
import { fillLeaving, lockFiles, mountTmpfs, requireMounts, unmountAll, type Tmpfs } from './mounts.ts';

// A real full disk (a small tmpfs, filled to a chosen margin): pull, archive media and sync stop
// with exit 2 naming the disk, a pull says what it kept, no lock is left behind, and once room is
// made the same command completes with data identical to a run that never lacked space. SQLite
// only: PostgreSQL's disk is not this process's to fill (its "could not extend file" is recognised
// by the same classifier, tested in src/store/storage-errors.test.ts).

vi.setConfig({ testTimeout: 300_000, hookTimeout: 180_000 });

const MOUNTS = requireMounts();
const PAGE = ['--page-size', '50', '--hosts', '1'];

let world: ArchiveWorld;
let disk: Tmpfs;
/** The reference: the same archive pulled (media too) where space never ran out. */
let reference: { database: TestDatabase; dbBytes: number; mediaBytes: number };

beforeAll(async () => {
  if (!MOUNTS) return;
  world = await startArchiveWorld({ messages: 240 });
  const database = await createTestDatabase('sqlite');
  const run = await archiveCli(database, world.configFile, ['pull', ...PAGE], {}, true);
  expect(run.code, run.stderr).toBe(0);
  reference = { database, dbBytes: statSync(join(database.dataDir, 'wecom-archive.db')).size, mediaBytes: bytesUnder(join(database.dataDir, 'media')) };
  disk = mountTmpfs(reference.dbBytes * 4 + reference.mediaBytes * 2);
});
afterAll(async () => {
  unmountAll();
  await reference?.database.drop();
  await world?.close();
});

function bytesUnder(dir: string): number {
  return (readdirSync(dir, { recursive: true }) as string[]).reduce((sum, name) => {
    const stat = statSync(join(dir, name));
    return sum + (stat.isFile() ? stat.size : 0);
  }, 0);
}

/** The stored media files by name and sha256 (content-addressed, so equal sets mean equal bytes). */
function mediaFiles(dataDir: string): string[] {
  const root = join(dataDir, 'media');
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((name) => !name.startsWith('.partial') && statSync(join(root, name)).isFile())
    .map((name) => `${name} ${createHash('sha256').update(readFileSync(join(root, name))).digest('hex')}`).sort();
}

/** A fresh DATA_DIR on the small disk, with only `leave` bytes free (the previous test's is removed). */
function crampedDataDir(name: string, leave: number): { database: TestDatabase; makeRoom(): void } {
  const dataDir = join(disk.dir, name);
  for (const entry of readdirSync(disk.dir)) rmSync(join(disk.dir, entry), { recursive: true, force: true });
  const filler = fillLeaving(disk.dir, leave);
  return {
    database: { dialect: 'sqlite', dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) },
    makeRoom: () => rmSync(filler, { force: true }),
  };
}

describe.skipIf(!MOUNTS)('a full disk', () => {
  it('archive pull: stops with exit 2 naming the disk, says what it kept; the rerun completes identically', async () => {
    const { database, makeRoom } = crampedDataDir('pull', reference.dbBytes);
    const full = await archiveCli(database, world.configFile, ['pull', ...PAGE], {}, true);
    expect(full.code, full.stderr).toBe(2);
    const error = full.json.corps[0].error;
    expect(error.code).toBe('storage_disk_full');
    expect(error.what).toContain(join(database.dataDir, 'wecom-archive.db'));
    expect(error.why).toMatch(/SQLITE_FULL|ENOSPC/);
    expect(error.why).not.toContain('cannot rollback');
    expect(error.kept.pages).toBeGreaterThan(0);
    expect(error.kept.cursor).not.toBeNull();
    expect(lockFiles(database.dataDir)).toEqual([]);

    const plain = await runCli(['--lang', 'en', 'archive', 'pull', ...PAGE, '--config', world.configFile], { env: { DATA_DIR: database.dataDir } });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('The disk is full');
    expect(plain.stderr).toMatch(/Kept: \d+ page\(s\) committed/);
    expect(plain.stderr).not.toContain('This is a bug');
    expect(lockFiles(database.dataDir)).toEqual([]);
    // doctor --store sees the disk that cannot hold another day of this archive.
    const doctor = await runCli(['--lang', 'en', '--json', 'doctor', '--store', '--config', world.configFile], { env: { DATA_DIR: database.dataDir } });
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'store.space').status).toMatch(/warn|fail/);

    makeRoom();
    const rerun = await archiveCli(database, world.configFile, ['pull', ...PAGE], {}, true);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await dumpOf(database, world.sandbox.corpId)).toEqual(await dumpOf(reference.database, world.sandbox.corpId));
    expect(mediaFiles(database.dataDir)).toEqual(mediaFiles(reference.database.dataDir));
    expect(lockFiles(database.dataDir)).toEqual([]);
  });

  it('archive pull with room for the messages but not the media: every page kept, media pending; the rerun downloads them', async () => {
    const { database, makeRoom } = crampedDataDir('media-room', reference.dbBytes * 2 + Math.floor(reference.mediaBytes / 4));
    const full = await archiveCli(database, world.configFile, ['pull', ...PAGE], {}, true);
    expect(full.code, full.stderr).toBe(2);
    const error = full.json.corps[0].error;
    expect(error.code).toBe('storage_disk_full');
    // Whichever write meets the full disk first: a media file (ENOSPC) or the row recording it (SQLITE_FULL).
    expect(error.why).toMatch(/ENOSPC|SQLITE_FULL/);
    expect(error.what).toMatch(new RegExp(`${database.dataDir}/(media|wecom-archive\\.db)`));
    expect(error.kept.mediaDownloaded).toBeGreaterThan(0);
    expect(error.kept.mediaPending).toBeGreaterThan(0);
    expect(lockFiles(database.dataDir)).toEqual([]);
    const status = await archiveCli(database, world.configFile, ['status']);
    expect(status.json.corps[0].media.pending).toBe(error.kept.mediaPending);
    expect(status.json.corps[0].cursor).toBe((await dumpOf(reference.database, world.sandbox.corpId)).cursor);

    makeRoom();
    const rerun = await archiveCli(database, world.configFile, ['pull', ...PAGE], {}, true);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await dumpOf(database, world.sandbox.corpId)).toEqual(await dumpOf(reference.database, world.sandbox.corpId));
    expect(mediaFiles(database.dataDir)).toEqual(mediaFiles(reference.database.dataDir));
  });

  it('PostgreSQL with its media folder full: exit 2 naming it, messages kept, media pending; the rerun completes identically', async () => {
    const pg = await createTestDatabase('postgres');
    try {
      const { database: cramped, makeRoom } = crampedDataDir('pg-media', Math.floor(reference.mediaBytes / 4));
      const database = { ...pg, dataDir: cramped.dataDir };
      const full = await archiveCli(database, world.configFile, ['pull', ...PAGE], {}, true);
      expect(full.code, full.stderr).toBe(2);
      const error = full.json.corps[0].error;
      expect(error.code).toBe('storage_disk_full');
      expect(error.what).toContain(join(cramped.dataDir, 'media'));
      expect(error.kept.mediaPending).toBeGreaterThan(0);
      expect(lockFiles(cramped.dataDir)).toEqual([]);
      makeRoom();
      const rerun = await archiveCli(database, world.configFile, ['pull', ...PAGE], {}, true);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await dumpOf(database, world.sandbox.corpId)).toEqual(await dumpOf(reference.database, world.sandbox.corpId));
      expect(mediaFiles(cramped.dataDir)).toEqual(mediaFiles(reference.database.dataDir));
    } finally {
      await pg.drop();
    }
  });

  it('archive media: exit 2 naming the full disk and what it kept; after room is made it completes', async () => {
    const { database, makeRoom } = crampedDataDir('media', reference.dbBytes * 3);
    const pulled = await archiveCli(database, world.configFile, ['pull', ...PAGE]);
    expect(pulled.code, pulled.stderr).toBe(0);
    fillLeaving(disk.dir, Math.floor(reference.mediaBytes / 5));
    const full = await runCli(['--lang', 'en', 'archive', 'media', '--config', world.configFile], { env: { DATA_DIR: database.dataDir } });
    expect(full.code, full.stderr).toBe(2);
    // Whichever write meets the full disk first: a media file (ENOSPC) or the row recording it (SQLITE_FULL).
    expect(full.stderr).toMatch(new RegExp(`The disk is full: cannot write ${database.dataDir}/(media|wecom-archive\\.db)`));
    expect(full.stderr).toMatch(/ENOSPC|SQLITE_FULL/);
    expect(full.stderr).toMatch(/Kept: media \d+ downloaded, [1-9]\d* pending/);
    expect(full.stderr).not.toContain('This is a bug');
    expect(lockFiles(database.dataDir)).toEqual([]);
    makeRoom();
    const rerun = await runCli(['--lang', 'en', 'archive', 'media', '--config', world.configFile], { env: { DATA_DIR: database.dataDir } });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await dumpOf(database, world.sandbox.corpId)).toEqual(await dumpOf(reference.database, world.sandbox.corpId));
    expect(mediaFiles(database.dataDir)).toEqual(mediaFiles(reference.database.dataDir));
  });

  it('leaves no token-cache lock when the disk takes the lock file but not its content', async () => {
    const { database } = crampedDataDir('token-lock', 0);
    mkdirSync(database.dataDir, { recursive: true });
    const tokens = new FileTokenStore({ dataDir: database.dataDir });
    await expect(tokens.withLock('k', async () => 'fetched')).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readdirSync(database.dataDir)).toEqual([]);
  });

  it('sync: exit 2 naming the disk, no lock left; after room is made it completes like an uninterrupted sync', async () => {
    const syncRef = await createTestDatabase('sqlite');
    try {
      const ok = await runCli(['--lang', 'en', 'sync', '--config', world.configFile], { env: { DATA_DIR: syncRef.dataDir } });
      expect(ok.code, ok.stderr).toBe(0);
      const { database, makeRoom } = crampedDataDir('sync', Math.floor(statSync(join(syncRef.dataDir, 'wecom-archive.db')).size / 3));
      const full = await runCli(['--lang', 'en', 'sync', '--config', world.configFile], { env: { DATA_DIR: database.dataDir } });
      expect(full.code, full.stderr).toBe(2);
      expect(full.stderr).toContain('The disk is full');
      // What it kept: the run's summary (rows stored per entity) when the run could finish, else the parts completed.
      expect(full.stdout + full.stderr).toMatch(/Inserted|Kept: the parts completed/);
      expect(full.stderr).not.toContain('cannot write ?');
      expect(full.stderr).not.toContain('This is a bug');
      expect(lockFiles(database.dataDir)).toEqual([]);
      makeRoom();
      const rerun = await runCli(['--lang', 'en', 'sync', '--config', world.configFile], { env: { DATA_DIR: database.dataDir } });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await syncedRows(database)).toEqual(await syncedRows(syncRef));
    } finally {
      await syncRef.drop();
    }
  });
});

/** What a sync stores, without its run's times and ids. */
async function syncedRows(database: TestDatabase) {
  const { openDatabase } = await import('../archive/helpers.ts');
  const store = await openDatabase(database);
  try {
    const hashes = async (table: 'employees' | 'departments' | 'customers' | 'customer_groups') =>
      (await store.db.selectFrom(table).select('hash').execute()).map((r) => r.hash).sort();
    const count = async (table: 'follow_relations' | 'group_members') =>
      Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return {
      employees: await hashes('employees'), departments: await hashes('departments'), customers: await hashes('customers'),
      groups: await hashes('customer_groups'), follows: await count('follow_relations'), members: await count('group_members'),
    };
  } finally {
    await store.close();
  }
}
