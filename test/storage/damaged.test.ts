import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { archiveCli, startArchiveWorld, type ArchiveWorld } from '../archive/helpers.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { lockFiles } from './mounts.ts';

// A damaged SQLite file, made the way disks and copies damage them (bytes changed in the file
// itself, no mock): truncated, page headers flipped, a stored hash's bytes flipped. Every command
// that opens the store stops with the same damaged-store message (exit 2), none answers from what is
// left (exit 0) or calls it a bug (exit 70); `doctor --store` finds each case (exit 1).

vi.setConfig({ testTimeout: 300_000, hookTimeout: 180_000 });

const DB = 'wecom-archive.db';
let world: ArchiveWorld;
let pulled: TestDatabase;
const copies: string[] = [];

beforeAll(async () => {
  world = await startArchiveWorld({ messages: 150 });
  pulled = await createTestDatabase('sqlite');
  const run = await archiveCli(pulled, world.configFile, ['pull']);
  expect(run.code, run.stderr).toBe(0);
  const sync = await runCli(['sync', '--config', world.configFile], { env: { DATA_DIR: pulled.dataDir } });
  expect(sync.code, sync.stderr).toBe(0);
});
afterAll(async () => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  await pulled?.drop();
  await world?.close();
});

/** A copy of the pulled DATA_DIR with its database changed by `damage` (the file closed, its WAL checkpointed). */
function damagedCopy(damage: (file: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'wa-damaged-'));
  copies.push(dir);
  cpSync(pulled.dataDir, dir, { recursive: true });
  damage(join(dir, DB));
  return dir;
}

const PAGE_SIZE = 4096;

/** XORs the first byte of each chosen page's b-tree header (page 1's header starts after the file header). */
function flipPageHeaders(file: string, pages: (count: number) => number[]): void {
  const bytes = readFileSync(file);
  for (const page of pages(bytes.length / PAGE_SIZE)) bytes[(page - 1) * PAGE_SIZE + (page === 1 ? 100 : 0)] ^= 0xff;
  writeFileSync(file, bytes);
}

/** Every command that opens the store, with the exit code a damaged store must give. */
const COMMANDS: Array<{ args: string[]; code: number }> = [
  { args: ['sync'], code: 2 },
  { args: ['search', 'hello'], code: 2 },
  { args: ['conversations'], code: 2 },
  { args: ['archive', 'status'], code: 2 },
  { args: ['archive', 'verify'], code: 2 },
  { args: ['archive', 'pull', '--no-media'], code: 2 },
  { args: ['archive', 'media'], code: 2 },
  { args: ['customers'], code: 2 },
  { args: ['corps'], code: 2 },
];

async function expectDamagedEverywhere(dataDir: string): Promise<void> {
  const file = join(dataDir, DB);
  for (const { args, code } of COMMANDS) {
    const run = await runCli(['--lang', 'en', ...args, '--config', world.configFile], { env: { DATA_DIR: dataDir } });
    expect({ args, code: run.code }, run.stderr).toEqual({ args, code });
    expect(run.stderr, args.join(' ')).toContain(`The database is damaged: ${file}`);
    expect(run.stderr, args.join(' ')).toContain('wecom-archive restore');
    expect(run.stderr).not.toContain('This is a bug');
  }
  const zh = await runCli(['conversations', '--config', world.configFile], { env: { DATA_DIR: dataDir } });
  expect(zh.stderr).toContain(`数据库已损坏：${file}`);
  expect(lockFiles(dataDir)).toEqual([]);
}

async function doctorStore(dataDir: string) {
  const run = await runCli(['--lang', 'en', '--json', 'doctor', '--store', '--config', world.configFile], { env: { DATA_DIR: dataDir } });
  return { code: run.code, stderr: run.stderr, json: JSON.parse(run.stdout) as { ok: boolean; checks: Array<{ id: string; status: string; message: string }> } };
}

