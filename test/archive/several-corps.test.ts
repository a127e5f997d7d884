import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { acquireLease } from '../../src/store/lease.ts';
import { SQLITE_FILE_NAME } from '../../src/store/location.ts';
import { BIN, cleanEnv, runCli } from '../helpers/cli.ts';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';
import { dbEnv, openDatabase, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// One deployment, two corps (two sandboxes, one config folder, one store): the archive commands
// cover both, each corp under its own lease, with per-corp JSON and one exit code; `corps` lists them.

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

let worlds: ArchiveWorld[];
let folder: string;
beforeAll(async () => {
  worlds = [await startArchiveWorld({ messages: 300 }, 7), await startArchiveWorld({ messages: 300 }, 8)];
  // The sandbox names its key files per corp, so both configs can sit in one folder.
  folder = mkdtempSync(join(tmpdir(), 'wa-corps-'));
  worlds.forEach((world, i) => copyFileSync(world.configFile, join(folder, `corp-${i}.env`)));
});
afterAll(async () => { await Promise.all((worlds ?? []).map((world) => world.close())); });

const corpIds = () => worlds.map((world) => world.sandbox.corpId).sort();
const available = (corpId: string) => worlds.find((w) => w.sandbox.corpId === corpId)!.archive.instance!.archive.availableCount();

async function cli(database: TestDatabase, ...args: string[]) {
  const run = await runCli(['--json', '--lang', 'en', ...args, '--config', folder], { env: dbEnv(database) });
  let json: any;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    json = undefined;
  }
  return { ...run, json };
}

describeDatabases('several corps', (getDatabase, dialect) => {
  it('pulls, checks and lists every corp, each under its own lease', async () => {
    const database = getDatabase();
    const [a, b] = corpIds() as [string, string];

    // Nothing pulled yet: every corp "never", and no database made by looking.
    const empty = await cli(database, 'corps');
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.json).toMatchObject({ ok: true, truncated: false });
    expect(empty.json.corps.map((c: any) => c.corpId)).toEqual([a, b]);
    for (const corp of empty.json.corps) {
      expect(corp).toMatchObject({ lastSync: null, archive: { lastSeq: null, messages: 0, lagMs: null } });
      expect(corp.credentials).toEqual(['app', 'contacts', 'customer', 'archive']);
    }
    if (dialect === 'sqlite') expect(existsSync(join(database.dataDir, SQLITE_FILE_NAME))).toBe(false);

    // Another process holds corp a's archive lease: a is refused, b is pulled all the same.
    const store = await openDatabase(database, true);
    const lease = await acquireLease(store, `archive-${a}`);
    let busy;
    try {
      busy = await cli(database, 'archive', 'pull', '--no-media');
    } finally {
      await lease.release();
      await store.close();
    }
    expect(busy.code).toBe(2);
    expect(busy.json.ok).toBe(false);
    expect(busy.json.corps).toEqual([
      { corpId: a, ok: false, error: expect.objectContaining({ code: 'archive_busy' }) },
      expect.objectContaining({ corpId: b, ok: true, stored: available(b), caughtUp: true }),
    ]);

    const pulled = await cli(database, 'archive', 'pull', '--no-media');
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.json.corps).toEqual([
      expect.objectContaining({ corpId: a, ok: true, stored: available(a) }),
      expect.objectContaining({ corpId: b, ok: true, stored: 0, caughtUp: true }),
    ]);

    const [status, verify, corps, one] = await Promise.all([
      cli(database, 'archive', 'status'), cli(database, 'archive', 'verify'), cli(database, 'corps'),
      cli(database, '--corp', b, 'archive', 'verify'),
    ]);
    expect(status.json.corps.map((c: any) => [c.corpId, c.messages])).toEqual([[a, available(a)], [b, available(b)]]);
    expect(verify.code).toBe(0);
    expect(verify.json.corps.map((c: any) => [c.corpId, c.ok, c.checked])).toEqual([[a, true, available(a)], [b, true, available(b)]]);
    expect(one.json.corps.map((c: any) => c.corpId)).toEqual([b]);
    for (const corp of corps.json.corps) {
      expect(corp.archive.messages).toBe(available(corp.corpId));
      expect(corp.archive.lastSeq).not.toBeNull();
      expect(corp.archive.lagMs).toEqual(expect.any(Number));
    }

    // Media rows say which corp holds them (retention and legal holds act per corp).
    const reader = await openDatabase(database);
    try {
      const rows = await reader.db.selectFrom('message_media').select('corp_id').distinct().execute();
      expect(rows.map((r) => r.corp_id).sort()).toEqual([a, b]);
    } finally {
      await reader.close();
    }

    // A command that acts on one corp asks which, and does it with --corp.
    const ambiguous = await cli(database, 'archive', 'media');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.json.error.code).toBe('config_corp_required');
    const media = await cli(database, '--corp', a, 'archive', 'media');
    expect(media.code, media.stderr).toBe(0);
    expect(media.json).toMatchObject({ ok: true, corpId: a, pending: 0 });
  });

  it('watches every corp at once and stops them all on a signal', async () => {
    const database = getDatabase();
    const child = spawn(process.execPath, [BIN, '--json', '--lang', 'en', 'archive', 'watch', '--interval', '1', '--no-media', '--hosts', '1', '--config', folder], {
      env: { ...cleanEnv(), ...dbEnv(database) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Each corp's own loop reports its cycles, tagged with its corp.
    for (const corpId of corpIds()) {
      while (!new RegExp(`\\[${corpId}\\] [^\\n]*pull done`).test(stderr)) {
        if (child.exitCode !== null) throw new Error(`watch exited early: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.corps).toEqual(corpIds().map((corpId) => expect.objectContaining({ corpId, ok: true, stored: available(corpId), failedCycles: 0 })));
  });
});
