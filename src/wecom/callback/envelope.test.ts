import { outcome } from './testing.ts';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sandbox/random.ts';
import { MsgCrypt } from './crypto.ts';
import { DEFAULT_MAX_BODY_BYTES, openCallback, parseEnvelope, sealReply, sealRequest } from './envelope.ts';
import type { CallbackReason } from './errors.ts';
import { MemoryNonceBook } from './replay.ts';
import { CALLBACK_VECTORS, VECTOR_SECRETS } from './vectors.ts';

const crypt = new MsgCrypt(VECTOR_SECRETS);
const [, B, C] = CALLBACK_VECTORS as [unknown, (typeof CALLBACK_VECTORS)[number], (typeof CALLBACK_VECTORS)[number]];
const AT_B = Number(B.query.timestamp) * 1000;

describe('parseEnvelope', () => {
  it('reads the XML envelope of vector B', () => {
    expect(parseEnvelope(B.body!)).toEqual({ format: 'xml', toUserName: VECTOR_SECRETS.receiveId, encrypt: B.encrypt, agentId: '218' });
  });

  it('reads the JSON envelope of vector C, from bytes too', () => {
    const expected = { format: 'json', toUserName: VECTOR_SECRETS.receiveId, encrypt: C.encrypt, agentId: '218' };
    expect(parseEnvelope(C.body!)).toEqual(expected);
    expect(parseEnvelope(Buffer.from(C.body!))).toEqual(expected);
  });

  it('takes a system callback with no AgentID, a BOM, whitespace and an XML declaration', () => {
    const body = `\uFEFF <?xml version="1.0" encoding="UTF-8"?>\n<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abcd]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>\n`;
    expect(parseEnvelope(body)).toEqual({ format: 'xml', toUserName: 'ww1', encrypt: 'abcd', agentId: undefined });
    expect(parseEnvelope('{"encrypt":"abcd","agentid":1000002}').agentId).toBe('1000002');
  });

  it('refuses a body over the limit before reading it, and the limit is configurable', () => {
    const big = `<xml><Encrypt>${'A'.repeat(DEFAULT_MAX_BODY_BYTES)}</Encrypt></xml>`;
    expect(outcome(() => parseEnvelope(big))).toBe('too_large');
    expect(outcome(() => parseEnvelope(B.body!, { maxBytes: 100 }))).toBe('too_large');
    expect(outcome(() => parseEnvelope(Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 1)))).toBe('too_large');
    // Multi-byte characters count as bytes, not characters.
    expect(outcome(() => parseEnvelope(`{"encrypt":"${'企'.repeat(40)}"}`, { maxBytes: 100 }))).toBe('too_large');
  });

  it('refuses DOCTYPE, entities, XXE, billion laughs and comments outright', () => {
    const attacks = [
      '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><Encrypt>&lol3;</Encrypt></xml>',
      '<!doctype xml><xml><Encrypt>abcd</Encrypt></xml>',
      '<xml><!ENTITY a "b"><Encrypt>abcd</Encrypt></xml>',
      '<xml><!-- hi --><Encrypt>abcd</Encrypt></xml>',
      '<xml><Encrypt><![CDATA[abcd]]></Encrypt></xml><!DOCTYPE x>',
    ];
    for (const body of attacks) expect(outcome(() => parseEnvelope(body))).toBe('forbidden_dtd');
  });

  it('leaves entities unexpanded and refuses prototype keys', () => {
    expect(parseEnvelope('<xml><Encrypt>a&amp;b</Encrypt></xml>').encrypt).toBe('a&amp;b');
    expect(outcome(() => parseEnvelope('<xml><__proto__><Encrypt>x</Encrypt></__proto__><Encrypt>abcd</Encrypt></xml>'))).toBe('bad_xml');
    expect(({} as Record<string, unknown>).Encrypt).toBeUndefined();
  });

  it('refuses wrong content with a reason', () => {
    const cases: Array<[string, CallbackReason]> = [
      ['', 'bad_envelope'],
      ['hello', 'bad_envelope'],
      ['<xml></xml>', 'bad_envelope'],
      ['<xml><Encrypt></Encrypt></xml>', 'bad_envelope'],
      ['<xml><Encrypt><a>b</a></Encrypt></xml>', 'bad_envelope'],
      ['<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>', 'bad_envelope'],
      ['<xml><Encrypt>a</Encrypt>', 'bad_xml'],
      ['<root><Encrypt>a</Encrypt></root>', 'bad_xml'],
      ['<xml/><xml/>', 'bad_xml'],
      [`${'<a>'.repeat(50)}${'</a>'.repeat(50)}`, 'bad_xml'],
      [`<xml>${'<a>'.repeat(9000)}${'</a>'.repeat(9000)}</xml>`, 'bad_xml'],
      ['{', 'bad_json'],
      ['{"encrypt":1}', 'bad_envelope'],
      ['{"encrypt":""}', 'bad_envelope'],
      ['{"tousername":["x"],"encrypt":"abcd"}', 'bad_envelope'],
      ['[1]', 'bad_envelope'],
    ];
    for (const [body, reason] of cases) expect(outcome(() => parseEnvelope(body)), body.slice(0, 60)).toBe(reason);
    expect(outcome(() => parseEnvelope(Buffer.from([0x3c, 0xff, 0xfe])))).toBe('bad_envelope');
    // Deep nesting past any sane limit is a refusal, not a stack overflow, even with the size cap raised.
    const deep = `<xml>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</xml>`;
    expect(outcome(() => parseEnvelope(deep, { maxBytes: 10_000_000 }))).toBe('bad_xml');
  });
});

