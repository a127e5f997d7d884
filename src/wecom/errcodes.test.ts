import { describe, expect, it } from 'vitest';
import { t } from '../i18n/index.ts';
import {
  API_ERRCODES, ARCHIVE_SDK_CODES, apiErrcodeInfo, archiveSdkCodeInfo, ERRCODE, extractFromIp, isItemErrcode, SDK_CODE, UNVERIFIED,
} from './errcodes.ts';
import { WecomApiError, WecomMissingCredentialError, WecomTransportError } from './errors.ts';

/** wecom-api.md §6 plus the codes named in §1 and §4. */
const REQUIRED_API_CODES = [
  -1, 40001, 40003, 40013, 40014, 40056, 40058, 40082, 40091, 40096, 41001, 41002, 41004, 41063, 42001, 45009, 45033,
  48002, 48009, 60011, 60020, 60111, 81017, 84061, 90501, 301002, 301005, 301042, 301048, 301052, 301053, 301058,
  301059, 301060, 701008,
];
/** archive-sdk.md §1.5. */
const REQUIRED_SDK_CODES = [10000, 10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009, 10010, 10011];

describe('error-code catalogue', () => {
  it.each([
    ...REQUIRED_API_CODES.map((code) => ['api', code, API_ERRCODES[code]] as const),
    ...REQUIRED_SDK_CODES.map((code) => ['sdk', code, ARCHIVE_SDK_CODES[code]] as const),
  ])('%s %i has meaning, cause and fix in Chinese and English', (_kind, _code, info) => {
    expect(info).toBeDefined();
    for (const part of [info.meaning, info.cause, info.fix, ...Object.values(info.fixFor ?? {})]) {
      expect(part.zh.trim().length).toBeGreaterThan(1);
      expect(part.en.trim().length).toBeGreaterThan(1);
      expect(part.zh).toMatch(/[\u4e00-\u9fff]/); // really Chinese, not a copy of the English
      expect(part.en).not.toMatch(/^[\u4e00-\u9fff]/);
    }
  });

  it('classifies retries as wecom-api.md §7 says', () => {
    expect(apiErrcodeInfo(-1).retry).toBe('busy');
    expect(apiErrcodeInfo(40014).retry).toBe('token');
    expect(apiErrcodeInfo(42001).retry).toBe('token');
    expect(apiErrcodeInfo(45009).retry).toBe('rate_limit');
    expect(apiErrcodeInfo(45033).retry).toBe('concurrency');
    // 40001 must never be retried: a retry cannot succeed and wrong secrets get the IP banned.
    expect(apiErrcodeInfo(40001).retry).toBe('never');
    const others = Object.entries(API_ERRCODES).filter(([code]) => ![-1, 40014, 42001, 45009, 45033].includes(Number(code)));
    expect(others.every(([, info]) => info.retry === 'never')).toBe(true);
    expect([10001, 10002, 10003].map((code) => archiveSdkCodeInfo(code).retry)).toEqual(['transient', 'transient', 'transient']);
    expect(archiveSdkCodeInfo(10009).retry).toBe('never');
  });

  it('names each code once, and each name finds its entry', () => {
    for (const [names, table] of [[ERRCODE, API_ERRCODES], [SDK_CODE, ARCHIVE_SDK_CODES]] as const) {
      const codes = Object.values(names);
      expect(new Set(codes).size).toBe(codes.length);
      expect(codes.sort()).toEqual(Object.keys(table).map(Number).sort());
      for (const code of codes) expect(table[code]!.code).toBe(code);
    }
    expect(ERRCODE.IP_NOT_ALLOWED).toBe(60020);
    expect(SDK_CODE.DATA_EXPIRED).toBe(10010);
  });

  it('gives the errmsg WeCom starts with where the reference records one, and marks our own wordings', () => {
    // wecom-api.md §6 "errmsg prefix (observed)": these must stay WeCom's words.
    expect(API_ERRCODES[ERRCODE.IP_NOT_ALLOWED]!.errmsg).toBe('not allow to access from your ip');
    expect(API_ERRCODES[ERRCODE.CONTACT_SYNC_FORBIDDEN]!.errmsg).toBe('api forbidden for contact assistant');
    expect(UNVERIFIED.has(ERRCODE.IP_NOT_ALLOWED)).toBe(false);
    // Every wording of our own is there to be answered, so it must exist.
    for (const code of UNVERIFIED) expect(API_ERRCODES[code]?.errmsg, String(code)).toBeTruthy();
  });

  it('tells item errors (about the ids sent) from set-up errors', () => {
    expect([ERRCODE.USERID_NOT_FOUND, ERRCODE.NOT_CUSTOMER_GROUP, ERRCODE.NOT_INTERNAL_GROUP].every(isItemErrcode)).toBe(true);
    expect([ERRCODE.INVALID_SECRET, ERRCODE.IP_NOT_ALLOWED, ERRCODE.API_FORBIDDEN, 99999].some(isItemErrcode)).toBe(false);
  });

  it('explains an unknown code with a link to the official query tool', () => {
    const err = new WecomApiError({ errcode: 99999, errmsg: 'something', endpoint: 'user.get' });
    expect(err.describe('en').fix).toContain('https://open.work.weixin.qq.com/devtool/query?e=99999');
  });

  it('extracts the caller IP from a 60020 errmsg', () => {
    const errmsg = 'not allow to access from your ip, hint: [1658286717354964018506079], from ip: 115.227.127.185, more info at https://open.work.weixin.qq.com/devtool/query?e=60020';
    expect(extractFromIp(errmsg)).toBe('115.227.127.185');
    expect(extractFromIp('from ip: 2001:db8::1, more')).toBe('2001:db8::1');
    expect(extractFromIp('no ip here')).toBeUndefined();
  });
});

