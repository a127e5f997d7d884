import { describe, expect, it } from 'vitest';
import { applyKeystream, fnv1a32, standinDecrypt, standinEncrypt } from './cipher.ts';

// Vectors computed independently of this code (by hand-following docs/standin-sdk.md in Python):
// FNV-1a-32 of "a" is the published test vector 0xe40c292c; "key" hashes to 0x6815c86c, and the first
// two xorshift32 steps from it give the words 0xf21c3ce0 and 0xc580c220, written little-endian.
describe('stand-in cipher', () => {
  it('hashes with FNV-1a-32', () => {
    expect(fnv1a32(Buffer.from(''))).toBe(0x811c9dc5);
    expect(fnv1a32(Buffer.from('a'))).toBe(0xe40c292c);
    expect(fnv1a32(Buffer.from('key'))).toBe(0x6815c86c);
  });

  it('produces the xorshift32 keystream little-endian, 4 bytes per step', () => {
    expect(Buffer.from(applyKeystream('key', new Uint8Array(8))).toString('hex')).toBe('e03c1cf220c280c5');
    // A partial last word uses only its first bytes.
    expect(Buffer.from(applyKeystream('key', new Uint8Array(6))).toString('hex')).toBe('e03c1cf220c2');
  });

  it('encrypts marker + JSON to the known ciphertext and back', () => {
    expect(standinEncrypt('key', 'WWSB', '{"a":1}')).toBe('t2tPsFvg4ee4BSw=');
    const { marker, body } = standinDecrypt('key', 't2tPsFvg4ee4BSw=');
    expect(marker).toBe('WWSB');
    expect(body.toString()).toBe('{"a":1}');
  });

  it('round-trips UTF-8 text of any length, and a wrong key yields no marker', () => {
    const key = 'k'.repeat(88);
    for (const json of ['', '{}', '{"text":{"content":"你好，世界 🌏"}}', 'x'.repeat(1001)]) {
      const decrypted = standinDecrypt(key, standinEncrypt(key, 'WWSE', json));
      expect(decrypted.marker).toBe('WWSE');
      expect(decrypted.body.toString('utf8')).toBe(json);
    }
    expect(standinDecrypt('other', standinEncrypt(key, 'WWSB', '{}')).marker).not.toBe('WWSB');
  });
});
