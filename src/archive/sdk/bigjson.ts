/**
 * JSON.parse that keeps integers beyond 2^53 exact. The archive's `seq` is a uint64 (archive-sdk.md
 * §2.1) and a cursor rounded by a double would skip or repeat messages. Node 20 has no access to the
 * source text in a reviver, so large integer literals are quoted with a marker before parsing (strings
 * are matched whole first, so nothing inside a string is touched) and turned into bigint after.
 */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
/**
 * After parsing, a string starting with NUL + `n:` is a marked bigint. A genuine string that starts
 * with NUL (JSON text can only hold it escaped) is marked `s:` so it can never be mistaken for one.
 */
const NUMBER_MARK = '\u0000n:';
const STRING_MARK = '\u0000s:';
const ESCAPED_NUL = '\\u0000';

export function parseJsonBigInt(text: string): unknown {
  const marked = text.replace(TOKEN, (token) => {
    if (token.startsWith('"')) {
      return token.startsWith(`"${ESCAPED_NUL}`) ? `"${ESCAPED_NUL}s:${token.slice(1)}` : token;
    }
    if (!/^-?\d+$/.test(token) || Number.isSafeInteger(Number(token))) return token;
    return `"${ESCAPED_NUL}n:${token}"`;
  });
  return JSON.parse(marked, (_key, value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith('\u0000')) return value;
    if (value.startsWith(NUMBER_MARK)) return BigInt(value.slice(NUMBER_MARK.length));
    return value.startsWith(STRING_MARK) ? value.slice(STRING_MARK.length) : value;
  });
}

/** A JSON integer (number, bigint or decimal string) as a bigint; undefined if it is not one. */
export function toBigIntOrUndefined(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return undefined;
}
