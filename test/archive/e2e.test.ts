import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { MSGTYPES, type MsgTypeSpec } from '../../src/archive/msgtypes.ts';
import type { GeneratedMessage } from '../../src/sandbox/archive/index.ts';
import { syncStateRepository } from '../../src/store/sync-state.repository.ts';
import { describeDatabases } from '../helpers/databases.ts';
import { archiveCli, openDatabase, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// "Done when" of issue 4: the sandbox (small, seed 7, fixed clock) with its archive; the real CLI in
// a child process pulls it through the gcc-built stand-in SDK (koffi in the host processes, fetching
// over HTTP), decrypts, parses and stores it on SQLite and PostgreSQL.

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
let expected: GeneratedMessage[];

beforeAll(async () => {
  world = await startArchiveWorld();
  const archive = world.archive.instance!.archive;
  const { first, last } = archive.window();
  expected = Array.from({ length: last - first + 1 }, (_, i) => archive.generator.message(first + i));
});
afterAll(() => world?.close());

describeDatabases('archive pull end to end', (getDatabase) => {
  it('stores exactly the messages WeCom serves, every type parsed; a second pull adds nothing; the chain verifies', async () => {
    const database = getDatabase();
    const total = world.sandbox.summary().messages!;
    expect(total).toBe(expected.length);

    const first = await archiveCli(database, world.configFile, ['pull']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.corps[0]).toMatchObject({ ok: true, stored: total, caughtUp: true, duplicates: 0 });
    expect(first.json.corps[0].byStatus).toEqual({ decrypted: total, quarantined: 0, missing_key: 0, failed: 0 });
    expect(first.stderr).toMatch(/page 1 seq/);

    const store = await openDatabase(database);
    try {
      const corpId = world.sandbox.corpId;
      const rows = await store.db.selectFrom('messages').selectAll().where('corp_id', '=', corpId).orderBy('seq').execute();
      expect(rows.map((r) => [r.msgid, r.seq])).toEqual(expected.map((m) => [m.msgid, BigInt(m.seq)]));
      expect(rows.map((r) => r.msgtype)).toEqual(expected.map((m) => m.msgtype));
      const media = await store.db.selectFrom('message_media').selectAll().where('corp_id', '=', corpId).execute();
      checkEveryType(rows, media);
      // Every file of every message (nested items included) is referenced, and nothing else.
      expect(new Set(media.map((m) => m.sdkfileid))).toEqual(new Set(expected.flatMap((m) => m.media.map((f) => f.sdkfileid))));
      expect(media.length).toBe(expected.reduce((n, m) => n + m.media.length, 0));
      const conversations = await store.db.selectFrom('conversations').selectAll().where('corp_id', '=', corpId).execute();
      expect(new Set(conversations.map((c) => c.conversation_id))).toEqual(new Set(rows.flatMap((r) => (r.conversation_id ? [r.conversation_id] : []))));

      const second = await archiveCli(database, world.configFile, ['pull']);
      expect(second.json.corps[0]).toMatchObject({ stored: 0, pages: 0, caughtUp: true });

      // WeCom may serve a message again (re-entry from an older seq): it is never stored twice.
      await syncStateRepository.clearCursor(store.db, corpId, 'archive/seq');
      const again = await archiveCli(database, world.configFile, ['pull']);
      expect(again.json.corps[0]).toMatchObject({ stored: 0, duplicates: total, caughtUp: true });
      const count = await store.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(total);
    } finally {
      await store.close();
    }

    const verify = await archiveCli(database, world.configFile, ['verify']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.json.corps).toEqual([expect.objectContaining({ ok: true, checked: total })]);
    const status = await archiveCli(database, world.configFile, ['status']);
    expect(status.json.corps[0]).toMatchObject({ messages: total, byStatus: { decrypted: total } });
    for (const secret of Object.values(world.sandbox.secrets)) expect(first.stdout + first.stderr).not.toContain(secret);
  });
});

type Row = { msgid: string; msgtype: string | null; search_text: string | null; raw_json: string | null; status: string };
type Media = { msgid: string; item_path: string; media_type: string | null; sdkfileid: string };

/** Every msgtype of archive-sdk.md §4 is there, with its text and its files (nested ones too). */
function checkEveryType(rows: Row[], media: Media[]): void {
  const mediaOf = new Map<string, Media[]>();
  for (const m of media) mediaOf.set(m.msgid, [...(mediaOf.get(m.msgid) ?? []), m]);
  for (const spec of MSGTYPES as readonly MsgTypeSpec[]) {
    const ofType = rows.filter((r) => r.msgtype === spec.name);
    expect(ofType.length, spec.name).toBeGreaterThan(0);
    for (const row of ofType) {
      expect(row.status).toBe('decrypted');
      expect(row.raw_json).toContain(row.msgid);
      if (spec.text.length > 0) expect(row.search_text, `${spec.name} ${row.msgid}`).toBeTruthy();
      if (spec.media) expect(mediaOf.get(row.msgid)?.some((m) => m.item_path === '' && m.media_type === spec.name), spec.name).toBe(true);
      for (const file of mediaOf.get(row.msgid) ?? []) expect(row.raw_json).toContain(file.sdkfileid);
    }
    if (spec.nests) {
      const nested = ofType.flatMap((r) => (mediaOf.get(r.msgid) ?? []).filter((m) => m.item_path !== ''));
      expect(nested.length, `${spec.name} nested media`).toBeGreaterThan(0);
    }
  }
  const text = rows.find((r) => r.msgtype === 'text' && r.raw_json && !/[\u0000-\u001f]/.test(r.raw_json))!;
  expect(text.search_text).toBe((JSON.parse(text.raw_json!) as { text: { content: string } }).text.content);
}
