import { describe, expect, it } from 'vitest';
import { ChatDataParseError, parseChatData } from './chatdata.ts';

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
