import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/archive/keys/keyring.ts';
import { ArchiveApiError, FinanceSdkError, SdkHostError } from '../../src/archive/sdk/errors.ts';
import { SdkPool, type SdkPoolOptions } from '../../src/archive/sdk/pool.ts';
import type { ChatDataEnvelope } from '../../src/archive/sdk/protocol.ts';
import { ensureStandinSdk } from '../../src/archive/sdk/standin-path.ts';
import { UserError } from '../../src/util/errors.ts';
import { WecomApiError } from '../../src/wecom/errors.ts';
import { CHUNK, newEncryptKey, startFakeArchive, testKey, type FakeArchive, type StoredMessage } from './fake-archive.ts';

// The SDK host processes against the stand-in library and a fake archive server. Crashes and hangs
// are real (SIGSEGV, a sleeping native call): they happen in the hosts, never in this process.

const keys = [testKey(1), testKey(2)];
const stranger = testKey(1);
let archive: FakeArchive;
let libraryPath: string;
const pools: SdkPool[] = [];

beforeAll(async () => {
  libraryPath = ensureStandinSdk();
  archive = await startFakeArchive(keys);
});
afterAll(() => archive?.close());
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  archive.messages.length = 0;
  archive.faults.chatdata.length = 0;
  archive.faults.media.length = 0;
});

async function startPool(options: Partial<SdkPoolOptions> = {}): Promise<SdkPool> {
  const pool = await SdkPool.start({
    libraryPath, corpId: archive.corpId, secret: archive.secret, apiBase: archive.url,
    keys: KeyRing.fromKeys(keys.map((k) => [k.version, k.privateKey])), hosts: 2, ...options,
  });
  pools.push(pool);
  return pool;
}

let nextSeq = 1n;
function message(extra: Partial<StoredMessage> = {}): StoredMessage {
  const seq = nextSeq++;
  const m = { seq, msgid: `msg-${seq}`, publickeyVer: 1, encryptKey: newEncryptKey(), json: JSON.stringify({ msgid: `msg-${seq}`, text: '内容' }), ...extra };
  archive.messages.push(m);
  return m;
}

async function pullAll(pool: SdkPool): Promise<ChatDataEnvelope[]> {
  return pool.pull(0n, 1000);
}

describe('pull and decrypt', () => {
  it('pulls envelopes (bigint seq) and decrypts them on several host processes', async () => {
    const sent = Array.from({ length: 300 }, (_, i) => message({ publickeyVer: (i % 2) + 1 }));
    sent.push(message({ seq: 2n ** 63n + 7n, msgid: 'msg-big' }));
    const pool = await startPool();
    const envelopes = await pullAll(pool);
    expect(envelopes.map((e) => e.msgid)).toEqual(sent.map((m) => m.msgid));
    expect(envelopes.at(-1)!.seq).toBe(2n ** 63n + 7n);
    const results = await pool.decryptEnvelopes(envelopes);
    expect(results).toEqual(sent.map((m) => ({ ok: true, msgid: m.msgid, json: m.json })));
    expect(Object.keys(pool.stats().batchesByPid).length).toBe(2);
  });

  it('reports a missing key version and a key that does not fit', async () => {
    message({ msgid: 'no-key', publickeyVer: 9, wrapWith: stranger.publicKey });
    message({ msgid: 'wrong-key', wrapWith: stranger.publicKey });
    const good = message();
    const pool = await startPool({ keys: KeyRing.fromKeys([[1, keys[0].privateKey]]) });
    const results = await pool.decryptEnvelopes(await pullAll(pool));
    expect(results).toEqual([
      { ok: false, msgid: 'no-key', kind: 'error', reason: 'no-key', publickeyVer: 9 },
      { ok: false, msgid: 'wrong-key', kind: 'error', reason: 'unwrap', publickeyVer: 1 },
      { ok: true, msgid: good.msgid, json: good.json },
    ]);
  });

  it('decrypt() takes an unwrapped key; DecryptData codes come back as results', async () => {
    const pool = await startPool({ hosts: 1 });
    const m = message();
    const [envelope] = await pullAll(pool);
    const ring = KeyRing.fromKeys([[1, keys[0].privateKey]]);
    const plain = ring.unwrap(1, envelope.encryptRandomKey);
    expect(await pool.decrypt(plain, envelope.encryptChatMsg, m.msgid)).toEqual({ ok: true, msgid: m.msgid, json: m.json });
    expect(await pool.decrypt(newEncryptKey(), envelope.encryptChatMsg, m.msgid))
      .toEqual({ ok: false, msgid: m.msgid, kind: 'error', reason: 'sdk', code: 10006, retryable: false });
    message({ msgid: 'rc', marker: 'WWSE10001' });
    const [, rc] = await pool.decryptEnvelopes(await pullAll(pool));
    expect(rc).toEqual({ ok: false, msgid: 'rc', kind: 'error', reason: 'sdk', code: 10001, retryable: true });
  });
});

