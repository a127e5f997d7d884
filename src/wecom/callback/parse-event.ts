import { createHash } from 'node:crypto';
import { CallbackError } from './errors.ts';
import { CALLBACK_EVENTS, eventKindOf, type EventFields, type EventKind, type EventSpec, type ExtAttrItem, type FieldType, type FieldValue } from './events.ts';
import { isObject, parseXmlRoot, type XmlObject, type XmlValue } from './xml.ts';

/**
 * Decrypted callback XML → a typed event, in two steps (style-anchors G.21): the common header, then
 * the fields the catalogue lists for (Event, ChangeType). Nothing is ever dropped: an event the
 * catalogue does not know, a plain message, or a known event with a field that does not convert
 * becomes `{ kind: 'unknown', raw }` with the reason, and the inbox keeps it like any other.
 */

export interface EventHeader {
  toUserName: string;
  fromUserName: string;
  /** Seconds since the epoch. */
  createTime: number;
  msgType: string;
  event: string;
  changeType?: string;
  agentId?: string;
}

export type KnownEvent = {
  [K in EventKind]: { kind: K; header: EventHeader; fields: EventFields<K>; raw: XmlObject };
}[EventKind];

export interface UnknownEvent {
  kind: 'unknown';
  /** Whatever of the header could be read. */
  header: Partial<EventHeader>;
  /** The parsed XML, or the plaintext itself when it is not XML (JSON mode). */
  raw: XmlObject | string;
  why: string;
}

export type CallbackEvent = KnownEvent | UnknownEvent;

/** Never throws on content: only a `CallbackError` for XML that must not be parsed at all (DOCTYPE). */
export function parseEvent(plaintext: string): CallbackEvent {
  if (!plaintext.trimStart().startsWith('<')) return { kind: 'unknown', header: {}, raw: plaintext, why: 'not XML' };
  let root: XmlObject;
  try {
    root = parseXmlRoot(plaintext);
  } catch (err) {
    if (err instanceof CallbackError && err.reason === 'forbidden_dtd') throw err;
    return { kind: 'unknown', header: {}, raw: plaintext, why: err instanceof Error ? err.message : 'unparseable' };
  }
  const header = readHeader(root);
  const kind = header.event !== undefined ? eventKindOf(header.event, header.changeType) : undefined;
  if (!kind) return unknown(root, header, header.msgType === 'event' ? 'event not in the catalogue' : `message (${header.msgType || 'no MsgType'})`);
  if (header.createTime === undefined) return unknown(root, header, 'CreateTime missing or not a number');
  const spec: EventSpec = CALLBACK_EVENTS[kind];
  const fields: Record<string, FieldValue[FieldType]> = {};
  for (const [name, type] of Object.entries(spec.fields)) {
    if (!Object.hasOwn(root, name)) continue;
    const value = convert(type, root[name]!);
    if (value === undefined) return unknown(root, header, `${name} is not a valid ${type}`);
    fields[name] = value;
  }
  return { kind, header: header as EventHeader, fields, raw: root } as KnownEvent;
}

function unknown(raw: XmlObject, header: Partial<EventHeader>, why: string): UnknownEvent {
  return { kind: 'unknown', header, raw, why };
}

function readHeader(root: XmlObject): Partial<EventHeader> {
  const createTime = toInt(root.CreateTime);
  return {
    toUserName: text(root.ToUserName) ?? '',
    fromUserName: text(root.FromUserName) ?? '',
    createTime,
    msgType: text(root.MsgType) ?? '',
    event: text(root.Event),
    changeType: text(root.ChangeType) || undefined,
    agentId: text(root.AgentID) || undefined,
  };
}

function text(value: XmlValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function toInt(value: XmlValue | undefined): number | undefined {
  if (typeof value !== 'string' || !/^-?\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/** Comma-separated lists: "1,2,3"; empty → []. */
function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function convert(type: FieldType, value: XmlValue): FieldValue[FieldType] | undefined {
  switch (type) {
    case 'id':
    case 'text':
    case 'code':
      return text(value);
    case 'int':
      return value === '' ? undefined : toInt(value);
    case 'ids':
      return typeof value === 'string' ? splitList(value) : undefined;
    case 'ints': {
      if (typeof value !== 'string') return undefined;
      const numbers = splitList(value).map((item) => toInt(item));
      return numbers.every((n) => n !== undefined) ? (numbers as number[]) : undefined;
    }
    case 'items':
      return items(value);
    case 'extattr':
      return extAttr(value);
  }
}

/** MemChangeList: `<Item>id</Item>` children now, one comma-separated string in older pushes (§5.5). */
function items(value: XmlValue): string[] | undefined {
  if (typeof value === 'string') return splitList(value);
  if (!isObject(value)) return undefined;
  const list = value.Item === undefined ? [] : Array.isArray(value.Item) ? value.Item : [value.Item];
  return list.every((item) => typeof item === 'string') ? (list as string[]) : undefined;
}

function extAttr(value: XmlValue): ExtAttrItem[] | undefined {
  if (value === '') return [];
  if (!isObject(value)) return undefined;
  const list = value.Item === undefined ? [] : Array.isArray(value.Item) ? value.Item : [value.Item];
  const out: ExtAttrItem[] = [];
  for (const item of list) {
    if (!isObject(item) || typeof item.Name !== 'string') return undefined;
    const type = toInt(item.Type) ?? 0;
    const entry: ExtAttrItem = { name: item.Name, type };
    if (isObject(item.Text)) entry.text = text(item.Text.Value) ?? '';
    if (isObject(item.Web)) entry.web = { title: text(item.Web.Title) ?? '', url: text(item.Web.Url) ?? '' };
    out.push(entry);
  }
  return out;
}

/**
 * The inbox's natural key (wecom-api.md §5.1): messages by MsgId; events by ToUserName, FromUserName,
 * CreateTime, Event, ChangeType and the ids they carry, then a digest of every field, so WeCom's
 * retry of one event (the same plaintext) maps to one key while two changes of one record in the
 * same second (update_user with different fields) do not collapse into one. A JSON array, so no
 * separator can be forged by a value.
 */
export function dedupeKey(event: CallbackEvent): string {
  const raw = event.raw;
  if (typeof raw === 'string') return JSON.stringify(['raw', digest(raw)]);
  if (typeof raw.MsgId === 'string' && raw.MsgId !== '') return JSON.stringify(['msg', text(raw.ToUserName) ?? '', raw.MsgId]);
  const h = event.header;
  const head = [h.toUserName ?? '', h.fromUserName ?? '', h.createTime ?? null, h.event ?? '', h.changeType ?? ''];
  if (event.kind === 'unknown') return JSON.stringify(['unknown', ...head, digest(canonical(raw))]);
  const spec: EventSpec = CALLBACK_EVENTS[event.kind];
  const fields = event.fields as Record<string, unknown>;
  const ids = Object.entries(spec.fields).filter(([, type]) => type === 'id').map(([name]) => fields[name] ?? null);
  return JSON.stringify(['event', ...head, ...ids, digest(canonical(raw))]);
}

/** Key order does not matter to the digest; the order of repeated elements does. */
function canonical(value: XmlValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key]!)}`).join(',')}}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}
