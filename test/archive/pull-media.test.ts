import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeDatabases } from '../helpers/databases.ts';
import { archiveCli, openDatabase, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// `archive pull` downloads the media of what it pulled (they expire with their messages), through
// the pull's own SDK host; `--no-media` leaves them pending for `archive media`.

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
beforeAll(async () => { world = await startArchiveWorld({ messages: 240 }); });
afterAll(() => world?.close());

describeDatabases('archive pull with media', (getDatabase) => {
  it('downloads every media item of the pulled messages unless --no-media', async () => {
    const database = getDatabase();
    const skipped = await archiveCli(database, world.configFile, ['pull']);
    expect(skipped.json.corps[0].media).toBeNull();

    const store = await openDatabase(database);
    try {
      const statuses = async () => (await store.db.selectFrom('message_media').select('status').execute()).map((r) => r.status);
      const before = await statuses();
      expect(before.length).toBeGreaterThan(0);
      expect(new Set(before)).toEqual(new Set(['pending']));

      await store.db.deleteFrom('messages').execute();
      await store.db.deleteFrom('message_media').execute();
      await store.db.deleteFrom('sync_cursors').execute();
      const pulled = await archiveCli(database, world.configFile, ['pull'], {}, true);
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(pulled.json.corps[0].media).toMatchObject({ pending: 0 });
      const after = await statuses();
      expect(after.length).toBe(before.length);
      expect(after.filter((s) => s === 'pending')).toEqual([]);
      expect(after.filter((s) => s === 'downloaded').length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
