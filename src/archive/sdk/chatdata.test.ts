import { describe, expect, it } from 'vitest';
import { parseJsonBigInt } from './bigjson.ts';
import { ChatDataParseError, parseChatData } from './chatdata.ts';

describe('parseJsonBigInt', () => {
  it('keeps integers beyond 2^53 exact and leaves everything else as JSON.parse does', () => {
    const text = '{"a":18446744073709551615,"b":"x\\"18446744073709551615","c":1.5e300,"d":[9007199254740993,-9007199254740993,12,0.5]}';
    expect(parseJsonBigInt(text)).toEqual({
      a: 18446744073709551615n, b: 'x"18446744073709551615', c: 1.5e300, d: [9007199254740993n, -9007199254740993n, 12, 0.5],
    });
  });

  it('never mistakes a string for a marked number', () => {
    expect(parseJsonBigInt('["\\u0000n:5","\\u0000s:x","\\u0000"]')).toEqual(['\u0000n:5', '\u0000s:x', '\u0000']);
  });
});

describe('parseChatData', () => {
  const item = '{"seq":18446744073709551000,"msgid":"m","publickey_ver":2,"encrypt_random_key":"k","encrypt_chat_msg":"c"}';

  it('maps the documented fields, seq as bigint', () => {
    expect(parseChatData(`{"errcode":0,"errmsg":"ok","chatdata":[${item}]}`)).toEqual({
      errcode: 0, errmsg: 'ok',
      chatdata: [{ seq: 18446744073709551000n, msgid: 'm', publickeyVer: 2, encryptRandomKey: 'k', encryptChatMsg: 'c' }],
    });
  });

  it('accepts a missing chatdata when caught up, and carries inner errcodes', () => {
    expect(parseChatData('{"errcode":0,"errmsg":"ok"}').chatdata).toEqual([]);
    expect(parseChatData('{"errcode":301042,"errmsg":"ip not match"}')).toMatchObject({ errcode: 301042, chatdata: [] });
  });

  it('rejects output that is not the documented shape', () => {
    expect(() => parseChatData('not json')).toThrow(ChatDataParseError);
    expect(() => parseChatData('{"errmsg":"ok"}')).toThrow(/errcode/);
    expect(() => parseChatData('{"errcode":0,"chatdata":{}}')).toThrow(/array/);
    expect(() => parseChatData('{"errcode":0,"chatdata":[{"seq":1,"msgid":"m"}]}')).toThrow(/chatdata\[0\]/);
  });
});
