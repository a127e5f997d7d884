import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { downloadPendingMedia, renderMediaSummary, type MediaQueueOptions } from '../../src/archive/media/index.ts';
import { mediaRepository, type MediaRow } from '../../src/store/index.ts';
import { describeStores } from '../helpers/databases.ts';
import { pick, seedMedia, servedBytes, toMediaInput, type SandboxMediaItem } from './helpers.ts';
import { fileKey } from './media-proxy.ts';
import { chunksOf, everyKind, filesUnder, freshDataDir, MIME_OF, startMediaWorld, type MediaWorld } from './setup.ts';

// The media queue end to end: rows as the puller queues them, the real SDK pool and stand-in
// library, the sandbox serving real files (through a proxy that counts and can corrupt chunks),
// on SQLite and PostgreSQL.

let world: MediaWorld;
beforeAll(async () => { world = await startMediaWorld(); });
afterAll(async () => { await world?.close(); });

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const allRows = async (db: MediaQueueOptions['db'], corpId: string): Promise<MediaRow[]> =>
  db.selectFrom('message_media').selectAll().where('corp_id', '=', corpId).orderBy('msgid').orderBy('item_path').execute();
const rowOf = (rows: MediaRow[], item: SandboxMediaItem) => rows.find((r) => r.msgid === item.msgid && r.item_path === item.ref.path)!;
const calls = (item: SandboxMediaItem) => world.proxy.calls.get(fileKey(item.ref.sdkfileid)) ?? [];

