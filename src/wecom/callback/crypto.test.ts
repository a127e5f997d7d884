import { outcome } from './testing.ts';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import * as oracle from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sandbox/random.ts';
import { computeSignature, decryptMessage, encryptMessage, MsgCrypt, pad, parseKey, unpad, verifySignature } from './crypto.ts';
import type { CallbackError } from './errors.ts';
import { CALLBACK_VECTORS, VECTOR_SECRETS } from './vectors.ts';

const crypt = new MsgCrypt(VECTOR_SECRETS);
const key = parseKey(VECTOR_SECRETS.encodingAesKey);
const fixed = (text: string) => () => Buffer.from(text, 'utf8');

describe('official vectors (wecom-api.md §5.4)', () => {
  for (const vector of CALLBACK_VECTORS) {
    describe(vector.name, () => {
      it('the signature verifies, and is the one computed', () => {
        expect(computeSignature(VECTOR_SECRETS.token, vector.query.timestamp, vector.query.nonce, vector.encrypt)).toBe(vector.query.msg_signature);
        expect(() => crypt.verify(vector.query.msg_signature, vector.query.timestamp, vector.query.nonce, vector.encrypt)).not.toThrow();
      });

      it('decrypts to the exact plaintext', () => {
        expect(crypt.decrypt(vector.encrypt)).toBe(vector.plaintext);
      });

      it('re-encrypts with the sample random bytes to the exact ciphertext', () => {
        expect(crypt.encrypt(vector.plaintext, fixed(vector.random))).toBe(vector.encrypt);
      });

      it('has the documented random prefix and 32-byte-block pad', () => {
        const decipher = createDecipheriv('aes-256-cbc', key.key, key.iv).setAutoPadding(false);
        const raw = Buffer.concat([decipher.update(Buffer.from(vector.encrypt, 'base64')), decipher.final()]);
        expect(raw.subarray(0, 16).toString('utf8')).toBe(vector.random);
        expect(raw[raw.length - 1]).toBe(vector.pad);
      });

      it('agrees with the @wecom/crypto test oracle', () => {
        expect(oracle.getSignature(VECTOR_SECRETS.token, vector.query.timestamp, vector.query.nonce, vector.encrypt)).toBe(vector.query.msg_signature);
        expect(oracle.decrypt(VECTOR_SECRETS.encodingAesKey, vector.encrypt).message).toBe(vector.plaintext);
      });
    });
  }

  it('A: verifyUrl answers the plain echostr', () => {
    const [a] = CALLBACK_VECTORS;
    expect(crypt.verifyUrl({ ...a!.query, echostr: a!.encrypt })).toBe('1616140317555161061');
  });

  it('A: the echostr as sent (URL-encoded) decodes to the vector', () => {
    const sent = 'P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D';
    expect(new URLSearchParams(`echostr=${sent}`).get('echostr')).toBe(CALLBACK_VECTORS[0]!.encrypt);
  });
});

describe('round trip', () => {
  it('every message length 0..300 and non-ASCII text decrypts to itself, and matches the oracle', () => {
    const rng = new Rng(1);
    for (let length = 0; length <= 300; length++) {
      // Whole code points: rng.chars draws UTF-16 units and would split the emoji's surrogate pair.
      const message = Array.from({ length }, () => rng.pick([...'abc<>&"企业微信😀\n'])).join('');
      const random = Buffer.from(rng.chars('0123456789abcdef', 16));
      const sealed = crypt.encrypt(message, () => random);
      expect(crypt.decrypt(sealed)).toBe(message);
      expect(sealed).toBe(oracle.encrypt(VECTOR_SECRETS.encodingAesKey, message, VECTOR_SECRETS.receiveId, random));
    }
  });

  it('uses fresh random bytes by default', () => {
    expect(crypt.encrypt('x')).not.toBe(crypt.encrypt('x'));
  });

  it('pads to 32-byte blocks, a whole block when aligned', () => {
    for (let n = 0; n <= 96; n++) {
      const padded = pad(Buffer.alloc(n, 0x61));
      expect(padded.length % 32).toBe(0);
      expect(padded.length - n).toBeGreaterThanOrEqual(1);
      expect(padded.length - n).toBeLessThanOrEqual(32);
      expect(unpad(padded).length).toBe(n);
    }
  });

  it('refuses a random source that is not 16 bytes (a programming error, not a callback)', () => {
    expect(() => crypt.encrypt('x', () => Buffer.alloc(15))).toThrow(RangeError);
  });
});

