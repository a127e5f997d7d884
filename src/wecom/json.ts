/**
 * JSON that keeps 64-bit integers exact. WeCom and the archive SDK send ids and sequence numbers
 * (callback MsgId 4561255354251345929, archive seq) as bare JSON numbers beyond 2^53, which
 * `JSON.parse` silently rounds. Choice: an integer literal outside ±Number.MAX_SAFE_INTEGER becomes a
 * `bigint` (not a string), so it stays a number to compare and add (seq arithmetic), stays
 * distinguishable from a real string field, and `stringifyJson` writes it back as the same bare
 * digits. Integers within the safe range, and every number with a fraction or exponent, stay `number`.
 * `printJson` (src/cli/output.ts) prints bigints as digit strings.
 */

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/** Any run of 16+ digits could be an unsafe integer; without one, native JSON.parse is exact. */
const MAYBE_UNSAFE = /\d{16}/;

export function parseJson(text: string): JsonValue {
  if (!MAYBE_UNSAFE.test(text)) return JSON.parse(text) as JsonValue;
  return new Parser(text).parseDocument();
}

/** JSON.stringify that writes bigints as bare digits (what WeCom expects for a 64-bit seq). */
export function stringifyJson(value: unknown): string {
  for (;;) {
    // Each bigint becomes a quoted placeholder, then the quotes and placeholder become its digits.
    // A random nonce makes a collision with real text unlikely; the count check makes it impossible.
    const nonce = Math.random().toString(36).slice(2, 10);
    const digits: string[] = [];
    const text = JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner !== 'bigint') return inner;
      digits.push(inner.toString());
      return `bigint:${nonce}:${digits.length - 1}`;
    });
    if (digits.length === 0) return text;
    const placeholder = new RegExp(`"bigint:${nonce}:(\\d+)"`, 'g');
    if ((text.match(new RegExp(nonce, 'g')) ?? []).length !== digits.length) continue;
    return text.replace(placeholder, (_m, index: string) => digits[Number(index)]);
  }
}

/**
 * A strict recursive-descent parser (RFC 8259), used only when the text may hold an unsafe integer.
 * Strings are decoded by JSON.parse on their exact source slice, so escapes behave identically.
 */
class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    const value = this.value();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected trailing text');
    return value;
  }

  private value(): JsonValue {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
    for (const [word, result] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return result;
      }
    }
    return this.fail('unexpected token');
  }

  private object(): JsonValue {
    const out: Record<string, JsonValue> = {};
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a property name');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos++] !== ':') this.fail("expected ':'");
      // defineProperty: a "__proto__" key must become data, as with JSON.parse, not a prototype.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const sep = this.text[this.pos++];
      if (sep === '}') return out;
      if (sep !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(): JsonValue {
    const out: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      const sep = this.text[this.pos++];
      if (sep === ']') return out;
      if (sep !== ',') this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    const start = this.pos++;
    for (;;) {
      const ch = this.text[this.pos++];
      if (ch === undefined) this.fail('unterminated string');
      if (ch === '\\') this.pos++;
      else if (ch === '"') break;
    }
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): number | bigint {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) return this.fail('invalid number');
    this.pos += match[0].length;
    const literal = match[0];
    if (match[1] || match[2]) return Number(literal);
    const asNumber = Number(literal);
    return Number.isSafeInteger(asNumber) ? asNumber : BigInt(literal);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  private fail(reason: string): never {
    throw new SyntaxError(`Invalid JSON at position ${this.pos}: ${reason}`);
  }
}
