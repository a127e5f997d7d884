import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CallbackError } from './errors.ts';

/**
 * WeCom's callback crypto (WXBizMsgCrypt), written from wecom-api.md §5.2:
 *   signature = hex(sha1(sort([token, timestamp, nonce, encrypted]).join('')))
 *   key       = base64(EncodingAESKey + '='), 32 bytes; IV = key[0..16)
 *   plaintext = random(16) ‖ uint32be(len(msg)) ‖ msg ‖ receiveId, PKCS#7-padded to 32-byte blocks
 *   wire      = base64(AES-256-CBC(plaintext)), with the cipher's own padding off.
 * Every failure is a `CallbackError` with a reason; nothing here throws anything else for any input.
 */

/** The block size WeCom pads to: 32, not AES's 16 (vector B's pad of 30 proves it). */
const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;

/** What one callback URL is configured with (the admin console's Token and EncodingAESKey). */
export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  /** corpid for corp callbacks (app, contacts, customer, archive), suite_id for a suite, '' for a personal-entity app. */
  receiveId: string;
}

/** The parsed key, made once per configuration rather than per request. */
export interface CallbackKey {
  readonly key: Buffer;
  readonly iv: Buffer;
}

/** Strict Base64: Node's decoder skips bad characters silently, so a forged body could pass as another. */
// One character class and no nested repetition, so the check is linear on any input.
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (text: string): boolean => text.length % 4 === 0 && BASE64_CHARS.test(text);

export function parseKey(encodingAesKey: string): CallbackKey {
  if (typeof encodingAesKey !== 'string' || encodingAesKey.length !== 43 || !isBase64(`${encodingAesKey}=`)) {
    throw new CallbackError('bad_key');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new CallbackError('bad_key');
  return { key, iv: key.subarray(0, 16) };
}

/** The hex SHA-1 WeCom signs with. Sorting is by UTF-16 code unit, which is byte order for the ASCII WeCom sends. */
export function computeSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  const parts = [token, timestamp, nonce, encrypted].sort();
  return createHash('sha1').update(parts.join(''), 'utf8').digest('hex');
}

/** Throws `bad_signature` unless `signature` is the one the token makes; constant time in the signature. */
export function verifySignature(token: string, signature: string, timestamp: string, nonce: string, encrypted: string): void {
  const expected = Buffer.from(computeSignature(token, timestamp, nonce, encrypted), 'utf8');
  const given = Buffer.from(typeof signature === 'string' ? signature : '', 'utf8');
  // timingSafeEqual needs equal lengths; a wrong length says nothing about the expected value.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CallbackError('bad_signature');
}

export function pad(data: Buffer): Buffer {
  const count = PAD_BLOCK - (data.length % PAD_BLOCK); // 1..32: an aligned input gets a whole block
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

/** Strips PKCS#7 with a 32-byte block, checking every pad byte (a lax unpad accepts corrupted input). */
export function unpad(data: Buffer): Buffer {
  const count = data.length > 0 ? data[data.length - 1]! : 0;
  if (count < 1 || count > PAD_BLOCK || count > data.length) throw new CallbackError('bad_padding');
  let bad = 0;
  for (let i = data.length - count; i < data.length; i++) bad |= data[i]! ^ count;
  if (bad !== 0) throw new CallbackError('bad_padding');
  return data.subarray(0, data.length - count);
}

/** Where the 16 random bytes come from: injected in tests so the vectors reproduce bit-exactly. */
export type RandomSource = () => Buffer;
const defaultRandom: RandomSource = () => randomBytes(RANDOM_BYTES);

export function encryptMessage(key: CallbackKey, message: string, receiveId: string, random: RandomSource = defaultRandom): string {
  const prefix = random();
  if (prefix.length !== RANDOM_BYTES) throw new RangeError(`the random source must give ${RANDOM_BYTES} bytes`);
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(body.length, 0);
  const plain = pad(Buffer.concat([prefix, length, body, Buffer.from(receiveId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key.key, key.iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What a ciphertext holds: the message, and the receive id it was sealed for (already checked). */
export interface Opened {
  message: string;
  receiveId: string;
}

/**
 * Decrypts and checks the layout and the receive id. Call it only after `verifySignature`: the
 * signature is what keeps an attacker from using the padding check as an oracle.
 */
export function decryptMessage(key: CallbackKey, encrypted: string, receiveId: string): Opened {
  if (typeof encrypted !== 'string' || encrypted.length === 0 || !isBase64(encrypted)) throw new CallbackError('bad_base64');
  const data = Buffer.from(encrypted, 'base64');
  // Whole 32-byte blocks only: WeCom never sends anything else, and AES needs 16 at least.
  if (data.length === 0 || data.length % PAD_BLOCK !== 0) throw new CallbackError('bad_ciphertext', { size: data.length });
  const decipher = createDecipheriv('aes-256-cbc', key.key, key.iv).setAutoPadding(false);
  const plain = unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  if (plain.length < RANDOM_BYTES + LENGTH_BYTES) throw new CallbackError('bad_length');
  const length = plain.readUInt32BE(RANDOM_BYTES);
  const start = RANDOM_BYTES + LENGTH_BYTES;
  if (length > plain.length - start) throw new CallbackError('bad_length');
  const message = decodeUtf8(plain.subarray(start, start + length));
  const trailer = plain.subarray(start + length);
  if (!trailer.equals(Buffer.from(receiveId, 'utf8'))) throw new CallbackError('wrong_receive_id', { expected: receiveId });
  return { message, receiveId };
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new CallbackError('bad_encoding');
  }
}

/** The GET query WeCom sends to verify the URL (echostr already URL-decoded by the HTTP layer). */
export interface UrlVerification {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
}

/**
 * One configured callback URL: its token, key and receive id, bound once. `verifyUrl` answers the
 * GET check with the plain echostr, to be sent as-is (no quotes, BOM or newline, §5.1).
 */
export class MsgCrypt {
  readonly receiveId: string;
  private readonly token: string;
  private readonly key: CallbackKey;

  constructor(secrets: CallbackSecrets) {
    // The token is the signature's only secret: without one anybody could sign a callback.
    if (typeof secrets.token !== 'string' || secrets.token.length === 0) throw new CallbackError('bad_token');
    this.key = parseKey(secrets.encodingAesKey);
    this.token = secrets.token;
    this.receiveId = secrets.receiveId;
  }

  signature(timestamp: string, nonce: string, encrypted: string): string {
    return computeSignature(this.token, timestamp, nonce, encrypted);
  }

  verify(signature: string, timestamp: string, nonce: string, encrypted: string): void {
    verifySignature(this.token, signature, timestamp, nonce, encrypted);
  }

  encrypt(message: string, random?: RandomSource): string {
    return encryptMessage(this.key, message, this.receiveId, random);
  }

  decrypt(encrypted: string): string {
    return decryptMessage(this.key, encrypted, this.receiveId).message;
  }

  verifyUrl(query: UrlVerification): string {
    const { msg_signature: signature, timestamp, nonce, echostr } = requireParams(query, ['msg_signature', 'timestamp', 'nonce', 'echostr']);
    this.verify(signature, timestamp, nonce, echostr);
    return this.decrypt(echostr);
  }
}

/** The named query parameters as strings, or `missing_param` naming the first one absent. */
export function requireParams<K extends string>(query: Partial<Record<K, unknown>>, names: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = query?.[name];
    if (typeof value !== 'string' || value.length === 0) throw new CallbackError('missing_param', { param: name });
    out[name] = value;
  }
  return out;
}