describe('WecomApiError: specific fixes', () => {
  it('60020 puts the caller IP in a field and tells to add it to 企业可信IP', () => {
    const err = new WecomApiError({
      errcode: 60020, endpoint: 'user.get', credential: 'app',
      errmsg: 'not allow to access from your ip, hint: [1], from ip: 115.227.127.185, more info at x',
    });
    expect(err.fromIp).toBe('115.227.127.185');
    expect(err.describe('zh').fix).toContain('企业可信IP 中添加 115.227.127.185');
    expect(err.describe('en').fix).toContain('Add 115.227.127.185 to 企业可信IP');
  });

  it('40001 names the config key of the secret that was used', () => {
    const err = new WecomApiError({ errcode: 40001, errmsg: 'invalid credential', endpoint: 'token.get', credential: 'customer' });
    expect(err.secretKey).toBe('CUSTOMER_SECRET');
    expect(err.describe('en').what).toContain('CUSTOMER_SECRET');
    expect(err.describe('zh').fix).toContain('CUSTOMER_SECRET');
  });

  it('48002 on a msgaudit endpoint says to use CHAT_ARCHIVE_SECRET; on a customer endpoint CUSTOMER_SECRET', () => {
    const archive = new WecomApiError({ errcode: 48002, errmsg: 'api forbidden', endpoint: 'msgaudit.getPermitUserList', credential: 'app', wantedKind: 'archive' });
    expect(archive.describe('en').fix).toContain('CHAT_ARCHIVE_SECRET');
    const customer = new WecomApiError({ errcode: 48002, errmsg: 'api forbidden', endpoint: 'externalcontact.list', credential: 'app', wantedKind: 'customer' });
    expect(customer.describe('zh').fix).toContain('CUSTOMER_SECRET');
    expect(customer.describe('zh').fix).toContain('可调用应用');
  });

  it('48009 says to create a self-built app and use its secret as APP_SECRET; 60011 says to extend 可见范围', () => {
    expect(t(apiErrcodeInfo(48009).fix, 'en')).toMatch(/self-built app.*APP_SECRET/);
    expect(t(apiErrcodeInfo(48009).fix, 'zh')).toMatch(/自建应用.*APP_SECRET/);
    expect(t(apiErrcodeInfo(60011).fix, 'zh')).toContain('可见范围');
    expect(t(apiErrcodeInfo(60011).fix, 'en')).toContain('可见范围');
  });

  it('no secret configured names the key to set', () => {
    const err = new WecomMissingCredentialError('externalcontact.list', ['customer', 'app']);
    expect(err.describe('en').fix).toBe('Set CUSTOMER_SECRET in the config');
    expect(err.describe('zh').why).toContain('CUSTOMER_SECRET, APP_SECRET');
  });
});

describe('redaction in errors', () => {
  const token = 'AccessToken-Secret-Value-0123456789';
  const secret = 'CorpSecret-Secret-Value-9876543210';

  it('hides access_token and corpsecret in WeCom errmsg', () => {
    const err = new WecomApiError({
      errcode: 40014, endpoint: 'user.get', credential: 'app',
      errmsg: `invalid access_token ${token}? access_token=${token}&corpsecret=${secret}`,
      knownSecrets: [token],
    });
    const shown = JSON.stringify([err.message, err.errmsg, err.describe('zh'), err.describe('en')]);
    expect(shown).not.toContain(token.slice(8));
    expect(shown).not.toContain(secret);
  });

  it('hides them in transport errors: URL, message, details', () => {
    const url = `https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=${secret}`;
    const err = new WecomTransportError({
      failure: 'proxy_auth', endpoint: 'token.get', url, proxy: 'http://bob:hunter2-proxy-pass@10.0.0.1:3128',
      detail: `GET /cgi-bin/user/get?access_token=${token} failed`, mayHaveReached: false,
    });
    const shown = JSON.stringify([err.message, err.url, err.proxy, err.describe('zh'), err.describe('en')]);
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(token);
    expect(shown).not.toContain('hunter2-proxy-pass');
    expect(err.describe('en').what).toContain('10.0.0.1:3128');
  });
});
