import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { readLastVerify, saveLastVerify } from '../../src/archive/chain/last-verify.ts';
import { describeDatabases, describeStores, type TestDatabase } from '../helpers/databases.ts';
import { archiveCli, dbEnv, openDatabase, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// Every verify is kept as the corp's last one: `archive status` (and the API's status, which the
// health page shows) says when the chain was last checked and what was found, without reading every
// envelope again; a break is said with its seq.

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
beforeAll(async () => { world = await startArchiveWorld({ messages: 60 }); });
afterAll(() => world?.close());

const cli = (database: TestDatabase, ...args: string[]) => runCli(['--lang', 'en', 'archive', ...args, '--config', world.configFile], { env: dbEnv(database) });

describeDatabases('the last verify', (getDatabase) => {
  it('is said by archive status: never, then intact with its count, then broken at its seq', async () => {
    const database = getDatabase();
    expect((await archiveCli(database, world.configFile, ['pull', '--hosts', '1'])).code).toBe(0);
    expect((await cli(database, 'status')).stdout).toContain('Last verify: never (run archive verify)');

    const verified = await cli(database, 'verify', '--json');
    expect(verified.code, verified.stderr).toBe(0);
    const checked = JSON.parse(verified.stdout).corps[0].checked as number;
    expect(checked).toBeGreaterThan(0);
    expect((await cli(database, 'status')).stdout).toMatch(new RegExp(`Last verify: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d, hash chain intact \\(${checked} messages\\)`));
    const status = JSON.parse((await cli(database, 'status', '--json')).stdout).corps[0];
    expect(status.lastVerify).toEqual({ at: expect.any(Number), ok: true, checked, brokenAtSeq: null, deepOk: null });

    const store = await openDatabase(database);
    let seq: bigint;
    try {
      const row = await store.db.selectFrom('messages').select(['id', 'seq', 'hash']).where('corp_id', '=', world.sandbox.corpId)
        .orderBy('seq').offset(7).limit(1).executeTakeFirstOrThrow();
      seq = row.seq;
      await store.db.updateTable('messages').set({ hash: row.hash!.replace(/^./, (c) => (c === '0' ? '1' : '0')) })
        .where('id', '=', row.id).execute();
    } finally {
      await store.close();
    }
    expect((await cli(database, 'verify')).code).toBe(1);
    expect((await cli(database, 'status')).stdout).toContain(`hash chain broken at seq ${seq}: run archive verify for the details`);
    expect(JSON.parse((await cli(database, 'status', '--json')).stdout).corps[0].lastVerify).toMatchObject({ ok: false, brokenAtSeq: String(seq) });
  });
});

describeStores('the last verify of a corp the store has no row for yet', (getStore) => {
  it('is kept all the same (a configured corp verified before any sync or pull)', async () => {
    const last = { at: 1_765_000_000_000, ok: true, checked: 0, brokenAtSeq: null, deepOk: null };
    await saveLastVerify(getStore().db, 'wwNeverSynced', last);
    expect(await readLastVerify(getStore().db, 'wwNeverSynced')).toEqual(last);
  });
});
