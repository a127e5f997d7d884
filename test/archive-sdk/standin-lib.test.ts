import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/archive/keys/keyring.ts';
import { parseChatData } from '../../src/archive/sdk/chatdata.ts';
import { openFinanceLibrary, type FinanceLibrary } from '../../src/archive/sdk/finance-lib.ts';
import { ensureStandinSdk } from '../../src/archive/sdk/standin-path.ts';
import { standinEncrypt } from '../../src/sandbox/archive/cipher.ts';
import { CHUNK, encryptChatMsg, newEncryptKey, startFakeArchive, testKey, wrapKey, type FakeArchive } from './fake-archive.ts';

// The library driven directly through koffi in this process: only paths that neither crash nor hang
// (those run in SDK host processes, pool.test.ts).

const EXPORTS = [
  'DecryptData', 'DestroySdk', 'FreeMediaData', 'FreeSlice', 'GetChatData', 'GetContentFromSlice', 'GetData',
  'GetDataLen', 'GetIndexLen', 'GetMediaData', 'GetOutIndexBuf', 'GetSliceLen', 'Init', 'IsMediaDataFinish',
  'NewMediaData', 'NewSdk', 'NewSlice',
];

let path: string;
let lib: FinanceLibrary;
let sdk: unknown;
let archive: FakeArchive;
const key = testKey(1);

beforeAll(async () => {
  path = ensureStandinSdk();
  lib = openFinanceLibrary(path);
  archive = await startFakeArchive([key]);
  process.env.WECOM_API_BASE = archive.url;
  sdk = lib.newSdk();
  expect(lib.init(sdk, archive.corpId, archive.secret)).toBe(0);
});

afterAll(async () => {
  if (sdk) lib.destroySdk(sdk);
  await archive?.close();
});

const pull = (seq = 0n, limit = 100) => lib.getChatData(sdk, seq, limit, '', '', 5);

describe('stand-in library build', () => {
  it('exports exactly the 17 Finance SDK functions', () => {
    const out = execFileSync('nm', ['-D', '--defined-only', path], { encoding: 'utf8' });
    const names = out.trim().split('\n').map((line) => line.trim().split(/\s+/).pop()).sort();
    expect(names).toEqual(EXPORTS);
  });

  it('Init rejects an empty corpid or secret with 10000', () => {
    const other = lib.newSdk();
    expect(lib.init(other, '', 'x')).toBe(10000);
    expect(lib.init(other, 'ww', '')).toBe(10000);
    lib.destroySdk(other);
  });
});

describe('GetChatData', () => {
  it('returns the server JSON, with seq beyond 2^53 intact', async () => {
    const big = 18446744073709551000n;
    archive.messages.push(
      { seq: 5n, msgid: 'm5', publickeyVer: 1, encryptKey: newEncryptKey(), json: '{"a":1}' },
      { seq: big, msgid: 'mbig', publickeyVer: 1, encryptKey: newEncryptKey(), json: '{"a":2}' },
    );
    const out = await pull();
    expect(out.rc).toBe(0);
    const parsed = parseChatData(out.data.toString('utf8'));
    expect(parsed.errcode).toBe(0);
    expect(parsed.chatdata.map((e) => e.seq)).toEqual([5n, big]);
    const sent = archive.requests.at(-1)!.body;
    expect(sent).toMatchObject({ corpid: archive.corpId, secret: archive.secret, seq: '0', limit: 100 });
    const after = await pull(big - 1n);
    expect(parseChatData(after.data.toString('utf8')).chatdata.map((e) => e.msgid)).toEqual(['mbig']);
    expect(archive.requests.at(-1)!.body.seq).toBe((big - 1n).toString());
    archive.messages.length = 0;
  });

  it('limit above 1000 or 0 → 10000 without a request', async () => {
    const before = archive.requests.length;
    expect((await pull(0n, 1001)).rc).toBe(10000);
    expect((await pull(0n, 0)).rc).toBe(10000);
    expect(archive.requests.length).toBe(before);
  });

  it('a wrong secret is an errcode inside a successful return (two layers)', async () => {
    const other = lib.newSdk();
    lib.init(other, archive.corpId, 'wrong');
    const out = await lib.getChatData(other, 0n, 10, '', '', 5);
    lib.destroySdk(other);
    expect(out.rc).toBe(0);
    expect(parseChatData(out.data.toString('utf8'))).toMatchObject({ errcode: 40001, chatdata: [] });
  });

  it('reads a chunked response', async () => {
    archive.chunkedResponses = true;
    try {
      const out = await pull();
      expect(out.rc).toBe(0);
      expect(out.data.toString('utf8')).toBe('{"errcode":0,"errmsg":"ok","chatdata":[]}');
    } finally {
      archive.chunkedResponses = false;
    }
  });

  it('X-Standin-Fault rc=NNNNN returns that code', async () => {
    archive.faults.chatdata.push('rc=10009');
    expect((await pull()).rc).toBe(10009);
  });

  it('network failures and unsupported bases → 10001', async () => {
    const saved = process.env.WECOM_API_BASE;
    try {
      const closed = await startFakeArchive([]);
      await closed.close();
      process.env.WECOM_API_BASE = closed.url;
      expect((await pull()).rc).toBe(10001);
      process.env.WECOM_API_BASE = 'https://127.0.0.1:1';
      expect((await pull()).rc).toBe(10001);
    } finally {
      process.env.WECOM_API_BASE = saved;
    }
  });
});

