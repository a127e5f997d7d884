import type { MediaStatus } from '../../store/messages.table.ts';
import { msgTypeSpec, nestedItemSpec, SDKFILEID_FIELD, type MsgTypeSpec } from '../msgtypes.ts';
import { genericText } from '../parser/extract.ts';
import { parseJsonLossless } from '../parser/json.ts';
import { partyKind } from '../parser/parties.ts';
import { cleanText, isObject, readNumber, readString, valuesAt } from '../parser/values.ts';
import type { PartyName } from './names.ts';

/**
 * What a stored message says, for reading: its text, its file (with the download's state) and, for
 * chatrecord and mixed, its items, each read the same way. Driven by msgtypes.ts like the parser,
 * so a type added there shows here too. Paths (`item[2].item[0]`) are the parser's, which is how
 * message_media rows are keyed.
 */

export type MediaState = MediaStatus | 'not_queued';

export interface MediaView {
  /** image, voice, file, … */
  type: string;
  size: number | null;
  filename: string | null;
  status: MediaState;
}

/** voiptext (§4.2 `info`): the call's length and its `invitetype` (see render.ts for the kinds). */
export interface CallView {
  seconds: number | null;
  invitetype: number | null;
}

export interface ContentView {
  msgtype: string;
  /** '' for the message itself; `item[1]` for a nested item. */
  path: string;
  /** The text people read: content, titles, addresses… (a file's name is under `media`). */
  text: string;
  media: MediaView | null;
  /** A chatrecord item's own time (UTC ms). */
  time: number | null;
  items: ContentView[];
  /** voiptext only. */
  call: CallView | null;
  /** card only: whose card it is (`card.userid`; named by the reader when the directory knows it). */
  card: PartyName | null;
  /** The type's `facts` (msgtypes.ts) the payload has, as they are: coordinates, amounts, times, a link's address. */
  facts: Record<string, string | number>;
}

export type MediaLookup = (path: string) => { status: MediaStatus; size: number | null; filename: string | null } | undefined;

const MAX_DEPTH = 4;

/** The content of a stored message from its raw JSON; `fallbackText` (search_text) for types we cannot read. */
export function readContent(msgtype: string, rawJson: string | null, media: MediaLookup, fallbackText = ''): ContentView {
  const empty: ContentView = { msgtype, path: '', text: fallbackText, media: null, time: null, items: [], call: null, card: null, facts: {} };
  if (!rawJson) return empty;
  let message: unknown;
  try {
    message = parseJsonLossless(rawJson);
  } catch {
    return empty;
  }
  const spec = msgTypeSpec(msgtype);
  if (!isObject(message) || !spec || spec.payloadKey === null) return empty;
  const payload = message[spec.payloadKey] ?? (spec.alsoTopLevel ? message : undefined);
  if (!isObject(payload)) return empty;
  return readPayload(spec, payload, '', media, 0);
}

function readPayload(spec: MsgTypeSpec, payload: Record<string, unknown>, path: string, media: MediaLookup, depth: number): ContentView {
  const fileField = spec.media?.filename;
  const texts: string[] = [];
  if (spec.documented) {
    for (const field of spec.text) {
      if (field === fileField) continue;
      for (const value of valuesAt(payload, field)) {
        const text = readString(value);
        if (text && cleanText(text)) texts.push(cleanText(text));
      }
    }
  } else {
    genericText(payload, texts, 0);
  }
  return {
    msgtype: spec.name,
    path,
    text: texts.join(' '),
    media: mediaOf(spec, payload, path, media),
    time: null,
    items: spec.nests && depth < MAX_DEPTH ? itemsOf(payload, path, media, depth) : [],
    call: spec.name === 'voiptext' ? { seconds: readNumber(payload.callduration), invitetype: readNumber(payload.invitetype) } : null,
    card: spec.name === 'card' ? cardOf(payload) : null,
    facts: factsOf(spec, payload),
  };
}

function factsOf(spec: MsgTypeSpec, payload: Record<string, unknown>): Record<string, string | number> {
  const facts: Record<string, string | number> = {};
  for (const field of spec.facts ?? []) {
    const value = payload[field];
    const number = typeof value === 'number' || typeof value === 'bigint' ? readNumber(value) : null;
    const text = typeof value === 'string' ? cleanText(value) : null;
    if (number !== null) facts[field] = number;
    else if (text) facts[field] = text;
  }
  return facts;
}

function cardOf(payload: Record<string, unknown>): PartyName | null {
  const userid = readString(payload.userid);
  return userid ? { id: userid, kind: partyKind(userid), name: null } : null;
}

/** Every content view of a message, nested items included (for naming the people on cards). */
export function* eachContent(content: ContentView): Generator<ContentView> {
  yield content;
  for (const item of content.items) yield* eachContent(item);
}

function mediaOf(spec: MsgTypeSpec, payload: Record<string, unknown>, path: string, lookup: MediaLookup): MediaView | null {
  if (!spec.media || !readString(payload[SDKFILEID_FIELD])) return null;
  const row = lookup(path);
  const filename = spec.media.filename ? readString(payload[spec.media.filename]) : null;
  return {
    type: spec.name,
    size: (spec.media.size ? readNumber(payload[spec.media.size]) : null) ?? row?.size ?? null,
    filename: filename ? cleanText(filename) : row?.filename ?? null,
    status: row?.status ?? 'not_queued',
  };
}

/** chatrecord and mixed keep items as {type, content: JSON string} (archive-sdk.md §4.2). */
function itemsOf(payload: Record<string, unknown>, path: string, media: MediaLookup, depth: number): ContentView[] {
  const items = payload.item;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item, index) => {
    if (!isObject(item)) return [];
    const itemPath = `${path ? `${path}.` : ''}item[${index}]`;
    const type = readString(item.type) ?? '';
    const content = parseItemContent(item.content);
    const spec = nestedItemSpec(type);
    let view: ContentView;
    if (spec && spec.payloadKey !== null && isObject(content)) {
      view = readPayload(spec, content, itemPath, media, depth + 1);
    } else {
      const texts: string[] = [];
      genericText(content, texts, 0);
      view = { msgtype: spec?.name ?? type, path: itemPath, text: texts.join(' '), media: null, time: null, items: [], call: null, card: null, facts: {} };
    }
    const seconds = readNumber(item.msgtime);
    // chatrecord items carry seconds; a value already in ms is taken as it is; 0 is no time.
    if (seconds !== null && seconds > 0) view.time = seconds < 1e12 ? seconds * 1000 : seconds;
    return [view];
  });
}

function parseItemContent(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  try {
    return parseJsonLossless(content);
  } catch {
    return content;
  }
}

/** The msgid a revoke entry recalls (`revoke.pre_msgid`), null when unreadable. */
export function readRevokeTarget(rawJson: string | null): string | null {
  const message = safeParse(rawJson);
  const revoke = isObject(message) ? message.revoke : undefined;
  return isObject(revoke) ? readString(revoke.pre_msgid) || null : null;
}

function safeParse(rawJson: string | null): unknown {
  if (!rawJson) return undefined;
  try {
    return parseJsonLossless(rawJson);
  } catch {
    return undefined;
  }
}