describeStores('media queue', (getStore) => {
  const corpId = () => world.sandbox.corpId;
  function options(dataDir: string, extra: Partial<MediaQueueOptions> = {}): MediaQueueOptions {
    return { db: getStore().db, corpId: corpId(), dataDir, source: world.pool, sleep: async () => {}, ...extra };
  }

  it('downloads every kind, nested ones included, byte-exact with the MIME type sniffed, identical files once', async () => {
    world.proxy.reset();
    const kinds = everyKind(world.current);
    const big = pick(world.current, 'file of 3+ chunks', (i) => chunksOf(i) >= 3 && !kinds.includes(i));
    const firstSticker = pick(world.current, 'repeated sticker', (a) => a.ref.msgtype === 'emotion'
      && world.current.some((b) => b.msgid !== a.msgid && b.generated.md5 === a.generated.md5));
    const twin = pick(world.current, 'its twin', (b) => b.msgid !== firstSticker.msgid && b.generated.md5 === firstSticker.generated.md5);
    const items = [...new Set([...kinds, big, firstSticker, twin])];
    expect(items.some((i) => i.ref.path !== '')).toBe(true);
    expect(new Set(items.map((i) => i.generated.ext))).toEqual(new Set(Object.keys(MIME_OF)));
    await seedMedia(getStore().db, corpId(), items);
    const dataDir = freshDataDir();

    const summary = await downloadPendingMedia(options(dataDir));

    expect(summary).toMatchObject({ downloaded: items.length, failed: 0, expired: 0, missing: 0, md5Mismatches: 0, pending: 0, stopped: null });
    const rows = await allRows(getStore().db, corpId());
    const distinct = new Set<string>();
    for (const item of items) {
      const row = rowOf(rows, item);
      const served = servedBytes(world.factory.instance!.archive, item);
      const stored = await readFile(join(dataDir, row.stored_path!));
      expect(stored.equals(served), `${item.generated.ext} at ${item.ref.path || 'top'}`).toBe(true);
      expect(row).toMatchObject({ status: 'downloaded', sha256: sha256(served), size: served.length, mime: MIME_OF[item.generated.ext], last_error: null });
      expect(row.stored_path).toBe(`media/${row.sha256!.slice(0, 2)}/${row.sha256!.slice(2, 4)}/${row.sha256}`);
      distinct.add(row.sha256!);
    }
    // The big file came in ≥ 3 chunks, each asked for once, in order.
    expect(calls(big)).toEqual(Array.from({ length: chunksOf(big) }, (_, k) => k * 512 * 1024));
    expect(calls(big).length).toBeGreaterThanOrEqual(3);
    // The same sticker sent twice is one file on disk.
    expect(rowOf(rows, twin).stored_path).toBe(rowOf(rows, firstSticker).stored_path);
    expect(summary.deduplicated).toBe(items.length - distinct.size);
    expect(summary.storedBytes).toBeLessThan(summary.bytes);
    expect((await filesUnder(join(dataDir, 'media'))).filter((f) => !f.startsWith('.partial'))).toHaveLength(distinct.size);
    expect(await filesUnder(join(dataDir, 'media', '.partial'))).toEqual([]);
    expect(await downloadPendingMedia(options(dataDir))).toMatchObject({ downloaded: 0, pending: 0 });
  });

  it('downloads again after an md5 mismatch, keeps a persistent one flagged, and --retry-failed fetches it anew', async () => {
    world.proxy.reset();
    const [once, always] = world.current.filter((i) => chunksOf(i) === 2 && i.ref.md5sum).slice(0, 2);
    await seedMedia(getStore().db, corpId(), [once, always]);
    world.proxy.corrupt(once.ref.sdkfileid, 1, 1);
    world.proxy.corrupt(always.ref.sdkfileid, 0, Infinity);
    const dataDir = freshDataDir();

    const first = await downloadPendingMedia(options(dataDir, { md5Retries: 2 }));

    expect(first).toMatchObject({ downloaded: 1, md5Mismatches: 1, md5Retries: 1 + 2 });
    expect(calls(once)).toEqual([0, 524288, 0, 524288]);
    expect(calls(always)).toHaveLength(3 * 2);
    let rows = await allRows(getStore().db, corpId());
    expect(rowOf(rows, once)).toMatchObject({ status: 'downloaded', sha256: sha256(servedBytes(world.factory.instance!.archive, once)) });
    const flagged = rowOf(rows, always);
    expect(flagged.status).toBe('md5_mismatch');
    expect(flagged.last_error).toMatch(/does not match the declared/);
    // The bytes are kept for people to judge: they are what WeCom (here: the wire) delivered.
    expect((await readFile(join(dataDir, flagged.stored_path!))).length).toBe(always.generated.size);
    expect(first.problems.map((p) => [p.msgid, p.outcome])).toEqual([[always.msgid, 'md5_mismatch']]);

    world.proxy.reset();
    const again = await downloadPendingMedia(options(dataDir, { retryFailed: true }));
    expect(again).toMatchObject({ requeued: 1, downloaded: 1, md5Mismatches: 0 });
    rows = await allRows(getStore().db, corpId());
    expect(rowOf(rows, always)).toMatchObject({ status: 'downloaded', sha256: sha256(servedBytes(world.factory.instance!.archive, always)), last_error: null });
  });

  it('marks expired (10010) and unknown (10005) files, reports them, and never shows an sdkfileid', async () => {
    const old = world.expired[0];
    const live = world.current[0];
    const tampered = `${live.ref.sdkfileid.slice(0, 20)}${live.ref.sdkfileid[20] === 'A' ? 'B' : 'A'}${live.ref.sdkfileid.slice(21)}`;
    await seedMedia(getStore().db, corpId(), [old, live], [toMediaInput(old), { ...toMediaInput(live), sdkfileid: tampered }]);
    const dataDir = freshDataDir();
    const events: unknown[] = [];

    const summary = await downloadPendingMedia(options(dataDir, { onItem: (e) => events.push(e) }));

    expect(summary).toMatchObject({ expired: 1, missing: 1, downloaded: 0, pending: 0 });
    const rows = await allRows(getStore().db, corpId());
    expect(rowOf(rows, old)).toMatchObject({ status: 'expired', attempts: 1, stored_path: null });
    expect(rowOf(rows, old).last_error).toMatch(/10010/);
    expect(rowOf(rows, live)).toMatchObject({ status: 'missing' });
    expect(summary.problems.map((p) => [p.msgid, p.outcome]).sort()).toEqual([[live.msgid, 'missing'], [old.msgid, 'expired']].sort());
    const printed = [JSON.stringify(summary), JSON.stringify(events), ...renderMediaSummary(summary, 'zh'), ...renderMediaSummary(summary, 'en'),
      ...rows.map((r) => r.last_error ?? '')].join('\n');
    expect(printed).toContain(old.msgid);
    expect(printed).toMatch(/10010/);
    for (const secret of [old.ref.sdkfileid, tampered, live.ref.sdkfileid]) expect(printed).not.toContain(secret);
    expect(await filesUnder(join(dataDir, 'media', '.partial'))).toEqual([]);
  });

  it('retries transient codes with growing backoff, survives an SDK host crash, and gives up after maxAttempts', async () => {
    const [a, b, c] = world.current.filter((i) => chunksOf(i) === 1).slice(0, 3);
    const faults = world.factory.faults;
    const sleeps: number[] = [];
    const dataDir = freshDataDir();
    await seedMedia(getStore().db, corpId(), [a]);
    faults.onRoute('media', { kind: 'rc', code: 10001 }, 2);
    expect(await downloadPendingMedia(options(dataDir, { concurrency: 1, backoffMs: 100, sleep: async (ms) => { sleeps.push(ms); } })))
      .toMatchObject({ downloaded: 1 });
    expect(sleeps).toEqual([100, 200]);

    const crashesBefore = world.pool.stats().crashes;
    await seedMedia(getStore().db, corpId(), [b]);
    faults.onRoute('media', { kind: 'crash' }, 1);
    expect(await downloadPendingMedia(options(dataDir))).toMatchObject({ downloaded: 1 });
    expect(world.pool.stats().crashes).toBe(crashesBefore + 1);

    await seedMedia(getStore().db, corpId(), [c]);
    faults.onRoute('media', { kind: 'rc', code: 10003 }, 1000);
    try {
      const settings = options(dataDir, { chunkRetries: 1, maxAttempts: 2 });
      expect(await downloadPendingMedia(settings)).toMatchObject({ retryLater: 1, failed: 0, pending: 1 });
      expect(rowOf(await allRows(getStore().db, corpId()), c)).toMatchObject({ status: 'pending', attempts: 1 });
      expect(await downloadPendingMedia(settings)).toMatchObject({ retryLater: 0, failed: 1, pending: 0 });
      expect(rowOf(await allRows(getStore().db, corpId()), c)).toMatchObject({ status: 'failed', attempts: 2 });
    } finally {
      faults.onRoute('media', { kind: 'rc', code: 10003 }, 0);
    }
  });

  it('stops between chunks when asked and continues from the partial file next run', async () => {
    world.proxy.reset();
    const item = pick(world.current, 'file of 3+ chunks', (i) => chunksOf(i) >= 3);
    await seedMedia(getStore().db, corpId(), [item]);
    const dataDir = freshDataDir();
    const stop = new AbortController();
    const stopping = { mediaChunk: async (id: string, indexbuf: string) => {
      const chunk = await world.pool.mediaChunk(id, indexbuf);
      if (calls(item).length === 2) stop.abort();
      return chunk;
    } };

    expect(await downloadPendingMedia(options(dataDir, { source: stopping, signal: stop.signal }))).toMatchObject({ stopped: 'aborted', pending: 1 });
    expect(calls(item)).toEqual([0, 524288]);
    expect((await filesUnder(join(dataDir, 'media', '.partial'))).length).toBe(2);

    const resumed = await downloadPendingMedia(options(dataDir));
    expect(resumed).toMatchObject({ downloaded: 1, resumed: 1 });
    expect(calls(item).slice(2)).toEqual(Array.from({ length: chunksOf(item) - 2 }, (_, k) => (k + 2) * 524288));
    const row = rowOf(await allRows(getStore().db, corpId()), item);
    expect((await readFile(join(dataDir, row.stored_path!))).equals(servedBytes(world.factory.instance!.archive, item))).toBe(true);
  });
});
