import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import { deepVerify } from '../../src/archive/chain/deep-verify.ts';
import { openDecryptPool } from '../../src/archive/ingest/session.ts';
import { loadConfig } from '../../src/config/load.ts';
import { runCli } from '../helpers/cli.ts';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';
import { archiveCli, configWithout, dbEnv, openDatabase, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// `archive verify --deep`: the chain covers the envelopes only, so an edited decrypted column passes
// plain verify; --deep decrypts every decrypted message again through the SDK hosts and names each
// message whose stored columns (or media rows) differ, without printing their values.

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
beforeAll(async () => { world = await startArchiveWorld({ messages: 600 }); });
afterAll(() => world?.close());

const deep = (database: TestDatabase, configFile = world.configFile) => archiveCli(database, configFile, ['verify', '--deep', '--hosts', '2']);

/** The n-th decrypted message with text (in seq order), and one of its media rows if asked. */
async function decryptedAt(store: Store, index: number, withMedia = false) {
  let query = store.db.selectFrom('messages').selectAll('messages').where('messages.corp_id', '=', world.sandbox.corpId)
    .where('status', '=', 'decrypted').where('search_text', 'is not', null);
  if (withMedia) {
    query = query.where((eb) => eb.exists(eb.selectFrom('message_media').select('msgid')
      .whereRef('message_media.msgid', '=', 'messages.msgid').whereRef('message_media.corp_id', '=', 'messages.corp_id')));
  }
  return query.orderBy('seq').offset(index).limit(1).executeTakeFirstOrThrow();
}

describeDatabases('archive verify --deep', (getDatabase) => {
  it('passes a pulled archive; names exactly the messages and columns edited in the database, which plain verify misses', async () => {
    const database = getDatabase();
    const pull = await archiveCli(database, world.configFile, ['pull', '--hosts', '2']);
    expect(pull.code, pull.stderr).toBe(0);
    const decrypted = pull.json.corps[0].byStatus.decrypted as number;
    expect(decrypted).toBeGreaterThan(100);

    const intact = await deep(database);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.json.ok).toBe(true);
    expect(intact.json.corps[0]).toMatchObject({ ok: true, deep: { ok: true, total: decrypted, checked: decrypted, mismatchCount: 0, mismatches: [] } });
    expect(intact.stderr).toMatch(/Deep check .*: \d+\/\d+ decrypted message/);

    const store = await openDatabase(database);
    try {
      const text = await decryptedAt(store, 10);
      const timed = await decryptedAt(store, 200);
      await store.db.updateTable('messages').set({ search_text: `${text.search_text}!` }).where('id', '=', text.id).execute();
      await store.db.updateTable('messages').set({ msgtime: timed.msgtime! + 1000 }).where('id', '=', timed.id).execute();

      const plain = await archiveCli(database, world.configFile, ['verify']);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.json.ok).toBe(true);

      const tampered = await deep(database);
      expect(tampered.code, tampered.stderr).toBe(1);
      expect(tampered.json.ok).toBe(false);
      expect(tampered.json.corps[0].ok).toBe(true); // the chain itself is intact
      expect(tampered.json.corps[0].deep).toMatchObject({ ok: false, checked: decrypted, mismatchCount: 2 });
      expect(tampered.json.corps[0].deep.mismatches).toEqual([
        { seq: text.seq.toString(), msgid: text.msgid, columns: ['search_text'] },
        { seq: timed.seq.toString(), msgid: timed.msgid, columns: ['msgtime'] },
      ]);

      // For people, in Chinese by default: the seqs, msgids and columns, never the edited content.
      const human = await runCli(['archive', 'verify', '--deep', '--hosts', '2', '--config', world.configFile], { env: dbEnv(database) });
      expect(human.code).toBe(1);
      expect(human.stdout).toContain('哈希链完整');
      expect(human.stdout).toContain('2 条消息的存储内容与其信封重新解密的结果不符');
      expect(human.stdout).toContain(`seq ${text.seq}（msgid ${text.msgid}）：search_text`);
      expect(human.stdout).toContain(`seq ${timed.seq}（msgid ${timed.msgid}）：msgtime`);
      expect(human.stdout).not.toContain(text.search_text!);
      expect(human.stderr).toMatch(/深度校验 .*：\d+\/\d+ 条已解密消息/);

      // In pages of 7 (a seq shared by two rows included): every page boundary finds the same two.
      await expectSamePagedInSevens(database, store, [text.msgid, timed.msgid], decrypted);

      await store.db.updateTable('messages').set({ search_text: text.search_text, msgtime: text.msgtime }).where('id', '=', text.id).execute();
      await store.db.updateTable('messages').set({ msgtime: timed.msgtime }).where('id', '=', timed.id).execute();
      await checkMedia(database, store);
      await checkSkippedAndMissingKey(database, store, decrypted);
    } finally {
      await store.close();
    }
  });
});

