import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { MsgCrypt } from '../../src/wecom/callback/crypto.ts';
import { sealRequest } from '../../src/wecom/callback/envelope.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import { bareServer, eventXml, freshNonce, inboxCount, nowSeconds, openWorld, type World } from './helpers.ts';

/**
 * Issue 10: at least 10,000 forged or malformed callbacks through the route (a bare Fastify with the
 * route module, requests by inject): none accepted, no 5xx, nothing stored, and a genuine callback
 * is still accepted afterwards. Seeded, so every run sends the same requests.
 */

const PER_FAMILY = 1000;

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Forged { method?: 'GET' | 'POST'; query: Record<string, string>; body: string; contentType?: string; kind?: string }

function families(world: World, random: () => number, replayNonce: string): Record<string, (i: number) => Forged> {
  const crypt = world.crypt('contacts');
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const event = (i: number) => eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'update_user', UserID: `u${i}`, Name: `n${random()}` });
  const sealed = (i: number, options: { crypt?: MsgCrypt; timestamp?: string; nonce?: string; message?: string } = {}) =>
    sealRequest(options.crypt ?? crypt, options.message ?? event(i), { timestamp: options.timestamp ?? nowSeconds(), nonce: options.nonce ?? freshNonce() });
  const signedBody = (encrypt: string) => {
    const timestamp = nowSeconds();
    const nonce = freshNonce();
    return { query: { msg_signature: crypt.signature(timestamp, nonce, encrypt), timestamp, nonce }, body: `<xml><ToUserName>${world.corpId}</ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` };
  };
  const dtd = [
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><Encrypt>&c;</Encrypt></xml>',
    '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>',
    '<xml><!-- c --><Encrypt>x</Encrypt></xml>',
    '<xml><Encrypt>x</Encrypt></xml><!DOCTYPE y>',
  ];
  return {
    badSignature: (i) => {
      const { query, body } = sealed(i);
      const flip = Math.floor(random() * query.msg_signature.length);
      const c = query.msg_signature[flip] === 'a' ? 'b' : 'a';
      return { query: { ...query, msg_signature: query.msg_signature.slice(0, flip) + c + query.msg_signature.slice(flip + 1) }, body };
    },
    // Signed (as if the token leaked) so that the base64 check itself is reached.
    badBase64: () => signedBody(pick(['@@@@', 'abc', 'Zm9v!', '====', `${'A'.repeat(43)}*`, 'YWJj\u00e9'])),
    wrongReceiveId: (i) => sealed(i, { crypt: new MsgCrypt({ token: world.secrets.contacts.token, encodingAesKey: world.secrets.contacts.aesKey, receiveId: pick(['wwother', '', `${world.corpId}x`]) }) }),
    oversized: (i) => {
      const { query, body } = sealed(i);
      return { query, body: body.replace('</xml>', `<Pad>${'x'.repeat(64 * 1024 + Math.floor(random() * 4096))}</Pad></xml>`) };
    },
    entityXml: (i) => (i % 2 === 0
      ? { query: sealed(i).query, body: pick(dtd) }
      // The same inside a genuine, signed envelope: the decrypted event is refused too.
      : sealed(i, { message: pick(dtd).replace('<Encrypt>', '<Event>').replace('</Encrypt>', '</Event>') })),
    replayedNonce: (i) => sealed(i, { nonce: replayNonce }),
    staleTimestamp: (i) => sealed(i, { timestamp: String(Math.floor(Date.now() / 1000) + pick([-1, 1]) * (301 + Math.floor(random() * 100_000))) }),
    truncated: (i) => {
      const { query, body } = sealed(i);
      return { query, body: body.slice(0, 1 + Math.floor(random() * (body.length - 2))) };
    },
    wrongContentType: (i) => ({ ...sealed(i), contentType: pick(['image/png', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/octet-stream', 'text/html']) }),
    malformed: (i) => pick<Forged>([
      { query: {}, body: sealed(i).body },
      { query: { ...sealed(i).query, nonce: '' }, body: sealed(i).body },
      { query: sealed(i).query, body: '' },
      { query: sealed(i).query, body: '{"encrypt": 5}' },
      { query: sealed(i).query, body: String(random()) },
      { method: 'GET', query: { ...sealed(i).query, echostr: 'bm90IHNpZ25lZA==' }, body: '' },
    ]),
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`forged callbacks through the route [${dialect}]`, () => {
    let world: World;
    let app: FastifyInstance;
    beforeAll(async () => {
      world = await openWorld(dialect);
      app = await bareServer(world.runtime);
    });
    afterAll(async () => { await app?.close(); await world?.close(); });

    it(`refuses ${PER_FAMILY} of each family, 0 accepted, no 5xx, nothing stored, healthy after`, async () => {
      const replayNonce = freshNonce();
      const genuine = sealRequest(world.crypt('contacts'), eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'delete_user', UserID: 'first' }), { timestamp: nowSeconds(), nonce: replayNonce });
      const first = await app.inject({ method: 'POST', url: `/callback/${world.corpId}/contacts`, query: genuine.query, payload: genuine.body, headers: { 'content-type': 'text/xml' } });
      expect(first.statusCode).toBe(200);

      const statuses = new Map<string, Map<number, number>>();
      let total = 0;
      for (const [name, make] of Object.entries(families(world, seeded(20261207), replayNonce))) {
        const seen = new Map<number, number>();
        for (let i = 0; i < PER_FAMILY; i++) {
          const forged = make(i);
          const res = await app.inject({
            method: forged.method ?? 'POST', url: `/callback/${world.corpId}/${forged.kind ?? 'contacts'}`, query: forged.query,
            payload: forged.method === 'GET' ? undefined : forged.body, headers: { 'content-type': forged.contentType ?? 'text/xml' },
          });
          seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
          if (res.body !== '') throw new Error(`${name} #${i}: a refusal with a body: ${res.body.slice(0, 80)}`);
          total += 1;
        }
        statuses.set(name, seen);
      }
      expect(total).toBeGreaterThanOrEqual(10_000);
      const summary = Object.fromEntries([...statuses].map(([name, seen]) => [name, Object.fromEntries(seen)]));
      for (const seen of statuses.values()) {
        expect(seen.get(200) ?? 0).toBe(0);
        expect([...seen.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
      }
      // Each family is refused for its own reason.
      expect(summary).toMatchObject({
        badSignature: { 401: PER_FAMILY }, badBase64: { 400: PER_FAMILY }, wrongReceiveId: { 403: PER_FAMILY },
        oversized: { 413: PER_FAMILY }, entityXml: { 400: PER_FAMILY }, replayedNonce: { 403: PER_FAMILY },
        staleTimestamp: { 403: PER_FAMILY }, wrongContentType: { 415: PER_FAMILY },
      });
      expect(await inboxCount(world)).toBe(1);

      const after = sealRequest(world.crypt('contacts'), eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'delete_user', UserID: 'after' }), { timestamp: nowSeconds(), nonce: freshNonce() });
      const healthy = await app.inject({ method: 'POST', url: `/callback/${world.corpId}/contacts`, query: after.query, payload: after.body, headers: { 'content-type': 'application/xml' } });
      expect(healthy.statusCode).toBe(200);
      expect(await inboxCount(world)).toBe(2);
    }, 300_000);
  });
}
