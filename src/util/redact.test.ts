import { describe, expect, it } from 'vitest';
import { redactSecret, redactText, redactValue } from './redact.ts';

const secret = 'Zx9LmQ2wErTy7UiOp0AsDfGh3JkL5ZxCvBnM8QwErTy';

describe('redaction', () => {
  it('keeps a short prefix of a secret and its length, and is idempotent', () => {
    expect(redactSecret(secret)).toBe('Zx9L…(43)');
    expect(redactSecret(redactSecret(secret))).toBe('Zx9L…(43)');
    expect(redactText(redactText(`https://x/cgi-bin/gettoken?corpid=ww1&corpsecret=${secret}`))).toBe('https://x/cgi-bin/gettoken?corpid=ww1&corpsecret=Zx9L…(43)');
  });

  it('hides URL passwords entirely, even with an unencoded @ in them', () => {
    expect(redactText('postgres://user:dbpass123@db.local/test')).toBe('postgres://user:…(9)@db.local/test');
    expect(redactText('postgres://user:p@ss#word@host/db')).toBe('postgres://user:…(9)@host/db');
    expect(redactText(redactText('http://u:pw12345678@proxy:3128'))).toBe('http://u:…(10)@proxy:3128');
  });

  it('finds secrets by name in queries, JSON and KEY=VALUE text', () => {
    expect(redactText(`?sslpassword=${secret}&x=1`)).toBe('?sslpassword=Zx9L…(43)&x=1');
    expect(redactText(`{"access_token":"${secret}","expires_in":7200}`)).toBe('{"access_token":"Zx9L…(43)","expires_in":7200}');
    expect(redactText(`line 3: APP_SECRET=${secret}  # comment`)).toBe('line 3: APP_SECRET=Zx9L…(43)  # comment');
    expect(redactText(`corpsecret: ${secret}`)).toBe('corpsecret: Zx9L…(43)');
    expect(redactText('errcode: 40001, errmsg: invalid credential')).toBe('errcode: 40001, errmsg: invalid credential');
    expect(redactText('fetch access_token: CHAT_ARCHIVE_SECRET is valid')).toBe('fetch access_token: CHAT_ARCHIVE_SECRET is valid');
    expect(redactText(`APP_SECRET: ${secret}`)).toBe('APP_SECRET: Zx9L…(43)');
    expect(redactText(`SdkFileId: "${secret}"`)).toBe('SdkFileId: "Zx9L…(43)"');
  });

  it('redacts secret-named fields of values, arrays of them included', () => {
    expect(redactValue({ sdkfileid: secret, nested: [{ token: secret }], name: '张三' }))
      .toEqual({ sdkfileid: 'Zx9L…(43)', nested: [{ token: 'Zx9L…(43)' }], name: '张三' });
    expect(redactText('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----')).toBe('[PRIVATE KEY REDACTED]');
  });
});
