import type { JsonValue } from './json.ts';

/**
 * Tolerant readers for payload fields. Integrators see sizes and times sent as strings
 * (`"filesize":"32768"`, archive-sdk.md §4.4), so every number is read through here, and text is
 * cleaned of control characters that would break search and display (§4.4).
 */

export type JsonObject = { [key: string]: JsonValue };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number from a number, bigint or numeric string; null when absent or not numeric. */
export function readNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/** A string field; numbers (ids sent as numbers) are turned into their decimal text. */
export function readString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

/** `tolist` is an array of ids; a lone string is accepted as a list of one. */
export function readStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(readString).filter((v): v is string => v !== null && v !== '');
  const single = readString(value);
  return single ? [single] : [];
}

// Control characters other than tab and newline: never meaningful in chat text (§4.4).
// eslint-disable-next-line no-control-regex
const INVALID_TEXT_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function cleanText(text: string): string {
  return text.replace(INVALID_TEXT_CHARS, '').replace(/\r\n?/g, '\n').trim();
}

/**
 * Values at a path inside a payload: `title`, `item[].title` (each element's title), `voteitem[]`
 * (each element). The path grammar is the one msgtypes.ts uses for text-bearing fields.
 */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const segment of path.split('.')) {
    const spread = segment.endsWith('[]');
    const key = spread ? segment.slice(0, -2) : segment;
    const next: unknown[] = [];
    for (const node of current) {
      if (!isObject(node)) continue;
      const value = node[key];
      if (spread) {
        if (Array.isArray(value)) next.push(...value);
      } else if (value !== undefined) {
        next.push(value);
      }
    }
    current = next;
  }
  return current;
}
