import { stringifyJson } from '../../wecom/json.ts';

/**
 * JSON as WeCom writes it, which JSON.stringify alone cannot: 64-bit integers as bare digits
 * (meetingid, beyond a JS number's precision; src/wecom/json.ts) and, in the rare text that has one,
 * a raw U+0001 control character instead of its escape (archive-sdk.md §4.4). Generated content
 * holds no backslashes, so every `\u0001` in the output is such an escape.
 */
export function toWeComJson(value: unknown): string {
  const json = stringifyJson(value);
  return json.includes('\\u0001') ? json.replace(/\\u0001/g, '\u0001') : json;
}