describe('openCallback', () => {
  it('opens vector B at its own time, and vector C in JSON mode', () => {
    const opened = openCallback(crypt, B.query, B.body!, { now: AT_B });
    expect(opened).toMatchObject({ message: B.plaintext, timestamp: 1409659813, nonce: B.query.nonce, envelope: { format: 'xml', agentId: '218' } });
    expect(openCallback(crypt, C.query, C.body!, { now: AT_B }).message).toBe(C.plaintext);
  });

  it('refuses a stale or future timestamp, after the signature', () => {
    expect(outcome(() => openCallback(crypt, B.query, B.body!, { now: AT_B + 301_000 }))).toBe('stale_timestamp');
    expect(outcome(() => openCallback(crypt, B.query, B.body!, { now: AT_B - 301_000 }))).toBe('stale_timestamp');
    expect(outcome(() => openCallback(crypt, B.query, B.body!, { now: AT_B + 3_600_000, windowSeconds: 3600 }))).toBe('ok');
    // A forged request is refused for its signature whatever its age: the cheapest reason is not the clock.
    expect(outcome(() => openCallback(crypt, { ...B.query, msg_signature: '0'.repeat(40) }, B.body!, { now: 0 }))).toBe('bad_signature');
  });

  it('refuses the same nonce twice, and takes it again once forgotten', () => {
    const nonces = new MemoryNonceBook({ now: () => AT_B });
    expect(outcome(() => openCallback(crypt, B.query, B.body!, { now: AT_B, nonces }))).toBe('ok');
    expect(outcome(() => openCallback(crypt, B.query, B.body!, { now: AT_B, nonces }))).toBe('replayed_nonce');
    nonces.forget(B.query.nonce);
    expect(outcome(() => openCallback(crypt, B.query, B.body!, { now: AT_B, nonces }))).toBe('ok');
  });

  it('does not record the nonce of a request it refused', () => {
    const nonces = new MemoryNonceBook({ now: () => AT_B });
    expect(outcome(() => openCallback(crypt, { ...B.query, msg_signature: '0'.repeat(40) }, B.body!, { now: AT_B, nonces }))).toBe('bad_signature');
    expect(outcome(() => openCallback(crypt, B.query, B.body!, { now: AT_B + 400_000, nonces }))).toBe('stale_timestamp');
    expect(nonces.size).toBe(0);
    expect(outcome(() => openCallback(crypt, B.query, B.body!, { now: AT_B, nonces }))).toBe('ok');
  });

  it('missing query parameters', () => {
    expect(outcome(() => openCallback(crypt, { timestamp: '1', nonce: '1' }, B.body!, { now: AT_B }))).toBe('missing_param');
  });
});

