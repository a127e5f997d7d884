import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.ts';
import { downloadMedia } from '../../src/services/archive.ts';
import { createToken } from '../../src/services/tokens.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import { filledDeployment, type FilledDeployment } from '../server/fixture.ts';

/**
 * `GET /api/v1/media/<corp>/<msgid>[?path=item[n]]` over a store filled from the sandbox with its
 * media downloaded, on both databases: the bytes as stored, a nested item's file, a file never
 * stored said as such, and nothing a browser could run as a page on the service's origin.
 */
for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`the media route [${dialect}]`, () => {
    let filled: FilledDeployment;
    let app: FastifyInstance;
    let auth: Record<string, string>;
    let corpId: string;

    beforeAll(async () => {
      filled = await filledDeployment(dialect, { messages: 200 });
      await downloadMedia(filled.runtime, {});
      app = await buildServer(filled.runtime);
      // An auditor, with a purpose: media is message content.
      auth = {
        authorization: `Bearer ${(await createToken(filled.runtime, { name: 'media', role: 'auditor' })).token}`,
        'x-access-purpose': encodeURIComponent('合规检查'),
      };
      corpId = filled.sandbox.corpId;
    }, 240_000);
    afterAll(async () => {
      await app?.close();
      await filled?.dispose();
    });

    const media = async (where: { msgtype?: string; nested?: boolean; status?: string }) => {
      const { db } = await filled.runtime.store();
      let q = db.selectFrom('message_media as mm').innerJoin('messages as m', (j) => j.onRef('m.corp_id', '=', 'mm.corp_id').onRef('m.msgid', '=', 'mm.msgid'))
        .select(['mm.msgid', 'mm.item_path', 'mm.size', 'mm.sha256', 'm.msgtype']).where('mm.corp_id', '=', corpId)
        .where('mm.status', '=', (where.status ?? 'downloaded') as 'downloaded');
      if (where.msgtype) q = q.where('m.msgtype', '=', where.msgtype);
      q = where.nested ? q.where('mm.item_path', '!=', '') : q.where('mm.item_path', '=', '');
      return q.orderBy('mm.msgid').limit(1).executeTakeFirstOrThrow();
    };
    const get = (url: string, headers = auth) => app.inject({ method: 'GET', url, headers });

    it('sends an image as stored, as a download no page can run', async () => {
      const row = await media({ msgtype: 'image' });
      const res = await get(`/api/v1/media/${corpId}/${encodeURIComponent(row.msgid)}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\//);
      expect(res.rawPayload.length).toBe(Number(res.headers['content-length']));
      expect(res.headers['content-disposition']).toMatch(/^attachment; /);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      const { createHash } = await import('node:crypto');
      if (row.sha256) expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(row.sha256);
    });

    it('sends a nested item\'s file by its path', async () => {
      const row = await media({ nested: true });
      const res = await get(`/api/v1/media/${corpId}/${encodeURIComponent(row.msgid)}?path=${encodeURIComponent(row.item_path)}`);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.length).toBeGreaterThan(0);
    });

    it('serves a stored file of a type a browser would run as application/octet-stream', async () => {
      const row = await media({ msgtype: 'file' });
      const { db } = await filled.runtime.store();
      await db.updateTable('message_media').set({ mime: 'text/html' }).where('corp_id', '=', corpId).where('msgid', '=', row.msgid).execute();
      const res = await get(`/api/v1/media/${corpId}/${encodeURIComponent(row.msgid)}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
    });

    it('answers 404 problems for a message without that file and for a file not stored, 401 without a token', async () => {
      const row = await media({ msgtype: 'image' });
      const none = await get(`/api/v1/media/${corpId}/${encodeURIComponent(row.msgid)}?path=item[9]`);
      expect(none.statusCode).toBe(404);
      expect(none.json()).toMatchObject({ code: 'media_not_found' });
      const { db } = await filled.runtime.store();
      await db.updateTable('message_media').set({ status: 'expired' }).where('corp_id', '=', corpId).where('msgid', '=', row.msgid).execute();
      const expired = await get(`/api/v1/media/${corpId}/${encodeURIComponent(row.msgid)}`, { ...auth, 'accept-language': 'en' });
      expect(expired.statusCode).toBe(404);
      expect(expired.json()).toMatchObject({ code: 'media_not_stored', detail: expect.stringContaining('expired') });
      const bad = await get(`/api/v1/media/${corpId}/${encodeURIComponent(row.msgid)}?path=../../etc/passwd`);
      expect(bad.statusCode).toBe(400);
      expect((await get(`/api/v1/media/${corpId}/${encodeURIComponent(row.msgid)}`, {})).statusCode).toBe(401);
    });
  });
}
