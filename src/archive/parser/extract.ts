import { nestedItemSpec, SDKFILEID_FIELD, type MsgTypeSpec } from '../msgtypes.ts';
import { parseJsonLossless } from './json.ts';
import { cleanText, isObject, readNumber, readString, valuesAt, type JsonObject } from './values.ts';

/**
 * Search text and media references of a payload, driven by the msgtypes.ts table, including the
 * items nested inside chatrecord and mixed messages, whose `content` is itself a JSON string
 * (archive-sdk.md §4.2 "Nested media").
 */

/** One downloadable file of a message. */
export interface MediaRef {
  /** '' for the message's own file; `item[2]` for a nested item, `item[2].item[0]` one level deeper. */
  path: string;
  /** The type of the item carrying the file (image, voice, video, emotion, file, …). */
  msgtype: string;
  /** A secret: it carries the key to the file (§2.5). Never log it. */
  sdkfileid: string;
  md5sum: string | null;
  size: number | null;
  filename: string | null;
  /** File extension to store it under (jpg, amr, mp4, gif/png, or the file's own). */
  ext: string;
}

export interface Extracted {
  text: string[];
  media: MediaRef[];
  /** A nested item could not be read (its content is not JSON): the message is kept, flagged. */
  malformed: boolean;
}

/** Nesting deeper than this is not something WeCom sends; the guard keeps hostile input bounded. */
const MAX_DEPTH = 4;

/** Keys whose values are never search text in payloads we do not know the layout of. */
const NOT_TEXT_KEY = /sdkfileid|md5|url|id$|time$|^type$|size$|width|height|length|^zoom$|itude$/i;

export function extractPayload(spec: MsgTypeSpec, payload: unknown, path = '', depth = 0): Extracted {
  const out: Extracted = { text: [], media: [], malformed: false };
  if (!spec.documented) {
    genericText(payload, out.text, 0);
    genericMedia(spec.name, payload, path, out.media, 0);
  } else {
    for (const field of spec.text) {
      for (const value of valuesAt(payload, field)) pushText(out.text, readString(value));
    }
  }
  const media = spec.media && isObject(payload) ? mediaRef(spec, payload, path) : null;
  if (media) out.media.push(media);
  if (spec.nests && isObject(payload)) addNested(payload, path, depth, out);
  return out;
}

function mediaRef(spec: MsgTypeSpec, payload: JsonObject, path: string): MediaRef | null {
  const fields = spec.media!;
  const sdkfileid = readString(payload[SDKFILEID_FIELD]);
  if (!sdkfileid) return null;
  const filename = fields.filename ? readString(payload[fields.filename]) : null;
  return {
    path,
    msgtype: spec.name,
    sdkfileid,
    md5sum: fields.md5 ? readString(payload[fields.md5]) || null : null,
    size: fields.size ? readNumber(payload[fields.size]) : null,
    filename: filename ? cleanText(filename) : null,
    ext: extensionOf(spec, payload, filename),
  };
}

function extensionOf(spec: MsgTypeSpec, payload: JsonObject, filename: string | null): string {
  const fields = spec.media!;
  const named = fields.extField ? readString(payload[fields.extField]) : null;
  if (named && /^[A-Za-z0-9]{1,10}$/.test(named)) return named.toLowerCase();
  const fromName = filename ? /\.([A-Za-z0-9]{1,10})$/.exec(filename)?.[1] : undefined;
  if (fromName) return fromName.toLowerCase();
  if (fields.extByField) {
    const key = readString(payload[fields.extByField.field]);
    if (key && fields.extByField.values[key]) return fields.extByField.values[key];
  }
  return fields.ext;
}

/** chatrecord and mixed both keep their items in `item[]` as {type, content: JSON string}. */
function addNested(payload: JsonObject, path: string, depth: number, out: Extracted): void {
  const items = payload.item;
  if (!Array.isArray(items)) return;
  if (depth >= MAX_DEPTH) {
    out.malformed = true;
    return;
  }
  items.forEach((item, index) => {
    if (!isObject(item)) return;
    const itemPath = `${path ? `${path}.` : ''}item[${index}]`;
    const content = nestedContent(item.content);
    if (content === undefined) {
      out.malformed = true;
      return;
    }
    const type = readString(item.type) ?? '';
    const spec = nestedItemSpec(type);
    if (!spec) {
      genericText(content, out.text, 0);
      genericMedia(type || 'unknown', content, itemPath, out.media, 0);
      return;
    }
    const inner = extractPayload(spec, content, itemPath, depth + 1);
    out.text.push(...inner.text);
    out.media.push(...inner.media);
    out.malformed ||= inner.malformed;
  });
}

/** Item content is a JSON string per the docs; an object is accepted too. undefined: unreadable. */
function nestedContent(content: unknown): unknown {
  if (isObject(content)) return content;
  if (typeof content !== 'string') return content === undefined ? {} : undefined;
  try {
    return parseJsonLossless(content);
  } catch {
    return undefined;
  }
}

function pushText(into: string[], value: string | null): void {
  if (!value) return;
  const clean = cleanText(value);
  if (clean) into.push(clean);
}

/** Types without a documented layout: every string that is not an id, url, hash or file id. */
export function genericText(value: unknown, into: string[], depth: number): void {
  if (depth > MAX_DEPTH * 2) return;
  if (typeof value === 'string') {
    pushText(into, value);
  } else if (Array.isArray(value)) {
    for (const item of value) genericText(item, into, depth + 1);
  } else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (!NOT_TEXT_KEY.test(key)) genericText(inner, into, depth + 1);
    }
  }
}

/**
 * Files inside payloads we do not know the layout of: any object with an sdkfileid. Media expires
 * after 5 days (§5.1), so a new type's files are fetched now and understood later.
 */
export function genericMedia(msgtype: string, value: unknown, path: string, into: MediaRef[], depth: number): void {
  if (depth > MAX_DEPTH * 2) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => genericMedia(msgtype, item, `${path}[${index}]`, into, depth + 1));
    return;
  }
  if (!isObject(value)) return;
  const sdkfileid = readString(value[SDKFILEID_FIELD]);
  if (sdkfileid) {
    const filename = readString(value.filename);
    const ext = filename ? /\.([A-Za-z0-9]{1,10})$/.exec(filename)?.[1]?.toLowerCase() : undefined;
    into.push({
      path,
      msgtype,
      sdkfileid,
      md5sum: readString(value.md5sum) || null,
      size: readNumber(value.filesize ?? value.size ?? value.imagesize ?? value.voice_size),
      filename: filename ? cleanText(filename) : null,
      ext: ext ?? 'bin',
    });
  }
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'object' && inner !== null) {
      genericMedia(msgtype, inner, path ? `${path}.${key}` : key, into, depth + 1);
    }
  }
}
