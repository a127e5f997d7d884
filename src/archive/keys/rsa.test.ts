import { constants, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { rsaPkcs1v15Decrypt, RsaUnwrapError, stripPkcs1Type2 } from './rsa.ts';

// node-forge is the oracle: an independent, pure-JS PKCS#1 v1.5 implementation.

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const forgePrivate = forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
const forgePublic = forge.pki.publicKeyFromPem(publicKey.export({ format: 'pem', type: 'spki' }).toString());

const forgeEncrypt = (message: Buffer) => Buffer.from(forgePublic.encrypt(message.toString('binary'), 'RSAES-PKCS1-V1_5'), 'binary');
const forgeDecrypt = (ciphertext: Buffer) => Buffer.from(forgePrivate.decrypt(ciphertext.toString('binary'), 'RSAES-PKCS1-V1_5'), 'binary');
/** Raw RSA of a hand-made encoded block, to test what the unpadding accepts. */
const rawEncrypt = (block: Buffer) => publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, block);

function block(build: (em: Buffer) => void): Buffer {
  const em = Buffer.alloc(256);
  for (let i = 2; i < 256; i++) em[i] = 1 + (randomBytes(1)[0] % 255);
  em[0] = 0x00;
  em[1] = 0x02;
  build(em);
  return em;
}

describe('rsaPkcs1v15Decrypt', () => {
  it('decrypts what node-forge encrypts (88-character keys, and edge lengths)', () => {
    for (const length of [88, 1, 0, 245]) {
      const message = Buffer.from(randomBytes(length).toString('base64').slice(0, length), 'latin1');
      expect(rsaPkcs1v15Decrypt(privateKey, forgeEncrypt(message))).toEqual(message);
    }
  });

  it('agrees with node-forge on ciphertexts from OpenSSL', () => {
    for (let i = 0; i < 3; i++) {
      const message = randomBytes(88);
      const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, message);
      expect(rsaPkcs1v15Decrypt(privateKey, ciphertext)).toEqual(forgeDecrypt(ciphertext));
    }
  });

  it('rejects malformed paddings that node-forge also rejects', () => {
    const malformed = {
      'block type 1': block((em) => { em[1] = 0x01; em[200] = 0; }),
      'block type 0': block((em) => { em[1] = 0x00; em[200] = 0; }),
      'no separator': block(() => {}),
      'only 7 padding bytes': block((em) => { em[9] = 0; }),
      'separator right after the type': block((em) => { em[2] = 0; }),
    };
    for (const [name, em] of Object.entries(malformed)) {
      const ciphertext = rawEncrypt(em);
      expect(() => forgeDecrypt(ciphertext), name).toThrow();
      expect(() => rsaPkcs1v15Decrypt(privateKey, ciphertext), name).toThrow(RsaUnwrapError);
    }
  });

  it('accepts exactly 8 padding bytes, like node-forge', () => {
    const ciphertext = rawEncrypt(block((em) => { em[10] = 0; }));
    expect(rsaPkcs1v15Decrypt(privateKey, ciphertext)).toEqual(forgeDecrypt(ciphertext));
    expect(rsaPkcs1v15Decrypt(privateKey, ciphertext).length).toBe(256 - 11);
  });

  it('rejects ciphertexts of the wrong length or beyond the modulus', () => {
    const good = forgeEncrypt(Buffer.from('x'));
    expect(() => rsaPkcs1v15Decrypt(privateKey, good.subarray(1))).toThrow(/length/);
    expect(() => rsaPkcs1v15Decrypt(privateKey, Buffer.concat([good, Buffer.alloc(1)]))).toThrow(/length/);
    expect(() => rsaPkcs1v15Decrypt(privateKey, Buffer.alloc(256, 0xff))).toThrow(RsaUnwrapError);
  });

  it('a different key of the same size does not open it', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() => rsaPkcs1v15Decrypt(other, forgeEncrypt(randomBytes(88)))).toThrow(RsaUnwrapError);
  });

  it('stripPkcs1Type2 checks the first byte too', () => {
    const em = block((b) => { b[100] = 0; });
    expect(stripPkcs1Type2(em, 256).length).toBe(155);
    em[0] = 0x01;
    expect(() => stripPkcs1Type2(em, 256)).toThrow(RsaUnwrapError);
  });
});