describe('a damaged SQLite store', () => {
  it('an intact copy: doctor --store passes every store check', async () => {
    const doctor = await doctorStore(damagedCopy(() => {}));
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.json.checks.find((c) => c.id === 'store.integrity')).toMatchObject({ status: 'pass' });
    expect(doctor.json.checks.find((c) => c.id === 'store.chain')).toMatchObject({ status: 'pass' });
    expect(doctor.json.checks.find((c) => c.id === 'store.backup')).toMatchObject({ status: 'warn' });
  });

  it('doctor warns when the last backup is older than BACKUP_MAX_AGE_DAYS (default 7)', async () => {
    const dir = damagedCopy(() => {});
    writeFileSync(join(dir, 'last-backup.json'), JSON.stringify({ at: Date.now() - 8.5 * 86_400_000, dir: '/backups/x' }));
    const old = await doctorStore(dir);
    expect(old.code, old.stderr).toBe(0);
    expect(old.json.checks.find((c) => c.id === 'store.backup')).toMatchObject({ status: 'warn', message: expect.stringContaining('8 days old') });
    const lenient = await runCli(['--lang', 'en', '--json', 'doctor', '--store', '--config', world.configFile], { env: { DATA_DIR: dir, BACKUP_MAX_AGE_DAYS: '10' } });
    expect(JSON.parse(lenient.stdout).checks.find((c: { id: string }) => c.id === 'store.backup')).toMatchObject({ status: 'pass' });
  });

  it('truncated: every command says it is damaged; doctor --store finds it', async () => {
    const dir = damagedCopy((file) => truncateSync(file, Math.floor(statSync(file).size / 2)));
    await expectDamagedEverywhere(dir);
    const doctor = await doctorStore(dir);
    expect(doctor.code).toBe(1);
    expect(doctor.json.checks.find((c) => c.id === 'store.open')).toMatchObject({ status: 'fail' });
    expect(doctor.json.checks.find((c) => c.id === 'store.open')!.message).toContain('truncated');
  });

  it('page headers flipped: every command says it is damaged; doctor --store finds it', async () => {
    const dir = damagedCopy((file) => flipPageHeaders(file, (count) => Array.from({ length: count - 1 }, (_, i) => i + 2)));
    await expectDamagedEverywhere(dir);
    const doctor = await doctorStore(dir);
    expect(doctor.code).toBe(1);
    expect(doctor.json.ok).toBe(false);
  });

  it('the file header overwritten: every command says it is damaged', async () => {
    const dir = damagedCopy((file) => flipPageHeaders(file, () => [1]));
    await expectDamagedEverywhere(dir);
  });

  it('one page deep in the file flipped: doctor --store (quick_check) finds what the cheap checks cannot', async () => {
    const dir = damagedCopy((file) => flipPageHeaders(file, (count) => [count - 2]));
    // Commands that meet the page stop with the damaged-store message; none calls it a bug.
    for (const { args } of COMMANDS) {
      const run = await runCli(['--lang', 'en', ...args, '--config', world.configFile], { env: { DATA_DIR: dir } });
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).not.toBe(70);
      if (run.code === 2) expect(run.stderr, args.join(' ')).toContain('The database is damaged');
    }
    const doctor = await doctorStore(dir);
    expect(doctor.code).toBe(1);
    const failedCheck = doctor.json.checks.find((c) => c.status === 'fail')!;
    expect(failedCheck.message).toMatch(/damaged/);
  });

  it('a stored hash with its bytes flipped: archive verify and doctor --store fail (exit 1), naming the break', async () => {
    const db = new Sqlite(join(pulled.dataDir, DB), { readonly: true });
    const { hash } = db.prepare('select hash from messages order by seq limit 1 offset 40').get() as { hash: string };
    db.close();
    const dir = damagedCopy((file) => {
      // Every copy of those 64 bytes in the file (the row, and an index entry if any), one hex digit changed.
      const bytes = readFileSync(file);
      let found = 0;
      for (let at = bytes.indexOf(hash, 0, 'latin1'); at >= 0; at = bytes.indexOf(hash, at + 1, 'latin1')) {
        bytes[at + 20] = bytes[at + 20] === 0x30 ? 0x31 : 0x30;
        found += 1;
      }
      expect(found).toBeGreaterThan(0);
      writeFileSync(file, bytes);
    });
    const verify = await runCli(['--lang', 'en', 'archive', 'verify', '--config', world.configFile], { env: { DATA_DIR: dir } });
    expect(verify.code, verify.stderr).toBe(1);
    expect(verify.stdout).toContain('hash chain broken');
    const doctor = await doctorStore(dir);
    expect(doctor.code).toBe(1);
    expect(doctor.json.checks.find((c) => c.id === 'store.chain' && c.status === 'fail')!.message).toContain('broken');
  });
});
