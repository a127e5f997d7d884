import type { MsgCrypt, RandomSource } from './crypto.ts';
import { requireParams } from './crypto.ts';
import { CallbackError } from './errors.ts';
import { checkTimestamp, type NonceBook } from './replay.ts';
import { cdata, isObject, parseXmlRoot, type XmlObject } from './xml.ts';

/**
 * The encrypted envelopes of wecom-api.md §5.3: the POST body (XML or JSON) that carries `Encrypt`,
 * and the signed, encrypted reply. Pure functions on the raw body; the HTTP route (next) only
 * collects the query and the bytes and maps `CallbackError.reason` to a status.
 */

/** WeCom's envelopes are a few KB; anything near this is not WeCom. Configurable per route. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export type EnvelopeFormat = 'xml' | 'json';

export interface Envelope {
  format: EnvelopeFormat;
  /** corpid (or suite id) in clear: a cheap routing hint, not trusted until decryption confirms it. */
  toUserName?: string;
  encrypt: string;
  /** Absent or empty for system callbacks (通讯录同步, 客户联系, 会话存档). */
  agentId?: string;
}

export interface EnvelopeLimits {
  maxBytes?: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Size first (before any decoding or parsing), then the format by its first character. */
export function parseEnvelope(body: string | Uint8Array, limits: EnvelopeLimits = {}): Envelope {
  const limit = limits.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const size = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body?.byteLength;
  if (typeof size !== 'number') throw new CallbackError('bad_envelope', { detail: 'no body' });
  if (size > limit) throw new CallbackError('too_large', { size, limit });
  const text = (typeof body === 'string' ? body : decode(body)).replace(/^\uFEFF/, '').trim();
  if (text.startsWith('<')) return fromXml(parseXmlRoot(text));
  if (text.startsWith('{')) return fromJson(text);
  throw new CallbackError('bad_envelope', { detail: 'neither XML nor JSON' });
}

function decode(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new CallbackError('bad_envelope', { detail: 'not UTF-8' });
  }
}

function fromXml(root: XmlObject): Envelope {
  return {
    format: 'xml',
    toUserName: optionalText(root.ToUserName, 'ToUserName'),
    encrypt: requiredText(root.Encrypt, 'Encrypt'),
    agentId: optionalText(root.AgentID, 'AgentID') || undefined,
  };
}

function fromJson(text: string): Envelope {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new CallbackError('bad_json');
  }
  if (!isObject(doc)) throw new CallbackError('bad_envelope', { detail: 'not a JSON object' });
  const agent = (doc as Record<string, unknown>).agentid;
  // JSON mode sends agentid as a string in the samples; a number is accepted and kept as text.
  const agentId = typeof agent === 'number' && Number.isSafeInteger(agent) ? String(agent) : optionalText(agent, 'agentid');
  return {
    format: 'json',
    toUserName: optionalText((doc as Record<string, unknown>).tousername, 'tousername'),
    encrypt: requiredText((doc as Record<string, unknown>).encrypt, 'encrypt'),
    agentId: agentId || undefined,
  };
}

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new CallbackError('bad_envelope', { detail: `${name} is not text` });
  return value;
}

function requiredText(value: unknown, name: string): string {
  const text = optionalText(value, name);
  if (!text) throw new CallbackError('bad_envelope', { detail: `${name} is missing` });
  return text;
}

/** The POST query: what the signature covers besides the body's `Encrypt`. */
export interface CallbackQuery {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
}

export interface OpenOptions extends EnvelopeLimits {
  /** Now, in ms since the epoch (injected: tests and the route pass their clock). */
  now: number;
  windowSeconds?: number;
  /** Replay memory; omitted, only the timestamp window is checked. */
  nonces?: NonceBook;
}

export interface OpenedCallback {
  envelope: Envelope;
  /** The decrypted message: event XML (or JSON in JSON mode), exactly as WeCom sealed it. */
  message: string;
  timestamp: number;
  nonce: string;
}

/**
 * A POST callback from query and raw body to plaintext, cheapest check first: parameters, size and
 * envelope, signature, timestamp, decryption with the receive id, and the nonce last, so only an
 * authentic request is ever recorded in the nonce book.
 */
export function openCallback(crypt: MsgCrypt, query: CallbackQuery, body: string | Uint8Array, options: OpenOptions): OpenedCallback {
  const params = requireParams(query, ['msg_signature', 'timestamp', 'nonce']);
  const envelope = parseEnvelope(body, options);
  crypt.verify(params.msg_signature, params.timestamp, params.nonce, envelope.encrypt);
  const timestamp = checkTimestamp(params.timestamp, options.now, options.windowSeconds);
  const message = crypt.decrypt(envelope.encrypt);
  if (options.nonces?.seen(params.nonce, timestamp)) throw new CallbackError('replayed_nonce');
  return { envelope, message, timestamp, nonce: params.nonce };
}

export interface SealOptions {
  timestamp: string;
  nonce: string;
  format?: EnvelopeFormat;
  random?: RandomSource;
}

/** The encrypted passive reply (§5.3). Event callbacks need none; kept for message replies and tests. */
export function sealReply(crypt: MsgCrypt, message: string, options: SealOptions): string {
  // Our own input, but a non-numeric timestamp would make a reply WeCom cannot verify: fail loudly.
  if (!/^\d+$/.test(options.timestamp)) throw new RangeError('the reply timestamp must be seconds since the epoch');
  const encrypt = crypt.encrypt(message, options.random);
  const signature = crypt.signature(options.timestamp, options.nonce, encrypt);
  if (options.format === 'json') {
    // timestamp is a number in WeCom's JSON reply; digits only, so Number() is exact.
    return JSON.stringify({ encrypt, msgsignature: signature, timestamp: Number(options.timestamp), nonce: options.nonce });
  }
  return `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>`
    + `<TimeStamp>${options.timestamp}</TimeStamp><Nonce>${cdata(options.nonce)}</Nonce></xml>`;
}

/**
 * A callback request as WeCom would send it: the test helper for routes and the sandbox (Stripe's
 * `generateTestHeaderString` lesson), built with the same functions that check it.
 */
export function sealRequest(
  crypt: MsgCrypt,
  message: string,
  options: SealOptions & { agentId?: string },
): { query: Required<CallbackQuery>; body: string } {
  const encrypt = crypt.encrypt(message, options.random);
  const query = { msg_signature: crypt.signature(options.timestamp, options.nonce, encrypt), timestamp: options.timestamp, nonce: options.nonce };
  const body = options.format === 'json'
    ? JSON.stringify({ tousername: crypt.receiveId, encrypt, agentid: options.agentId ?? '' })
    : `<xml><ToUserName>${cdata(crypt.receiveId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt><AgentID>${cdata(options.agentId ?? '')}</AgentID></xml>`;
  return { query, body };
}
