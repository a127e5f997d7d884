import { describe, expect, it } from 'vitest';
import { parseJsonLossless, repairJson } from './json.ts';

describe('repairJson', () => {
  it('leaves valid JSON untouched', () => {
    const text = '{"a":"x\\ny","b":[1,2.5,-3e2],"c":null}';
    expect(repairJson(text)).toEqual({ text, repaired: false });
  });

  it('escapes raw control characters inside strings and drops stray ones outside', () => {
    const { text, repaired } = repairJson('{"content":"line1\nline2\u0001end\u0000"}\u0007');
    expect(repaired).toBe(true);
    expect(JSON.parse(text)).toEqual({ content: 'line1\nline2\u0001end\u0000' });
  });

  it('keeps a backslash-escaped raw control character as that character', () => {
    const { text } = repairJson('{"a":"x\\\u0001y"}');
    expect(JSON.parse(text)).toEqual({ a: 'x\u0001y' });
  });
});

describe('parseJsonLossless', () => {
  it('keeps big integers exact as bigint, also after a repair, and everything else as JSON.parse does', () => {
    // The TS escape puts a raw U+0001 into the JSON text, as WeCom's data sometimes has.
    expect(parseJsonLossless('{"id":1152921504606847001,"t":"a\u0001"}')).toEqual({ id: 1152921504606847001n, t: 'a\u0001' });
    const value = parseJsonLossless('{"meetingid":1152921504606847001,"n":-12,"f":0.5,"s":"1152921504606847001","l":[true,false,null,{"k":"\\u4f60"}]}');
    expect(value).toEqual({ meetingid: 1152921504606847001n, n: -12, f: 0.5, s: '1152921504606847001', l: [true, false, null, { k: '你' }] });
  });

  it('rejects what is not JSON', () => {
    expect(() => parseJsonLossless('{"a":1152921504606847001,}')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"a":')).toThrow(SyntaxError);
  });
});
