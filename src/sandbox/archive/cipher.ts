/**
 * The stand-in SDK's symmetric scheme (docs/standin-sdk.md, "DecryptData"), implemented once on the
 * sandbox side. Tencent's real scheme is secret (archive-sdk.md §2.4); this one only has to be
 * something the C library and the sandbox agree on, with a marker so faults can ride inside a message.
 */

/** What the first four bytes of the plaintext tell the stand-in library to do. */
export const MARKERS = { body: 'WWSB', crash: 'WWSC', hang: 'WWSH', returnCode: 'WWSE' } as const;

/** FNV-1a, 32 bit (offset basis 2166136261, prime 16777619). */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = 2166136261;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash >>> 0;
}

/** XORs `data` in place with the xorshift32 keystream seeded by FNV-1a-32 of the key. */
export function applyKeystream(encryptKey: string, data: Uint8Array): Uint8Array {
  let x = fnv1a32(Buffer.from(encryptKey, 'latin1')) || 1;
  for (let offset = 0; offset < data.length; offset += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const end = Math.min(offset + 4, data.length);
    for (let k = offset; k < end; k++) data[k] ^= (x >>> (8 * (k - offset))) & 0xff;
  }
  return data;
}

/** `encrypt_chat_msg`: base64(keystream XOR (marker + message JSON)). */
export function standinEncrypt(encryptKey: string, marker: string, json: string): string {
  const plain = Buffer.concat([Buffer.from(marker, 'latin1'), Buffer.from(json, 'utf8')]);
  return Buffer.from(applyKeystream(encryptKey, plain)).toString('base64');
}

/** The inverse, for tests and tools: the marker and what follows it. */
export function standinDecrypt(encryptKey: string, encryptChatMsg: string): { marker: string; body: Buffer } {
  const plain = Buffer.from(applyKeystream(encryptKey, Buffer.from(encryptChatMsg, 'base64')));
  return { marker: plain.subarray(0, 4).toString('latin1'), body: plain.subarray(4) };
}