/** deepVerify in pages of 7, in this process: the keyset walk must neither skip nor repeat a row. */
async function expectSamePagedInSevens(database: TestDatabase, store: Store, msgids: string[], decrypted: number): Promise<void> {
  const corpId = world.sandbox.corpId;
  // A second row at an existing seq (a re-delivered message keeps its seq), so a page may end inside a seq.
  const twin = await decryptedAt(store, 20);
  const { id: _id, ...row } = twin;
  await store.db.insertInto('messages').values({ ...row, msgid: `${twin.msgid}-twin` }).execute();
  const config = await loadConfig({ configFile: world.configFile, env: dbEnv(database) });
  const { pool } = await openDecryptPool(config, { hosts: 2 });
  try {
    const pages: number[] = [];
    const report = await deepVerify(store.db, corpId, pool, { pageSize: 7, onPage: ({ done }) => pages.push(done) });
    // The twin is checked (counted) and matches: it is the same envelope and the same decrypted row.
    expect(report).toMatchObject({ total: decrypted + 1, checked: decrypted + 1, mismatchCount: 2 });
    expect(report.mismatches.map((m) => m.msgid)).toEqual(msgids);
    expect(pages.length).toBe(Math.ceil((decrypted + 1) / 7));
  } finally {
    await pool.close();
    await store.db.deleteFrom('messages').where('corp_id', '=', corpId).where('msgid', '=', `${twin.msgid}-twin`).execute();
  }
}

/** A media row's sdkfileid changed: named by item path and column, its value never printed. */
async function checkMedia(database: TestDatabase, store: Store): Promise<void> {
  const victim = await decryptedAt(store, 3, true);
  const media = await store.db.selectFrom('message_media').selectAll().where('corp_id', '=', victim.corp_id).where('msgid', '=', victim.msgid)
    .orderBy('item_path').limit(1).executeTakeFirstOrThrow();
  const forged = `${media.sdkfileid.slice(0, -4)}ZZZZ`;
  const where = store.db.updateTable('message_media').where('corp_id', '=', media.corp_id).where('msgid', '=', media.msgid).where('item_path', '=', media.item_path);
  await where.set({ sdkfileid: forged }).execute();
  const run = await runCli(['--lang', 'en', 'archive', 'verify', '--deep', '--hosts', '2', '--config', world.configFile], { env: dbEnv(database) });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`seq ${victim.seq} (msgid ${victim.msgid}): message_media[${media.item_path}].sdkfileid`);
  expect(run.stdout + run.stderr).not.toContain(forged);
  expect(run.stdout + run.stderr).not.toContain(media.sdkfileid);
  await where.set({ sdkfileid: media.sdkfileid }).execute();
}

/**
 * Messages stored encrypted are skipped and counted; without the version 1 key, its decrypted
 * messages are reported as not checkable (the keyring's missing-key text), never as tampering.
 */
async function checkSkippedAndMissingKey(database: TestDatabase, store: Store, decrypted: number): Promise<void> {
  const failed = await decryptedAt(store, 5);
  const cleared = { action: null, msgtype: null, conversation_id: null, sender: null, receivers: null, msgtime: null, search_text: null, raw_json: null };
  await store.db.updateTable('messages').set({ status: 'failed', ...cleared }).where('id', '=', failed.id).execute();
  const skipped = await deep(database);
  expect(skipped.code, skipped.stderr).toBe(0);
  expect(skipped.json.corps[0].deep).toMatchObject({
    ok: true, total: decrypted - 1, checked: decrypted - 1, skipped: { failed: 1, quarantined: 0, missing_key: 0 },
  });

  const version1 = await store.db.selectFrom('messages').select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('corp_id', '=', world.sandbox.corpId).where('status', '=', 'decrypted').where('publickey_ver', '=', 1).executeTakeFirstOrThrow();
  expect(Number(version1.n)).toBeGreaterThan(0);
  const withoutKey1 = configWithout(world.configFile, ['ARCHIVE_PRIVATE_KEY_1']);
  const noKey = await deep(database, withoutKey1);
  expect(noKey.code, noKey.stderr).toBe(2);
  expect(noKey.json.corps[0].deep).toMatchObject({
    ok: false, mismatchCount: 0, checked: decrypted - 1 - Number(version1.n),
    unverified: { missingKey: [{ version: 1, messages: Number(version1.n) }], failed: 0, quarantined: 0 },
  });
  const human = await runCli(['--lang', 'en', 'archive', 'verify', '--deep', '--hosts', '2', '--config', withoutKey1], { env: dbEnv(database) });
  expect(human.code).toBe(2);
  expect(human.stdout).toContain('No archive private key for publickey_ver=1.');
  expect(human.stdout).toContain('not counted as tampering');
  expect(human.stdout).toContain('Add ARCHIVE_PRIVATE_KEY_1=');
  expect(human.stdout).not.toMatch(/differ from what their envelope decrypts to/);
}
