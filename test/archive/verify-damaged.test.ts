import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';
import { archiveCli, dbEnv, openDatabase, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// A stored hash with its bytes flipped (unprintable bytes, a terminal escape sequence): `archive
// verify` shows it escaped with the position it differs from, never raw, and `--deep` fails whenever
// the plain check does (it used to say "deep check passed" on a run that exits 1).

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
beforeAll(async () => { world = await startArchiveWorld({ messages: 60 }); });
afterAll(() => world?.close());

const verify = (database: TestDatabase, lang: string, ...args: string[]) =>
  runCli(['--lang', lang, 'archive', 'verify', ...args, '--config', world.configFile], { env: dbEnv(database) });

/** Any byte a terminal acts on: C0 controls (ESC, BEL…), DEL and C1 controls. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describeDatabases('archive verify of a damaged hash', (getDatabase, dialect) => {
  it('shows the stored hash escaped with its position, and --deep fails as plain verify does', async () => {
    const database = getDatabase();
    const pull = await archiveCli(database, world.configFile, ['pull', '--hosts', '1']);
    expect(pull.code, pull.stderr).toBe(0);

    const store = await openDatabase(database);
    let seq: bigint;
    try {
      const row = await store.db.selectFrom('messages').select(['id', 'seq', 'hash']).where('corp_id', '=', world.sandbox.corpId)
        .orderBy('seq').offset(10).limit(1).executeTakeFirstOrThrow();
      seq = row.seq;
      // A clear-screen sequence, a bell, a control byte, NUL where the database can hold it (not PostgreSQL text).
      const damage = `\u001b[2J\u0007\u0001${dialect === 'sqlite' ? '\u0000' : ''}\u009b`;
      await store.db.updateTable('messages').set({ hash: `${row.hash!.slice(0, 5)}${damage}${row.hash!.slice(5 + damage.length)}` })
        .where('id', '=', row.id).execute();
    } finally {
      await store.close();
    }

    const plain = await verify(database, 'en');
    expect(plain.code, plain.stderr).toBe(1);
    expect(plain.stdout + plain.stderr).not.toMatch(CONTROL);
    expect(plain.stdout).toContain(`hash chain broken at seq ${seq}`);
    expect(plain.stdout).toContain('\\x1b[2J\\x07\\x01');
    expect(plain.stdout).toContain('\\x9b');
    expect(plain.stdout).toContain('differs from character 5');
    const zh = await verify(database, 'zh');
    expect(zh.stdout + zh.stderr).not.toMatch(CONTROL);
    expect(zh.stdout).toContain('自第 5 个字符起不同');

    const json = await verify(database, 'en', '--json');
    expect(json.stdout).not.toMatch(/\\u001b|\\u0007/);
    expect(JSON.parse(json.stdout).corps[0].firstBreak).toMatchObject({ field: 'hash', position: 5 });

    const deep = await verify(database, 'en', '--deep', '--hosts', '1');
    expect(deep.code, deep.stderr).toBe(1);
    expect(deep.stdout + deep.stderr).not.toMatch(CONTROL);
    expect(deep.stdout).not.toContain('deep check passed');
    expect(deep.stdout).toContain('deep check failed');
    const deepJson = await verify(database, 'en', '--deep', '--hosts', '1', '--json');
    expect(JSON.parse(deepJson.stdout).corps[0].deep.ok).toBe(false);
  });
});
