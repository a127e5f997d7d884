/**
 * Stored values shown to people (a damaged hash in `archive verify`): whatever bytes a damaged or
 * tampered store holds, never printed as they are. A terminal escape sequence in a stored value
 * would otherwise act on the reader's terminal, and a control or invisible character hide what
 * changed. Printable ASCII stays readable; everything else is written as an escape.
 */

/** Longest shown; a longer value is cut with its length said (a damaged row may hold anything). */
const MAX_SHOWN = 200;

/** Printable ASCII kept, `\` doubled, other characters as `\xNN` or `\u{N}`; long values cut. */
export function escapeStored(value: string, max = MAX_SHOWN): string {
  const chars = [...value];
  const shown = chars.slice(0, max).map((c) => {
    if (c === '\\') return '\\\\';
    const code = c.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) return c;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  }).join('');
  return chars.length > max ? `${shown}…(${chars.length})` : shown;
}

/** The index (in characters, from 0) of the first character where the two differ; undefined when equal. */
export function firstDifference(expected: string, stored: string): number | undefined {
  const a = [...expected];
  const b = [...stored];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return undefined;
}
