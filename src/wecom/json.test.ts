import { describe, expect, it, vi } from 'vitest';
import { parseJson, stringifyJson } from './json.ts';

describe('parseJson keeps 64-bit integers exact', () => {
  it('turns integers beyond 2^53 into bigint with every digit intact', () => {
    const text = '{"MsgId":4561255354251345929,"seq":18446744073709551615,"neg":-9223372036854775808,"small":42}';
    const parsed = parseJson(text) as Record<string, unknown>;
    expect(parsed.MsgId).toBe(4561255354251345929n);
    expect(parsed.seq).toBe(18446744073709551615n);
    expect(parsed.neg).toBe(-9223372036854775808n);
    expect(parsed.small).toBe(42);
    // The native parser would have rounded it: the point of the exercise.
    expect(String((JSON.parse(text) as { MsgId: number }).MsgId)).not.toBe('4561255354251345929');
  });

  it('keeps the safe boundary as number and the first unsafe value as bigint', () => {
    const parsed = parseJson('[9007199254740991, 9007199254740992, 9007199254740993, -9007199254740991]') as unknown[];
    expect(parsed).toEqual([9007199254740991, 9007199254740992n, 9007199254740993n, -9007199254740991]);
  });

  it('leaves fractions, exponents and digit runs inside strings alone', () => {
    const parsed = parseJson('{"f":12345678901234567.5,"e":1e400,"s":"4561255354251345929","esc":"a\\"b\\u4e2d\\n"}') as Record<string, unknown>;
    expect(typeof parsed.f).toBe('number');
    expect(parsed.e).toBe(Infinity);
    expect(parsed.s).toBe('4561255354251345929');
    expect(parsed.esc).toBe('a"b中\n');
  });

  it('parses nested structures the same as JSON.parse when there is no big integer in them', () => {
    const text = '{"a":[1,2,{"b":null,"c":true,"d":false}],"e":{},"f":[],"g":"x 1234567890123456789 y","n":-0.5}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it('treats "__proto__" as a plain key, as JSON.parse does', () => {
    const parsed = parseJson('{"__proto__":{"polluted":1},"id":12345678901234567890}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'id']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    '{"a":12345678901234567890', '{"a":12345678901234567890,}', '[12345678901234567890 1]',
    '{"a":012345678901234567}', '12345678901234567890 x', '{a:12345678901234567890}',
  ])('rejects malformed JSON: %s', (text) => {
    expect(() => parseJson(text)).toThrow(SyntaxError);
  });
});

describe('stringifyJson', () => {
  it('writes bigints back as bare digits, so a parse/stringify round trip is exact', () => {
    const text = '{"seq":18446744073709551615,"list":[4561255354251345929,1],"s":"x"}';
    expect(stringifyJson(parseJson(text))).toBe(text);
  });

  it('does not confuse a string that looks like its placeholder with a bigint', () => {
    const value = { s: 'bigint:abc:0', n: 12345678901234567890n, t: '"bigint:x:0"' };
    expect(parseJson(stringifyJson(value))).toEqual(value);
  });

  it('picks another placeholder when the first one also occurs in the data', () => {
    // 0.5 gives the nonce "i", which the string below contains: the count check must reject it.
    const random = vi.spyOn(Math, 'random').mockReturnValueOnce(0.5);
    const value = { s: 'bigint:i:0', n: 98765432109876543210n };
    expect(stringifyJson(value)).toBe('{"s":"bigint:i:0","n":98765432109876543210}');
    expect(random).toHaveBeenCalledTimes(2);
    random.mockRestore();
  });
});
