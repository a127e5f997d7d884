import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { receiveCallback } from '../../src/services/callbacks.ts';
import { sealRequest } from '../../src/wecom/callback/envelope.ts';
import { CALLBACK_VECTORS, VECTOR_SECRETS } from '../../src/wecom/callback/vectors.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import { deliver, eventXml, freshNonce, inboxCount, nowSeconds, openWorld, type World } from './helpers.ts';

/** The receiver service: official vectors, dedupe of retries, what is stored, the 404s. */

const [GET_VECTOR, XML_VECTOR, JSON_VECTOR] = CALLBACK_VECTORS as [typeof CALLBACK_VECTORS[0], typeof CALLBACK_VECTORS[0], typeof CALLBACK_VECTORS[0]];
const VECTOR_KEYS = { token: VECTOR_SECRETS.token, aesKey: VECTOR_SECRETS.encodingAesKey };

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`receiveCallback [${dialect}]`, () => {
    let world: World;
    afterEach(async () => { vi.useRealTimers(); await world?.close(); });

    describe('the official vectors (wecom-api.md §5.4)', () => {
      beforeEach(async () => {
        world = await openWorld(dialect, { corpId: VECTOR_SECRETS.receiveId, secrets: { app: VECTOR_KEYS, customer: VECTOR_KEYS } });
      });

      it('answers the URL verification (A) with the plain echostr', async () => {
        const reply = await receiveCallback(world.runtime, {
          corpId: world.corpId, kind: 'app', method: 'GET', query: { ...GET_VECTOR.query, echostr: GET_VECTOR.encrypt }, body: '',
        });
        expect(reply).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: '1616140317555161061' });
      });

      it('stores the XML (B) and JSON (C) messages as decrypted, at the time they were sent', async () => {
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(Number(XML_VECTOR.query.timestamp) * 1000 + 2000);
        const b = await receiveCallback(world.runtime, { corpId: world.corpId, kind: 'app', method: 'POST', query: XML_VECTOR.query, body: XML_VECTOR.body!, contentType: 'text/xml' });
        // C reuses B's nonce: on another URL (its own nonce book), as the two samples are separate set-ups.
        const c = await receiveCallback(world.runtime, { corpId: world.corpId, kind: 'customer', method: 'POST', query: JSON_VECTOR.query, body: JSON_VECTOR.body!, contentType: 'application/json' });
        expect([b.status, b.body, c.status, c.body]).toEqual([200, '', 200, '']);
        const store = await world.runtime.store();
        const rows = await store.db.selectFrom('callback_inbox').select(['kind', 'event_kind', 'payload', 'status']).orderBy('id').execute();
        expect(rows).toEqual([
          { kind: 'app', event_kind: 'unknown', payload: XML_VECTOR.plaintext, status: 'ignored' },
          { kind: 'customer', event_kind: 'unknown', payload: JSON_VECTOR.plaintext, status: 'ignored' },
        ]);
      });

      it('refuses the vectors once their timestamp is stale, storing nothing', async () => {
        const b = await receiveCallback(world.runtime, { corpId: world.corpId, kind: 'app', method: 'POST', query: XML_VECTOR.query, body: XML_VECTOR.body!, contentType: 'text/xml' });
        expect([b.status, b.body, b.reason]).toEqual([403, '', 'stale_timestamp']);
        expect(await inboxCount(world)).toBe(0);
      });
    });

    describe('events', () => {
      beforeEach(async () => { world = await openWorld(dialect); });

      it('stores a retry once and answers it 200 again, even with the same nonce', async () => {
        const xml = eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'delete_user', UserID: 'zhangsan' });
        const nonce = freshNonce();
        const first = await deliver(world, 'contacts', xml, nonce);
        const sameRequest = await deliver(world, 'contacts', xml, nonce);
        const laterRetry = await deliver(world, 'contacts', xml);
        expect([first.status, sameRequest.status, laterRetry.status]).toEqual([200, 200, 200]);
        const store = await world.runtime.store();
        const rows = await store.db.selectFrom('callback_inbox').selectAll().execute();
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ corp_id: world.corpId, kind: 'contacts', event_kind: 'change_contact.delete_user', record_key: 'user:zhangsan', status: 'pending', attempts: 0 });
      });

      it('refuses another event under a nonce already used (403), storing nothing more', async () => {
        const nonce = freshNonce();
        await deliver(world, 'contacts', eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'delete_user', UserID: 'a' }), nonce);
        const replay = await deliver(world, 'contacts', eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'delete_user', UserID: 'b' }), nonce);
        expect([replay.status, replay.body, replay.reason]).toEqual([403, '', 'replayed_nonce']);
        expect(await inboxCount(world)).toBe(1);
      });

      it('writes callbacks that arrive together in group commits, each stored once', async () => {
        const xmls = Array.from({ length: 200 }, (_, i) => eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'delete_user', UserID: `burst${i}` }));
        const replies = await Promise.all([...xmls, ...xmls].map((xml) => deliver(world, 'contacts', xml)));
        expect(replies.every((r) => r.status === 200)).toBe(true);
        expect(await inboxCount(world)).toBe(200);
      });

      it('answers 503 when the store cannot be written, and accepts the very same request afterwards', async () => {
        const store = await world.runtime.store();
        const xml = eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'delete_user', UserID: 'later' });
        const nonce = freshNonce();
        await store.db.schema.alterTable('callback_inbox').renameTo('callback_inbox_away').execute();
        const failed = await deliver(world, 'contacts', xml, nonce);
        await store.db.schema.alterTable('callback_inbox_away').renameTo('callback_inbox').execute();
        expect([failed.status, failed.body]).toEqual([503, '']);
        // The nonce was forgotten: WeCom's retry of the same request is not refused as a replay.
        expect((await deliver(world, 'contacts', xml, nonce)).status).toBe(200);
        expect(await inboxCount(world)).toBe(1);
      });

      it('keeps two changes of one record in the same second as two events', async () => {
        const at = Math.floor(Date.now() / 1000);
        await deliver(world, 'contacts', eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'update_user', UserID: 'u1', Name: '甲' }, at));
        await deliver(world, 'contacts', eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'update_user', UserID: 'u1', Position: '乙' }, at));
        expect(await inboxCount(world)).toBe(2);
      });

      it('answers 404 for an unknown corp, an unknown kind and a kind without keys, storing nothing', async () => {
        const cfg = world.runtime.corp(world.corpId);
        delete cfg.callbacks.archive;
        const { query, body } = sealRequest(world.crypt('archive'), eventXml(world.corpId, { Event: 'msgaudit_notify' }), { timestamp: nowSeconds(), nonce: freshNonce() });
        for (const [corpId, kind] of [['wwother', 'contacts'], [world.corpId, 'payroll'], [world.corpId, 'archive'], [world.corpId, '__proto__']]) {
          const reply = await receiveCallback(world.runtime, { corpId: corpId!, kind: kind!, method: 'POST', query, body, contentType: 'text/xml' });
          expect([reply.status, reply.body]).toEqual([404, '']);
        }
        expect(await inboxCount(world)).toBe(0);
      });

      it('answers URL verification for a configured kind with its own keys only', async () => {
        const echostr = world.crypt('customer').encrypt('echo-1234');
        const timestamp = nowSeconds();
        const nonce = freshNonce();
        const signature = world.crypt('customer').signature(timestamp, nonce, echostr);
        const query = { msg_signature: signature, timestamp, nonce, echostr };
        const ok = await receiveCallback(world.runtime, { corpId: world.corpId, kind: 'customer', method: 'GET', query, body: '' });
        const wrongKind = await receiveCallback(world.runtime, { corpId: world.corpId, kind: 'contacts', method: 'GET', query, body: '' });
        expect([ok.status, ok.body]).toEqual([200, 'echo-1234']);
        expect([wrongKind.status, wrongKind.body]).toEqual([401, '']);
      });
    });
  });
}
