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

/**
 * Text from WeCom (names, messages, file names, remarks) made safe to print on a terminal: control
 * characters (an escape sequence could rewrite the screen or the title bar) and the bidirectional
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069, which can make `exe.txt` read as `txt.exe`)
 * are shown as escapes; a tab becomes a space. Line breaks are kept for the caller to lay out. Every
 * other character, Chinese, emoji and their joiners included, stays as it is.
 */
export function terminalText(text: string): string {
  // One character class, linear on any input; the common case (nothing to replace) allocates nothing.
  return UNSAFE_ON_TERMINAL.test(text) ? text.replace(UNSAFE_ON_TERMINAL_ALL, escapeChar) : text;
}

const UNSAFE = '[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]';
const UNSAFE_ON_TERMINAL = new RegExp(UNSAFE);
const UNSAFE_ON_TERMINAL_ALL = new RegExp(UNSAFE, 'g');

function escapeChar(char: string): string {
  if (char === '\t') return ' ';
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
