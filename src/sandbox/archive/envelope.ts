import { constants, createHash, publicEncrypt } from 'node:crypto';
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
  const wrapped = publicEncrypt({ key: pair.publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(key, 'latin1'));
  return {
    seq: message.seq,
    msgid: message.msgid,
    publickey_ver: version,
    encrypt_random_key: wrapped.toString('base64'),
    encrypt_chat_msg: standinEncrypt(key, markerFor(fault), message.plaintext),
  };
}
