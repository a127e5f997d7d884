import { parseJson, type JsonValue } from '../../wecom/json.ts';

export type { JsonValue } from '../../wecom/json.ts';

/**
 * Reading decrypted archive JSON as WeCom actually sends it (archive-sdk.md §4.4): raw control
 * characters inside strings make strict parsers fail (go-wecom strips them), and ids such as
 * `meetingid` are 64-bit integers that a JS number would silently round. The text is repaired without
 * losing anything (a control character inside a string becomes its \u escape, a stray one between
 * tokens is dropped), then parsed with bigint for integers beyond 2^53 (src/wecom/json.ts).
 */

export interface RepairedJson {
  /** Valid JSON when the input was JSON apart from control characters; the input itself if nothing was wrong. */
  text: string;
  repaired: boolean;
}

const isWhitespace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const escape = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;

export function repairJson(input: string): RepairedJson {
  const parts: string[] = [];
  let last = 0;
  let inString = false;
  const replace = (from: number, to: number, by: string) => {
    parts.push(input.slice(last, from), by);
    last = to;
  };
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        const next = input.charCodeAt(i + 1);
        // A backslash before a raw control character is no valid escape: keep the character, escaped.
        if (next < 0x20) replace(i, i + 2, escape(next));
        i++;
      } else if (c === 0x22) {
        inString = false;
      } else if (c < 0x20) {
        replace(i, i + 1, escape(c));
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c < 0x20 && !isWhitespace(c)) {
      replace(i, i + 1, '');
    }
  }
  if (parts.length === 0) return { text: input, repaired: false };
  parts.push(input.slice(last));
  return { text: parts.join(''), repaired: true };
}

/** Repaired, then parsed keeping integers beyond Number.MAX_SAFE_INTEGER exact (as bigint). */
export function parseJsonLossless(text: string): JsonValue {
  return parseJson(repairJson(text).text);
}
