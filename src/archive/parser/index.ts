import { parseJson } from '../../wecom/json.ts';
import { msgTypeSpec, type MsgTypeSpec } from '../msgtypes.ts';
import { extractPayload, genericMedia, genericText, type MediaRef } from './extract.ts';
import { repairJson, type JsonValue } from './json.ts';
import { conversationId, party, systemConversationId, type Party } from './parties.ts';
import { cleanText, isObject, readNumber, readString, readStringList, type JsonObject } from './values.ts';

export type { MediaRef } from './extract.ts';
export { parseJsonLossless, repairJson, type JsonValue } from './json.ts';
export {
  conversationId, partyKind, SYSTEM_CONVERSATION_PATTERN, systemConversationId, systemConversationUser, type Party, type PartyKind,
} from './parties.ts';

/**
 * One decrypted archive message (archive-sdk.md §4) → one normalized record, shaped for the messages
 * and message_media tables. Nothing is ever dropped: a type we do not know, or a payload we cannot
 * read, still yields a record with its raw JSON and a `parse` flag saying what went wrong.
 */

/**
 * ok: a documented type, read fully. undocumented: a type WeCom lists without a layout (text found
 * by a generic walk). unknown: not in msgtypes.ts. malformed: not JSON, or a part of it unreadable.
 */
export type ParseStatus = 'ok' | 'undocumented' | 'unknown' | 'malformed';

export interface Consent {
  kind: 'agree' | 'disagree';
  /** external_userid of the customer who decided. */
  userid: string;
  /** UTC ms. */
  time: number | null;
}

export interface ParsedMessage {
  msgid: string;
  /** The envelope's seq (uint64). */
  seq: bigint;
  /** send, recall or switch (as sent). */
  action: string;
  /** `switch` for switch entries, which carry no msgtype. */
  msgtype: string;
  /** UTC ms (`time` for switch entries). */
  msgtime: number | null;
  /** Null for 1:1 chats and switch entries. */
  roomid: string | null;
  /** parties.ts: the roomid, the chat's participants, or for a switch its member's system conversation. */
  conversationId: string | null;
  sender: Party | null;
  receivers: Party[];
  /** What the message is found by: content, titles, file names, nested items. */
  text: string;
  media: MediaRef[];
  /** revoke: the msgid recalled. */
  recalls: string | null;
  consent: Consent | null;
  parse: ParseStatus;
  /** Control characters were escaped or dropped to make the JSON valid. */
  repaired: boolean;
  /** The decrypted JSON, valid JSON unless parse is 'malformed'; big integers kept as written. */
  raw: string;
}

export interface EnvelopeInfo {
  seq: bigint | number | string;
  /** The envelope's msgid: used when the decrypted JSON has none (or is unreadable). */
  msgid?: string;
}

export function parseMessage(plaintext: string, envelope: EnvelopeInfo): ParsedMessage {
  const { text: raw, repaired } = repairJson(plaintext);
  const base = emptyRecord(raw, repaired, envelope);
  let message: JsonValue;
  try {
    // parseJsonLossless without its own repairJson: `raw` is repaired already (repairing is idempotent).
    message = parseJson(raw);
  } catch {
    return base;
  }
  if (!isObject(message)) return base;
  return readMessage(message, base);
}

function emptyRecord(raw: string, repaired: boolean, envelope: EnvelopeInfo): ParsedMessage {
  return {
    msgid: envelope.msgid ?? '',
    seq: BigInt(envelope.seq),
    action: '',
    msgtype: '',
    msgtime: null,
    roomid: null,
    conversationId: null,
    sender: null,
    receivers: [],
    text: '',
    media: [],
    recalls: null,
    consent: null,
    parse: 'malformed',
    repaired,
    raw,
  };
}

function readMessage(message: JsonObject, base: ParsedMessage): ParsedMessage {
  const action = readString(message.action) ?? '';
  const record: ParsedMessage = { ...base, msgid: readString(message.msgid) || base.msgid, action };
  if (action === 'switch') return readSwitch(message, record);

  const from = readString(message.from);
  const tolist = readStringList(message.tolist);
  const roomid = readString(message.roomid) || null;
  record.msgtype = readString(message.msgtype) ?? '';
  record.msgtime = readNumber(message.msgtime);
  record.roomid = roomid;
  record.conversationId = conversationId(roomid, from, tolist);
  record.sender = from ? party(from) : null;
  record.receivers = tolist.map(party);

  const spec = msgTypeSpec(record.msgtype);
  if (!spec || spec.payloadKey === null) return readUnknown(message, record);
  const payload = payloadOf(spec, message);
  if (!isObject(payload)) return { ...record, parse: 'malformed' };

  const extracted = extractPayload(spec, payload);
  record.text = extracted.text.join('\n');
  record.media = extracted.media;
  record.recalls = spec.name === 'revoke' ? readString(payload.pre_msgid) : null;
  record.consent = consentOf(spec.name, payload);
  record.parse = extracted.malformed ? 'malformed' : spec.documented ? 'ok' : 'undocumented';
  return record;
}

/**
 * `{msgid, action:"switch", time, user}`: no msgtype, from or tolist (§4.1). It is kept in the
 * member's system conversation and found by the event's name (both languages) and the member's id.
 */
function readSwitch(message: JsonObject, record: ParsedMessage): ParsedMessage {
  const user = readString(message.user) || null;
  const label = msgTypeSpec('switch')!.label;
  return {
    ...record,
    msgtype: 'switch',
    msgtime: readNumber(message.time ?? message.msgtime),
    conversationId: user ? systemConversationId(user) : null,
    sender: user ? party(user) : null,
    text: [label.zh, label.en, user].filter(Boolean).join('\n'),
    parse: 'ok',
  };
}

/** vote: under `vote` (fudiwei) or at the top level (silenceper); both are documented shapes. */
function payloadOf(spec: MsgTypeSpec, message: JsonObject): unknown {
  const nested = message[spec.payloadKey!];
  if (nested !== undefined || !spec.alsoTopLevel) return nested;
  return message;
}

function consentOf(name: string, payload: JsonObject): Consent | null {
  if (name !== 'agree' && name !== 'disagree') return null;
  const userid = readString(payload.userid) ?? '';
  return { kind: name, userid, time: readNumber(payload[`${name}_time`] ?? payload.agree_time) };
}

/** A type not in the table: text and files found by walking whatever it carries besides the envelope fields. */
function readUnknown(message: JsonObject, record: ParsedMessage): ParsedMessage {
  const { msgid: _m, action: _a, from: _f, tolist: _t, roomid: _r, msgtime: _mt, msgtype: _ty, ...rest } = message;
  const text: string[] = [];
  genericText(rest, text, 0);
  const media: MediaRef[] = [];
  genericMedia(record.msgtype || 'unknown', rest, '', media, 0);
  return { ...record, text: text.map(cleanText).join('\n'), media, parse: 'unknown' };
}
