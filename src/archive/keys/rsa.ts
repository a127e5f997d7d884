import { constants, privateDecrypt, type KeyObject } from 'node:crypto';

/**
 * RSA PKCS#1 v1.5 decryption of `encrypt_random_key` (archive-sdk.md §2.2-2.3). Node 20 refuses
 * RSA_PKCS1_PADDING for private decryption (CVE-2023-46809) and the revert flag is not acceptable for a
 * product, so the raw RSA operation runs with RSA_NO_PADDING at full OpenSSL speed and the type-2
 * padding is checked and stripped here.
 *
 * The Marvin attack needs an oracle that tells padding failures apart for ciphertexts an attacker
 * chooses; here the ciphertexts come only from WeCom through the SDK pull, and nothing exposes this
 * function to caller-supplied input. Keep it that way.
 */

/** Never carries key material, ciphertext or plaintext: only which rule failed. */
export class RsaUnwrapError extends Error {
  constructor(readonly reason: 'length' | 'rsa' | 'padding') {
    super(`RSA PKCS#1 v1.5 decryption failed (${reason})`);
    this.name = 'RsaUnwrapError';
  }
}

const MIN_PADDING = 8;

export function rsaPkcs1v15Decrypt(key: KeyObject, ciphertext: Buffer): Buffer {
  const size = (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (!size || ciphertext.length !== size) throw new RsaUnwrapError('length');
  let block: Buffer;
  try {
    block = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
  } catch {
    // e.g. a ciphertext numerically larger than the modulus
    throw new RsaUnwrapError('rsa');
  }
  return stripPkcs1Type2(block, size);
}

/** EM = 0x00 || 0x02 || PS (≥ 8 non-zero bytes) || 0x00 || M (RFC 8017 §7.2.2); anything else is rejected. */
export function stripPkcs1Type2(block: Buffer, size: number): Buffer {
  if (block.length !== size || block[0] !== 0x00 || block[1] !== 0x02) throw new RsaUnwrapError('padding');
  const separator = block.indexOf(0x00, 2);
  if (separator < 2 + MIN_PADDING) throw new RsaUnwrapError('padding');
  return block.subarray(separator + 1);
}
