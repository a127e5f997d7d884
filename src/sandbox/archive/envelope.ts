import { constants, createHash, publicEncrypt, type KeyObject } from 'node:crypto';
import { MARKERS, standinEncrypt } from './cipher.ts';
import type { ArchiveKeyPair } from './keys.ts';
import type { MessageFault } from './faults.ts';
import type { GeneratedMessage } from './generator.ts';

/**
 * A message as GetChatData hands it out (archive-sdk.md §2.1): a random key per message wrapped with
 * RSA-2048 PKCS#1 v1.5 under the company's public key of the version current when it was sent, and
 * the body under the stand-in scheme (docs/standin-sdk.md) with the marker that tells the stand-in
 * library whether to decrypt it or to misbehave.
 */

export interface ChatDataItem {
  seq: number;
  msgid: string;
  publickey_ver: number;
  encrypt_random_key: string;
  encrypt_chat_msg: string;
}

/** A key version takes over at `from` (UTC ms); the first applies from the beginning. */
export interface KeyRotation {
  version: number;
  from: number;
}

export function keyVersionAt(rotations: readonly KeyRotation[], msgtime: number): number {
  let version = rotations[0].version;
  for (const rotation of rotations) if (msgtime >= rotation.from) version = rotation.version;
  return version;
}

/** The per-message key: 88 printable characters, as production keys are (§2.2), derived from (seed, index). */
export function messageKey(seed: number, index: number): string {
  return createHash('sha512').update(`wecom-archive-sandbox-key:${seed}:${index}`).digest('base64');
}

function markerFor(fault: MessageFault | undefined): string {
  if (!fault) return MARKERS.body;
  if (fault.kind === 'crash') return MARKERS.crash;
  if (fault.kind === 'hang') return MARKERS.hang;
  return `${MARKERS.returnCode}${String(fault.code).padStart(5, '0')}`;
}

/**
 * RSA-PKCS#1 v1.5 encryption (RFC 8017 §7.2.1) with padding bytes derived from (seed, index) instead
 * of random ones: the same message gets the same envelope on every pull and in every run, as WeCom
 * serves the envelope it stored, so a re-pull and an uninterrupted run hash-chain identically.
 */
function wrapKey(publicKey: KeyObject, seed: number, index: number, key: Buffer): Buffer {
  const size = (publicKey.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
  const padding: number[] = [];
  for (let round = 0; padding.length < size - 3 - key.length; round++) {
    const bytes = createHash('sha256').update(`wecom-archive-sandbox-pad:${seed}:${index}:${round}`).digest();
    for (const byte of bytes) if (byte !== 0 && padding.length < size - 3 - key.length) padding.push(byte);
  }
  const block = Buffer.concat([Buffer.from([0x00, 0x02]), Buffer.from(padding), Buffer.from([0x00]), key]);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, block);
}

export function sealMessage(
  message: GeneratedMessage,
  seed: number,
  keys: ReadonlyMap<number, ArchiveKeyPair>,
  rotations: readonly KeyRotation[],
  fault?: MessageFault,
): ChatDataItem {
  const version = keyVersionAt(rotations, message.msgtime);
  const pair = keys.get(version);
  if (!pair) throw new Error(`no archive key of version ${version}`);
  const key = messageKey(seed, message.index);
  const wrapped = wrapKey(pair.publicKey, seed, message.index, Buffer.from(key, 'latin1'));
  return {
    seq: message.seq,
    msgid: message.msgid,
    publickey_ver: version,
    encrypt_random_key: wrapped.toString('base64'),
    encrypt_chat_msg: standinEncrypt(key, markerFor(fault), message.plaintext),
  };
}