describe('refusals', () => {
  const [, b] = CALLBACK_VECTORS;
  const q = b!.query;

  it('a malformed EncodingAESKey', () => {
    for (const bad of ['', 'short', `${VECTOR_SECRETS.encodingAesKey}A`, `${VECTOR_SECRETS.encodingAesKey.slice(0, 42)}!`, 'a'.repeat(42) + '=']) {
      expect(outcome(() => parseKey(bad))).toBe('bad_key');
    }
  });

  it('an empty token', () => {
    expect(outcome(() => new MsgCrypt({ ...VECTOR_SECRETS, token: '' }))).toBe('bad_token');
  });

  it('a signature of the wrong length, case or value', () => {
    for (const bad of ['', q.msg_signature.slice(1), q.msg_signature.toUpperCase(), `${q.msg_signature}0`, '0'.repeat(40)]) {
      expect(outcome(() => verifySignature(VECTOR_SECRETS.token, bad, q.timestamp, q.nonce, b!.encrypt))).toBe('bad_signature');
    }
    expect(outcome(() => verifySignature('other', q.msg_signature, q.timestamp, q.nonce, b!.encrypt))).toBe('bad_signature');
  });

  it('missing GET parameters', () => {
    expect(outcome(() => crypt.verifyUrl({ ...q }))).toBe('missing_param');
    expect(outcome(() => crypt.verifyUrl({}))).toBe('missing_param');
  });

  it('a ciphertext sealed for another receive id', () => {
    const other = new MsgCrypt({ ...VECTOR_SECRETS, receiveId: 'ww0000000000000000' });
    expect(outcome(() => crypt.decrypt(other.encrypt('hello')))).toBe('wrong_receive_id');
    // A receive id that is a prefix or extension of ours is still another id.
    expect(outcome(() => decryptMessage(key, encryptMessage(key, 'x', `${VECTOR_SECRETS.receiveId}x`), VECTOR_SECRETS.receiveId))).toBe('wrong_receive_id');
    expect(outcome(() => decryptMessage(key, encryptMessage(key, 'x', VECTOR_SECRETS.receiveId.slice(0, -1)), VECTOR_SECRETS.receiveId))).toBe('wrong_receive_id');
  });

  it('bad padding, bad lengths, bad base64, bad UTF-8', () => {
    expect(outcome(() => unpad(Buffer.from([1, 2, 3, 0])))).toBe('bad_padding');
    expect(outcome(() => unpad(Buffer.from([1, 2, 3, 33])))).toBe('bad_padding');
    expect(outcome(() => unpad(Buffer.from([1, 3, 2, 3])))).toBe('bad_padding');
    expect(outcome(() => unpad(Buffer.alloc(0)))).toBe('bad_padding');
    expect(outcome(() => crypt.decrypt(''))).toBe('bad_base64');
    expect(outcome(() => crypt.decrypt('abc'))).toBe('bad_base64');
    expect(outcome(() => crypt.decrypt('ab!d'))).toBe('bad_base64');
    expect(outcome(() => crypt.decrypt(`${b!.encrypt} `))).toBe('bad_base64');
    expect(outcome(() => crypt.decrypt(Buffer.alloc(16).toString('base64')))).toBe('bad_ciphertext');
    // The last block cut off: the pad byte is then message text.
    for (const vector of CALLBACK_VECTORS) {
      expect(outcome(() => crypt.decrypt(Buffer.from(vector.encrypt, 'base64').subarray(0, -32).toString('base64')))).toBe('bad_padding');
    }
    // A 4-byte length larger than what follows.
    const lying = encryptRaw(Buffer.concat([Buffer.alloc(16, 0x30), u32(1000), Buffer.from('hi'), Buffer.from(VECTOR_SECRETS.receiveId)]));
    expect(outcome(() => crypt.decrypt(lying))).toBe('bad_length');
    expect(outcome(() => crypt.decrypt(encryptRaw(Buffer.alloc(10, 0x30))))).toBe('bad_length');
    const latin1 = encryptRaw(Buffer.concat([Buffer.alloc(16, 0x30), u32(2), Buffer.from([0xc3, 0x28]), Buffer.from(VECTOR_SECRETS.receiveId)]));
    expect(outcome(() => crypt.decrypt(latin1))).toBe('bad_encoding');
  });

  it('no refusal message holds the token, the key or the plaintext', () => {
    const reasons: CallbackError[] = [];
    for (const fn of [() => crypt.decrypt('ab!d'), () => crypt.verify('x', q.timestamp, q.nonce, b!.encrypt), () => parseKey(`${VECTOR_SECRETS.encodingAesKey}A`)]) {
      try { fn(); } catch (err) { reasons.push(err as CallbackError); }
    }
    for (const err of reasons) {
      const text = `${err.message} ${JSON.stringify(err.vars)} ${JSON.stringify(err.describe('zh'))}`;
      expect(text).not.toContain(VECTOR_SECRETS.token);
      expect(text).not.toContain(VECTOR_SECRETS.encodingAesKey.slice(0, 12));
    }
  });
});

