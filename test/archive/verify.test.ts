import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { verifyChain } from '../../src/archive/chain/verify.ts';
import { pullArchive } from '../../src/archive/ingest/puller.ts';
import { openArchiveSession } from '../../src/archive/ingest/session.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Store } from '../../src/store/database.ts';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';
import { archiveCli, dbEnv, openDatabase, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// `archive verify` recomputes the hash chain over the stored envelopes: any change to a row's
// envelope or hash, and any row removed, is reported at exactly that seq.

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
beforeAll(async () => { world = await startArchiveWorld({ messages: 1500 }); });
afterAll(() => world?.close());

/** Pulls the archive in this process (the same engine as the CLI, SDK hosts included). */
async function pulled(database: TestDatabase): Promise<{ store: Store; corpId: string; total: number }> {
  const config = await loadConfig({ configFile: world.configFile, env: dbEnv(database) });
  const store = await openDatabase(database, true);
  const session = await openArchiveSession(config, store, { hosts: 2 });
  try {
    const summary = await pullArchive(session, { pageSize: 400 });
    expect(summary.caughtUp).toBe(true);
    return { store, corpId: session.corpId, total: summary.stored };
  } finally {
    await session.close();
  }
}

async function rowAt(store: Store, corpId: string, index: number) {
  return store.db.selectFrom('messages').selectAll().where('corp_id', '=', corpId).orderBy('seq').offset(index).limit(1).executeTakeFirstOrThrow();
}

describeDatabases('archive verify', (getDatabase) => {
  it('passes an untouched archive, then finds a changed envelope, a changed hash and a removed row at exactly their seq', async () => {
    const database = getDatabase();
    const { store, corpId, total } = await pulled(database);
    try {
      const intact = await verifyChain(store.db, corpId);
      const head = await store.db.selectFrom('messages').select('hash').where('corp_id', '=', corpId).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(intact).toMatchObject({ ok: true, checked: total, headHash: head.hash });

      // 1. One character of one envelope.
      const victim = await rowAt(store, corpId, 321);
      const tampered = `${victim.encrypt_chat_msg.slice(0, -2)}${victim.encrypt_chat_msg.endsWith('A=') ? 'B=' : 'A='}`;
      await store.db.updateTable('messages').set({ encrypt_chat_msg: tampered }).where('id', '=', victim.id).execute();
      const envelopeBreak = await verifyChain(store.db, corpId);
      expect(envelopeBreak).toMatchObject({ ok: false, checked: 322, firstBreak: { seq: victim.seq, msgid: victim.msgid, field: 'hash', stored: victim.hash } });
      expect(envelopeBreak.firstBreak!.expected).not.toBe(victim.hash);
      const cli = await archiveCli(database, world.configFile, ['verify']);
      expect(cli.code).toBe(1);
      expect(cli.json.corps[0].firstBreak).toMatchObject({ seq: victim.seq.toString(), msgid: victim.msgid });
      await store.db.updateTable('messages').set({ encrypt_chat_msg: victim.encrypt_chat_msg }).where('id', '=', victim.id).execute();
      expect((await verifyChain(store.db, corpId)).ok).toBe(true);
      // A corp no config names: the one unknown-corp error, naming the configured ones.
      const unknown = await archiveCli(database, world.configFile, ['verify', '--corp', 'wwnosuchcorp']);
      expect(unknown.code).toBe(2);
      expect(unknown.json).toMatchObject({ ok: false, error: { code: 'config_unknown_corp', what: 'Corp wwnosuchcorp is not configured' } });
      expect(unknown.json.error.why).toContain(corpId);

      // 2. A stored hash rewritten (the envelope left alone).
      const other = await rowAt(store, corpId, 900);
      await store.db.updateTable('messages').set({ hash: 'f'.repeat(64) }).where('id', '=', other.id).execute();
      expect((await verifyChain(store.db, corpId)).firstBreak).toEqual({
        seq: other.seq, msgid: other.msgid, field: 'hash', expected: other.hash, stored: 'f'.repeat(64),
        position: [...other.hash!].findIndex((c) => c !== 'f'),
      });
      await store.db.updateTable('messages').set({ hash: other.hash }).where('id', '=', other.id).execute();

      // 3. A message removed: the next one no longer follows its predecessor.
      const removed = await rowAt(store, corpId, 50);
      const next = await rowAt(store, corpId, 51);
      await store.db.deleteFrom('messages').where('id', '=', removed.id).execute();
      expect((await verifyChain(store.db, corpId)).firstBreak).toMatchObject({ seq: next.seq, field: 'prev_hash', stored: removed.hash });
    } finally {
      await store.close();
    }
  });
});
