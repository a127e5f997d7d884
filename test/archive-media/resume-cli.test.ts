import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES as CHUNK } from '../../src/sandbox/archive/media.ts';
import { openStore, type MediaRow } from '../../src/store/index.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, DIALECTS, skipDialect } from '../helpers/databases.ts';
import { sandboxConfig } from '../helpers/sandbox-config.ts';
import { pick, seedMedia, servedBytes } from './helpers.ts';
import { fileKey } from './media-proxy.ts';
import { chunksOf, MIME_OF, startMediaWorld, type MediaWorld } from './setup.ts';

// `archive media` killed for real (SIGKILL at a named point, between writing a chunk and saving its
// resume point), then run again: it continues from the partial file, asks only for the chunks it
// lacks, and ends with the right bytes. On SQLite and PostgreSQL, through the CLI a user runs.

let world: MediaWorld;
beforeAll(async () => { world = await startMediaWorld(); });
afterAll(async () => { await world?.close(); });

describe.each(DIALECTS)('archive media after kill -9 [%s]', (dialect) => {
  it.skipIf(skipDialect(dialect))('resumes the partial file from its last saved chunk', async () => {
    world.proxy.reset();
    const item = pick(world.current, 'file of 4+ chunks', (i) => chunksOf(i) >= 4 && Boolean(i.ref.md5sum));
    const database = await createTestDatabase(dialect);
    try {
      const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
      await seedMedia(store.db, world.sandbox.corpId, [item]);
      await store.close();
      const { file, env } = await sandboxConfig(world.sandbox, {
        WECOM_API_BASE: world.proxy.url, DATA_DIR: database.dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      });
      const args = ['archive', 'media', '--json', '--config', file];
      const calls = () => world.proxy.calls.get(fileKey(item.ref.sdkfileid)) ?? [];

      const killed = await runCli(args, { env: { ...env, WECOM_ARCHIVE_KILL_AT: 'archive.media.chunk.appended:3' } });
      expect(killed.code, killed.stderr).toBeNull();
      expect(calls()).toEqual([0, CHUNK, 2 * CHUNK]);
      // The third chunk reached the part file, its resume point did not.
      const partial = join(database.dataDir, 'media', '.partial');
      const names = await readdir(partial);
      const part = names.find((n) => n.endsWith('.part'))!;
      const sidecar = JSON.parse(await readFile(join(partial, names.find((n) => n.endsWith('.json'))!), 'utf8'));
      expect((await stat(join(partial, part))).size).toBe(3 * CHUNK);
      expect(sidecar).toMatchObject({ offset: 2 * CHUNK, indexbuf: `Range:bytes=${2 * CHUNK}-${3 * CHUNK - 1}`, finished: false });

      const finished = await runCli(args, { env });
      expect(finished.code, finished.stderr).toBe(0);
      const summary = JSON.parse(finished.stdout);
      expect(summary).toMatchObject({ ok: true, downloaded: 1, resumed: 1, md5Mismatches: 0, pending: 0 });
      // Resumed, not restarted: after the restart only the chunks from the saved point were asked for.
      expect(calls().slice(3)).toEqual(Array.from({ length: chunksOf(item) - 2 }, (_, k) => (k + 2) * CHUNK));

      const reopened = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
      const [row] = (await reopened.db.selectFrom('message_media').selectAll().execute()) as MediaRow[];
      await reopened.close();
      const bytes = await readFile(join(database.dataDir, row.stored_path!));
      expect(bytes.equals(servedBytes(world.factory.instance!.archive, item))).toBe(true);
      expect(createHash('md5').update(bytes).digest('hex')).toBe(item.ref.md5sum);
      expect(row).toMatchObject({ status: 'downloaded', mime: MIME_OF[item.generated.ext], size: bytes.length });
      expect(await readdir(partial)).toEqual([]);
      for (const output of [killed.stdout, killed.stderr, finished.stdout, finished.stderr]) expect(output).not.toContain(item.ref.sdkfileid);
    } finally {
      await database.drop();
    }
  }, 60_000);
});