describe('generated forgeries (seeded, deterministic)', () => {
  const rng = new Rng(20261207);
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

  it('3000 tampered requests without the token: all bad_signature or missing_param, never accepted', () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) {
      const message = rng.chars('<xml>abc</xml>', rng.between(0, 200));
      const sealed = crypt.encrypt(message);
      const timestamp = String(1_700_000_000 + rng.int(1000));
      const nonce = String(rng.int(1e9));
      const signature = crypt.signature(timestamp, nonce, sealed);
      const forged = mutate(rng, { signature, timestamp, nonce, encrypt: sealed });
      const reason = outcome(() => {
        crypt.verifyUrl({ msg_signature: forged.signature, timestamp: forged.timestamp, nonce: forged.nonce, echostr: forged.encrypt });
      });
      counts[reason] = (counts[reason] ?? 0) + 1;
      expect(['bad_signature', 'missing_param']).toContain(reason);
    }
    expect(counts.bad_signature).toBeGreaterThan(2500);
  });

  it('3000 corrupted ciphertexts that pass the signature (an attacker with the token): typed refusal or a decryption, never a crash', () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) {
      const message = rng.chars('<xml>abc企</xml>', rng.between(0, 120));
      let data = Buffer.from(crypt.encrypt(message), 'base64');
      switch (rng.int(5)) {
        case 0: data[rng.int(data.length)] ^= 1 << rng.int(8); break; // one flipped bit
        case 1: data = data.subarray(0, rng.int(data.length)); break; // truncated
        case 2: data = Buffer.concat([data, Buffer.alloc(rng.between(1, 64), rng.int(256))]); break; // extended
        case 3: data = Buffer.from(Array.from({ length: 32 * rng.between(1, 8) }, () => rng.int(256))); break; // noise
        default: { // the last block replaced: the padding byte is garbage
          const tail = data.length - 16;
          for (let j = tail; j < data.length; j++) data[j] = rng.int(256);
        }
      }
      const reason = outcome(() => crypt.decrypt(data.toString('base64')));
      counts[reason] = (counts[reason] ?? 0) + 1;
    }
    // A flipped bit in an early block only garbles the random prefix: CBC has no MAC, the signature is the guard.
    for (const reason of ['bad_padding', 'bad_ciphertext', 'bad_length', 'wrong_receive_id']) expect(counts[reason]).toBeGreaterThan(0);
  });

  it('2000 random strings as ciphertext: typed refusals only', () => {
    for (let i = 0; i < 2000; i++) {
      const text = rng.chance(0.5) ? rng.chars(B64, rng.between(0, 200)) : rng.chars(`${B64}=!\u0000 \n%企`, rng.between(0, 200));
      const reason = outcome(() => crypt.decrypt(text));
      expect(reason).not.toBe('ok');
    }
  });
});

function u32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n, 0);
  return out;
}

/** Seals arbitrary plaintext bytes (correctly padded) to test the layout checks behind the padding. */
function encryptRaw(plain: Buffer): string {
  const cipher = createCipheriv('aes-256-cbc', key.key, key.iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(pad(plain)), cipher.final()]).toString('base64');
}

interface Request {
  signature: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
}

/** One change an attacker without the token could make to a signed request. */
function mutate(rng: Rng, req: Request): Request {
  const flip = (text: string) => {
    if (text.length === 0) return 'x';
    const at = rng.int(text.length);
    const replacement = text[at] === 'A' ? 'B' : 'A';
    return text.slice(0, at) + replacement + text.slice(at + 1);
  };
  switch (rng.int(7)) {
    case 0: return { ...req, encrypt: flip(req.encrypt) };
    case 1: return { ...req, signature: flip(req.signature) };
    case 2: return { ...req, timestamp: String(Number(req.timestamp) + rng.between(1, 100)) };
    case 3: return { ...req, nonce: `${req.nonce}${rng.int(10)}` };
    case 4: return { ...req, encrypt: req.encrypt.slice(0, rng.int(req.encrypt.length)) };
    case 5: return { ...req, signature: req.signature.slice(0, rng.int(40)) };
    default: return { ...req, encrypt: crypt.encrypt('forged') }; // a fresh ciphertext under the old signature
  }
}