describe('DecryptData', () => {
  const decrypt = (k: string, msg: string) => lib.decryptData(Buffer.from(`${k}\0`, 'latin1'), msg);

  it('outputs the JSON after the marker, length-exact and binary-safe', async () => {
    const k = newEncryptKey();
    const json = '{"msgtype":"text","text":{"content":"你好\u0000世界"}}';
    const out = await decrypt(k, encryptChatMsg(k, 'WWSB', json));
    expect(out.rc).toBe(0);
    expect(out.data.toString('utf8')).toBe(json);
  });

  it('agrees with the sandbox cipher', async () => {
    const k = newEncryptKey();
    const json = JSON.stringify({ msgid: 'x', content: 'é'.repeat(1001) });
    expect((await decrypt(k, standinEncrypt(k, 'WWSB', json))).data.toString('utf8')).toBe(json);
  });

  it('wrong key → 10006, bad base64 → 10002, empty → 10000, WWSE → its code', async () => {
    const k = newEncryptKey();
    const msg = encryptChatMsg(k, 'WWSB', '{}');
    expect((await decrypt(newEncryptKey(), msg)).rc).toBe(10006);
    expect((await decrypt(k, 'not*base64')).rc).toBe(10002);
    expect((await decrypt('', msg)).rc).toBe(10000);
    expect((await decrypt(k, '')).rc).toBe(10000);
    expect((await decrypt(k, encryptChatMsg(k, 'WWSE10008'))).rc).toBe(10008);
  });

  it('takes the RSA plaintext from a KeyRing unchanged', async () => {
    const ring = KeyRing.fromKeys([[1, key.privateKey]]);
    const k = newEncryptKey();
    const plain = ring.unwrap(1, wrapKey(key.publicKey, k));
    expect(plain).toBe(k);
    expect((await decrypt(plain, encryptChatMsg(k, 'WWSB', '{"ok":true}'))).data.toString()).toBe('{"ok":true}');
  });
});

describe('GetMediaData', () => {
  it('reassembles a multi-chunk file byte for byte', async () => {
    const file = Buffer.concat([randomBytes(CHUNK * 2 + 12345), Buffer.alloc(100)]);
    archive.media.set('file-1', file);
    const parts: Buffer[] = [];
    let indexbuf = '';
    for (let calls = 0; calls < 10; calls++) {
      const out = await lib.getMediaData(sdk, indexbuf, 'file-1', '', '', 5);
      expect(out.rc).toBe(0);
      parts.push(out.data);
      if (out.finished) break;
      expect(out.outIndex).toMatch(/^Range:bytes=\d+-\d+$/);
      indexbuf = out.outIndex;
    }
    expect(parts.length).toBe(3);
    const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(hash(Buffer.concat(parts))).toBe(hash(file));
  });

  it('unknown fileid → 10005 (X-Standin-Rc), empty fileid → 10000', async () => {
    expect((await lib.getMediaData(sdk, '', 'nope', '', '', 5)).rc).toBe(10005);
    expect((await lib.getMediaData(sdk, '', '', '', '', 5)).rc).toBe(10000);
  });

  it('a fault rc on media returns that code', async () => {
    archive.media.set('file-2', Buffer.from('x'));
    archive.faults.media.push('rc=10010');
    expect((await lib.getMediaData(sdk, '', 'file-2', '', '', 5)).rc).toBe(10010);
  });
});