describe('sealReply and sealRequest', () => {
  it('a sealed request opens again, XML and JSON', () => {
    for (const format of ['xml', 'json'] as const) {
      const { query, body } = sealRequest(crypt, '<xml><Event>x</Event></xml>', { timestamp: '1409659813', nonce: 'n1', format, agentId: '218' });
      expect(openCallback(crypt, query, body, { now: AT_B }).message).toBe('<xml><Event>x</Event></xml>');
    }
  });

  it('the XML reply carries a signature over its own Encrypt', () => {
    const reply = sealReply(crypt, 'hi', { timestamp: '1409659813', nonce: 'a]]>b', random: () => Buffer.from(B.random) });
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(reply)![1]!;
    const signature = /<MsgSignature><!\[CDATA\[([0-9a-f]+)\]\]>/.exec(reply)![1]!;
    expect(crypt.signature('1409659813', 'a]]>b', encrypt)).toBe(signature);
    expect(crypt.decrypt(encrypt)).toBe('hi');
    expect(reply).toContain('<TimeStamp>1409659813</TimeStamp><Nonce><![CDATA[a]]]]><![CDATA[>b]]></Nonce>');
  });

  it('the JSON reply has WeCom\'s field names', () => {
    const reply = JSON.parse(sealReply(crypt, 'hi', { timestamp: '1409659813', nonce: 'n', format: 'json' }));
    expect(Object.keys(reply)).toEqual(['encrypt', 'msgsignature', 'timestamp', 'nonce']);
    expect(reply.timestamp).toBe(1409659813);
    expect(crypt.signature('1409659813', 'n', reply.encrypt)).toBe(reply.msgsignature);
  });
});

describe('generated malformed bodies (seeded, deterministic)', () => {
  const rng = new Rng(7);
  const { query, body } = sealRequest(crypt, '<xml><Event>x</Event></xml>', { timestamp: '1409659813', nonce: 'n', agentId: '1' });

  it('3000 mutated XML and JSON envelopes: a typed refusal or an unchanged Encrypt, never a crash', () => {
    const json = JSON.stringify({ tousername: VECTOR_SECRETS.receiveId, encrypt: parseEnvelope(body).encrypt, agentid: '1' });
    const pieces = ['<', '>', '</', '<!', '<![CDATA[', ']]>', '&', '&lol;', '"', '{', '}', '\u0000', '<!DOCTYPE x>', '<Encrypt>', '</xml>', '企'];
    const counts: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) {
      let text = rng.chance(0.5) ? body : json;
      for (let edits = rng.between(1, 4); edits > 0; edits--) {
        const at = rng.int(text.length + 1);
        text = rng.chance(0.5)
          ? text.slice(0, at) + rng.pick(pieces) + text.slice(at)
          : text.slice(0, at) + text.slice(Math.min(text.length, at + rng.between(1, 8)));
      }
      const reason = outcome(() => openCallback(crypt, query, text, { now: AT_B }));
      counts[reason] = (counts[reason] ?? 0) + 1;
    }
    // Whatever opened, opened because the Encrypt it signed was intact.
    expect(counts.bad_signature! + (counts.bad_xml ?? 0) + (counts.bad_envelope ?? 0) + (counts.bad_json ?? 0)).toBeGreaterThan(1000);
  });

  it('1000 bodies of random bytes and deep JSON: typed refusals only', () => {
    for (let i = 0; i < 1000; i++) {
      const bytes = Buffer.from(Array.from({ length: rng.between(0, 512) }, () => rng.int(256)));
      if (rng.chance(0.5)) bytes[0] = rng.pick([0x3c, 0x7b]); // '<' or '{': reach the parsers
      expect(outcome(() => parseEnvelope(bytes))).not.toBe('ok');
    }
    const depth = 20_000;
    expect(outcome(() => parseEnvelope(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, { maxBytes: 1e6 }))).toBe('bad_envelope');
  });
});