describe('crashes and hangs', () => {
  it('quarantines a message that crashed the host 3 times and decrypts the rest', async () => {
    const before = Array.from({ length: 20 }, () => message());
    message({ msgid: 'crasher', marker: 'WWSC' });
    const after = Array.from({ length: 20 }, () => message());
    // One host, so every crash is followed by a restart on the same supervised host.
    const pool = await startPool({ hosts: 1 });
    const results = await pool.decryptEnvelopes(await pullAll(pool));
    expect(results.find((r) => r.msgid === 'crasher')).toEqual({ ok: false, msgid: 'crasher', kind: 'quarantined', attempts: 3, cause: 'crash' });
    expect(results.filter((r) => r.ok).map((r) => r.msgid)).toEqual([...before, ...after].map((m) => m.msgid));
    expect(pool.stats().crashes).toBe(3);
    // The pool carries on with fresh hosts.
    archive.messages.length = 0;
    const m = message();
    expect(await pool.decryptEnvelopes(await pool.pull(m.seq - 1n, 10))).toEqual([{ ok: true, msgid: m.msgid, json: m.json }]);
    expect(pool.stats().restarts).toBe(3);
  });

  it('kills a host whose decryption hangs, and quarantines that message', async () => {
    const others = Array.from({ length: 5 }, () => message());
    message({ msgid: 'hanger', marker: 'WWSH' });
    const pool = await startPool({ timeoutMs: 1000 });
    const results = await pool.decryptEnvelopes(await pullAll(pool));
    expect(results.find((r) => r.msgid === 'hanger')).toEqual({ ok: false, msgid: 'hanger', kind: 'quarantined', attempts: 3, cause: 'timeout' });
    expect(results.filter((r) => r.ok).map((r) => r.msgid)).toEqual(others.map((m) => m.msgid));
    expect(pool.stats().timeouts).toBe(3);
  });

  it('retries a pull whose host crashed or hung, on a fresh host', async () => {
    const m = message();
    const pool = await startPool({ hosts: 1, timeoutMs: 1200 });
    archive.faults.chatdata.push('crash');
    expect((await pullAll(pool)).map((e) => e.msgid)).toEqual([m.msgid]);
    archive.faults.chatdata.push('hang');
    expect((await pullAll(pool)).map((e) => e.msgid)).toEqual([m.msgid]);
    expect(pool.stats()).toMatchObject({ crashes: 1, timeouts: 1 });
  });

  it('gives up on a pull that crashes every time', async () => {
    const pool = await startPool({ hosts: 1, retries: 1 });
    archive.faults.chatdata.push('crash', 'crash');
    const err = await pullAll(pool).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdkHostError);
    expect((err as SdkHostError).failure).toBe('crash');
    expect(pool.stats().crashes).toBe(2);
  });
});

describe('errors', () => {
  it('surfaces return codes and inner errcodes as typed errors', async () => {
    const pool = await startPool({ hosts: 1 });
    archive.faults.chatdata.push('rc=10009');
    await expect(pullAll(pool)).rejects.toMatchObject({ rc: 10009, operation: 'pull', retryable: false });
    await expect(pool.pull(0n, 1001)).rejects.toBeInstanceOf(FinanceSdkError);
    await expect(pool.pull(0n, 1001)).rejects.toMatchObject({ rc: 10000 });
    await expect(pool.mediaChunk('unknown')).rejects.toMatchObject({ rc: 10005, operation: 'media' });

    const wrongSecret = await startPool({ hosts: 1, secret: 'not-the-archive-secret' });
    const err = await pullAll(wrongSecret).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveApiError);
    expect(err).toBeInstanceOf(WecomApiError);
    expect((err as ArchiveApiError).errcode).toBe(40001);
  });

  it('fails to start with a clear error when the library is missing or broken', async () => {
    const base = { corpId: archive.corpId, secret: archive.secret, apiBase: archive.url, hosts: 1 };
    const missing = await SdkPool.start({ ...base, libraryPath: '/nonexistent/libWeWorkFinanceSdk_C.so' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UserError);
    expect((missing as UserError).code).toBe('archive_sdk_library_missing');
    const notElf = join(tmpdir(), `not-a-library-${process.pid}.so`);
    writeFileSync(notElf, 'not an ELF file');
    const broken = await SdkPool.start({ ...base, libraryPath: notElf }).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(SdkHostError);
    expect((broken as SdkHostError).failure).toBe('start');
    await expect(SdkPool.start({ ...base, libraryPath, corpId: '' })).rejects.toMatchObject({ rc: 10000, operation: 'init' });
  });
});

describe('media', () => {
  it('downloads a multi-chunk file byte for byte, retrying a crashed chunk', async () => {
    const file = randomBytes(CHUNK * 2 + 777);
    archive.media.set('sdkfile-1', file);
    const pool = await startPool({ hosts: 1 });
    archive.faults.media.push('crash');
    const parts: Buffer[] = [];
    for await (const part of pool.media('sdkfile-1')) parts.push(part);
    expect(parts.map((p) => p.length)).toEqual([CHUNK, CHUNK, 777]);
    const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(hash(Buffer.concat(parts))).toBe(hash(file));
    expect(pool.stats().crashes).toBe(1);
  });
});
