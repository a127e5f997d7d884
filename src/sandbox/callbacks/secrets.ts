import { createHash } from 'node:crypto';
import type { CallbackKind } from '../../wecom/callback/events.ts';
import { MsgCrypt } from '../../wecom/callback/crypto.ts';
import { BASE62, hashString, rngFor, STREAM } from '../random.ts';
import { CALLBACK_KINDS } from './options.ts';

/**
 * The Token and EncodingAESKey of each callback URL the sandbox posts to, as an admin would set them
 * in the console: derived from the seed and the corp, so the same sandbox always signs and encrypts
 * with the same keys and `--config-out` can hand them to the receiver.
 */


export interface CallbackKeyPair {
  /** WeCom's console takes up to 32 letters and digits. */
  token: string;
  /** 43 characters: base64 of 32 bytes without its `=`. */
  encodingAesKey: string;
}

export function callbackSecretsFor(seed: number, corpId: string, kind: CallbackKind): CallbackKeyPair {
  const stream = hashString(`${corpId}/${kind}`);
  const token = rngFor(seed, STREAM.callbacks, stream, 1).chars(BASE62, 32);
  const key = createHash('sha256').update(`wecom-archive sandbox callback key\u0000${seed}\u0000${corpId}\u0000${kind}`).digest();
  return { token, encodingAesKey: key.toString('base64').replace(/=$/, '') };
}

export function callbackSecretsOf(seed: number, corpId: string): Record<CallbackKind, CallbackKeyPair> {
  return Object.fromEntries(CALLBACK_KINDS.map((kind) => [kind, callbackSecretsFor(seed, corpId, kind)])) as Record<CallbackKind, CallbackKeyPair>;
}

/** The crypt a receiver configured with these keys would use (receive id = corp id). */
export function callbackCrypt(seed: number, corpId: string, kind: CallbackKind): MsgCrypt {
  return new MsgCrypt({ ...callbackSecretsFor(seed, corpId, kind), receiveId: corpId });
}
