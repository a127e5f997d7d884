import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../../src/archive/parser/index.ts';
import { archiveExtension, standinDecrypt, type ArchiveExtensionFactory } from '../../src/sandbox/archive/index.ts';
import type { SandboxArchive } from '../../src/sandbox/archive/archive.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { archiveToken, callApi, chatdata, media, postJson, rsaUnwrap } from './helpers.ts';

const NOW = new Date('2025-03-01T12:00:00Z');

let sandbox: Sandbox;
let factory: ArchiveExtensionFactory;
let archive: SandboxArchive;

beforeAll(async () => {
  factory = archiveExtension();
  sandbox = await startSandbox({ seed: 7, now: NOW, extensions: [factory] });
  archive = factory.instance!.archive;
});
afterAll(() => sandbox?.close());

describe('POST /__finance/chatdata', () => {
  it('pages with an exclusive seq cursor, starting at the window for an old cursor', async () => {
    const { first, last } = archive.window();
    expect(first).toBeGreaterThan(0);
    const head = await chatdata(sandbox, 0, 3);
    expect(head.errcode).toBe(0);
    expect(head.chatdata!.map((m) => m.seq)).toEqual([first + 1, first + 2, first + 3]);
    const next = await chatdata(sandbox, first + 10, 5);
    expect(next.chatdata!.map((m) => m.seq)).toEqual([11, 12, 13, 14, 15].map((k) => first + k));

    let cursor = 0;
    let pulled = 0;
    for (;;) {
      const page = await chatdata(sandbox, cursor, 1000);
      expect(page.chatdata!.length).toBeLessThanOrEqual(1000);
      if (page.chatdata!.length === 0) break;
      pulled += page.chatdata!.length;
      cursor = page.chatdata!.at(-1)!.seq;
    }
    expect(cursor).toBe(last + 1);
    expect(pulled).toBe(last - first + 1);
    expect(sandbox.summary().messages).toBe(pulled);
  });

  it('refuses limits beyond 1..1000 and credentials other than the archive secret', async () => {
    expect((await chatdata(sandbox, 0, 1001)).errcode).toBe(40058);
    expect((await chatdata(sandbox, 0, 0)).errcode).toBe(40058);
    expect((await chatdata(sandbox, 'x', 1)).errcode).toBe(40058);
    expect((await chatdata(sandbox, 0, 1, { secret: sandbox.secrets.app })).errcode).toBe(48002);
    expect((await chatdata(sandbox, 0, 1, { secret: 'not-a-secret' })).errcode).toBe(40001);
    expect((await chatdata(sandbox, 0, 1, { corpid: 'ww0000000000000000' })).errcode).toBe(40013);
  });

  it('seals each message under the key version of its time, decryptable like WeCom data', async () => {
    const { first, last } = archive.window();
    const keys = factory.instance!.archive.keys;
    const seen = new Set<number>();
    for (const seq of [first + 1, Math.floor((first + last) / 2), last + 1]) {
      const [item] = (await chatdata(sandbox, seq - 1, 1)).chatdata!;
      seen.add(item.publickey_ver);
      expect(Buffer.from(item.encrypt_random_key, 'base64').length).toBe(256);
      const key = rsaUnwrap(keys.get(item.publickey_ver)!.privateKeyPem, item.encrypt_random_key);
      expect(key).toMatch(/^[\x21-\x7e]{88}$/);
      const { marker, body } = standinDecrypt(key, item.encrypt_chat_msg);
      expect(marker).toBe('WWSB');
      expect(body.toString('utf8')).toBe(archive.generator.message(seq - 1).plaintext);
      const other = keys.get(item.publickey_ver === 1 ? 2 : 1)!;
      expect(() => rsaUnwrap(other.privateKeyPem, item.encrypt_random_key)).toThrow();
    }
    expect([...seen].sort()).toEqual([1, 2]);
  });
});

describe('faults', () => {
  /** The stand-in marker of a message as pulled: WWSB, WWSC, WWSH, or WWSE with its 5 digits. */
  const markerOf = async (seq: number) => {
    const [item] = (await chatdata(sandbox, seq - 1, 1)).chatdata!;
    const key = rsaUnwrap(archive.keys.get(item.publickey_ver)!.privateKeyPem, item.encrypt_random_key);
    const { marker, body } = standinDecrypt(key, item.encrypt_chat_msg);
    return marker === 'WWSE' ? `${marker}${body.toString('latin1', 0, 5)}` : marker;
  };

  it('marks a chosen message crash, hang or return code while the fault is on', async () => {
    const seq = archive.window().first + 20;
    const msgid = archive.generator.message(seq - 1).msgid;
    factory.faults.onMessage({ seq }, { kind: 'crash' });
    expect(await markerOf(seq)).toBe('WWSC');
    expect(await markerOf(seq + 1)).toBe('WWSB');
    factory.faults.onMessage({ seq }, 'off');
    factory.faults.onMessage({ msgid }, { kind: 'hang' });
    expect(await markerOf(seq)).toBe('WWSH');
    factory.faults.onMessage({ msgid }, { kind: 'rc', code: 10008 });
    expect(await markerOf(seq)).toBe('WWSE10008');
    factory.faults.clear();
    expect(await markerOf(seq)).toBe('WWSB');
  });

  it('switches faults through POST /__sandbox/archive/faults, for messages and for the next N calls', async () => {
    const seq = archive.window().first + 30;
    let answer = await postJson(sandbox, '/__sandbox/archive/faults', { message: { seq: String(seq), fault: 'rc=10002' }, route: { route: 'chatdata', fault: 'hang', times: 2 } });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { faults: { routes: unknown } }).faults.routes).toEqual([{ route: 'chatdata', fault: 'hang', remaining: 2 }]);
    for (let call = 0; call < 2; call++) {
      const response = await postJson(sandbox, '/__finance/chatdata', { corpid: sandbox.corpId, secret: sandbox.secrets.archive, seq: '0', limit: 1 });
      expect(response.headers.get('x-standin-fault')).toBe('hang');
      expect(await response.text()).toBe('');
    }
    expect(await markerOf(seq)).toBe('WWSE10002');
    await postJson(sandbox, '/__sandbox/archive/faults', { route: { route: 'media', fault: 'rc=10001' } });
    expect((await media(sandbox, 'anything', '')).headers.get('x-standin-fault')).toBe('rc=10001');
    expect((await media(sandbox, 'anything', '')).headers.get('x-standin-fault')).toBeNull();
    answer = await postJson(sandbox, '/__sandbox/archive/faults', { message: { fault: 'explode' } });
    expect(answer.status).toBe(400);
    await postJson(sandbox, '/__sandbox/archive/faults', { clear: true });
    expect(((await (await fetch(`${sandbox.url}/__sandbox/archive/faults`)).json()) as { faults: unknown }).faults).toEqual({ messages: [], routes: [] });
    expect(await markerOf(seq)).toBe('WWSB');
  });
});

describe('POST /__finance/media', () => {
  const findMedia = (from: number, to: number, minSize: number) => {
    for (let i = from; i <= to; i++) {
      const item = archive.generator.message(i).media.find((m) => m.size >= minSize);
      if (item) return item;
    }
    throw new Error('no such media in range');
  };

  it('serves a file in chunks of at most 512 KB, continued by indexbuf, matching its md5', async () => {
    const { first, last } = archive.window();
    const item = findMedia(first, last, 600 * 1024);
    const chunks: Buffer[] = [];
    let indexbuf = '';
    for (;;) {
      const response = await media(sandbox, item.sdkfileid, indexbuf);
      expect(response.headers.get('x-standin-rc')).toBeNull();
      const chunk = Buffer.from(await response.arrayBuffer());
      expect(chunk.length).toBeLessThanOrEqual(512 * 1024);
      chunks.push(chunk);
      indexbuf = response.headers.get('x-outindexbuf') ?? '';
      if (response.headers.get('x-is-finish') === '1') break;
      expect(chunk.length).toBe(512 * 1024);
      expect(indexbuf).toMatch(/^Range:bytes=\d+-\d+$/);
    }
    expect(chunks.length).toBe(Math.ceil(item.size / (512 * 1024)));
    expect(indexbuf).toBe('');
    expect(createHash('md5').update(Buffer.concat(chunks)).digest('hex')).toBe(item.md5);
  });

  it('answers 10005 for unknown or future files, 10010 for expired ones, 10000 for bad requests', async () => {
    const { first, last } = archive.window();
    const rc = async (response: Promise<Response>) => (await response).headers.get('x-standin-rc');
    const current = findMedia(first, last, 1);
    expect(await rc(media(sandbox, 'Q0FRUTJmYmI0UVVZMA==', ''))).toBe('10005');
    expect(await rc(media(sandbox, findMedia(0, first - 1, 1).sdkfileid, ''))).toBe('10010');
    expect(await rc(media(sandbox, findMedia(last + 1, archive.timeline.count - 1, 1).sdkfileid, ''))).toBe('10005');
    expect(await rc(media(sandbox, current.sdkfileid, 'bytes=0-10'))).toBe('10000');
    expect(await rc(media(sandbox, current.sdkfileid, '', { secret: sandbox.secrets.app }))).toBe('10000');
  });
});

describe('msgaudit endpoints', () => {
  it('lists licensed members only, by licence type', async () => {
    const token = await archiveToken(sandbox);
    const all = (await callApi(sandbox, token, 'msgaudit/get_permit_user_list', {})).ids as string[];
    const licensed = Array.from({ length: sandbox.company.counts.employees }, (_, e) => sandbox.company.employee(e)).filter((m) => m.archiveLicense > 0);
    expect(all.sort()).toEqual(licensed.map((m) => m.userid).sort());
    expect(all.length).toBeLessThan(sandbox.company.counts.employees);
    const type2 = (await callApi(sandbox, token, 'msgaudit/get_permit_user_list', { type: 2 })).ids as string[];
    expect(type2.sort()).toEqual(licensed.filter((m) => m.archiveLicense === 2).map((m) => m.userid).sort());
  });

  it('reports the consent the agree/disagree messages set, and room consent per external member', async () => {
    const token = await archiveToken(sandbox);
    const { last } = archive.window();
    const messages = Array.from({ length: last + 1 }, (_, i) => archive.generator.message(i));
    for (const type of ['agree', 'disagree'] as const) {
      const message = messages.filter((m) => m.msgtype === type).at(-1)!;
      const parsed = JSON.parse(message.plaintext);
      const answer = await callApi(sandbox, token, 'msgaudit/check_single_agree', { info: [{ userid: parsed.tolist[0], exteranalopenid: parsed.from }] });
      expect(answer.errcode).toBe(0);
      expect(answer.agreeinfo).toEqual([{ userid: parsed.tolist[0], exteranalopenid: parsed.from, agree_status: type === 'agree' ? 'Agree' : 'Disagree', status_change_time: Math.floor(message.msgtime / 1000) }]);
    }
    const group = sandbox.company.group(0);
    const room = await callApi(sandbox, token, 'msgaudit/check_room_agree', { roomid: group.chat_id });
    expect((room.agreeinfo as unknown[]).length).toBe(group.memberCustomerIds.length);
    const tooMany = Array.from({ length: 101 }, () => ({ userid: 'a', exteranalopenid: 'b' }));
    expect((await callApi(sandbox, token, 'msgaudit/check_single_agree', { info: tooMany })).errcode).toBe(301060);
  });

  it('describes internal groups (301059 for customer groups) and the robots seen in messages', async () => {
    const token = await archiveToken(sandbox);
    const { first, last } = archive.window();
    // The archive's JSON has raw control characters now and then (archive-sdk.md §4.4): JSON.parse would fail.
    const seen = Array.from({ length: last - first + 1 }, (_, k) => parseJsonLossless(archive.generator.message(first + k).plaintext) as Record<string, string>);
    // A member's message in an internal group (robots post there too, but are no members).
    const internal = seen.find((m) => m.roomid && !m.msgid.endsWith('_external') && !m.from.startsWith('wb'))!;
    const info = await callApi(sandbox, token, 'msgaudit/groupchat/get', { roomid: internal.roomid });
    expect(info.errcode).toBe(0);
    expect((info.members as Array<{ memberid: string }>).map((m) => m.memberid)).toEqual(expect.arrayContaining([internal.from]));
    expect((await callApi(sandbox, token, 'msgaudit/groupchat/get', { roomid: sandbox.company.group(0).chat_id })).errcode).toBe(301059);
    const robot = seen.find((m) => m.from?.startsWith('wb'))!;
    const robotInfo = await callApi(sandbox, token, `msgaudit/get_robot_info?robot_id=${robot.from}`);
    expect(robotInfo).toMatchObject({ errcode: 0, data: { robot_id: robot.from, name: sandbox.company.robotById(robot.from)!.name } });
  });
});

describe('config and clock', () => {
  it('writes the private keys (0600) and points FINANCE_SDK_PATH at the stand-in library', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'archive-config-'));
    try {
      await sandbox.writeConfig(join(dir, 'wecom.env'));
      const lines = (await readFile(join(dir, 'wecom.env'), 'utf8')).split('\n');
      for (const version of [1, 2]) {
        const line = lines.find((l) => l.startsWith(`ARCHIVE_PRIVATE_KEY_${version}=`))!;
        const file = line.slice(line.indexOf('=') + 1);
        expect(file).toBe(join(dir, `sandbox-archive-${sandbox.corpId}-key-v${version}.pem`));
        expect((await stat(file)).mode & 0o777).toBe(0o600);
        expect(await readFile(file, 'utf8')).toBe(archive.keys.get(version)!.privateKeyPem);
      }
      expect(lines).toContainEqual(expect.stringMatching(/^FINANCE_SDK_PATH=\/.+\/native\/build\/libWeWorkFinanceSdk_C\.so$/));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets new messages arrive and old ones leave as the sandbox clock moves', async () => {
    const before = archive.window();
    const head = (await chatdata(sandbox, 0, 1)).chatdata![0].seq;
    sandbox.clock.advance(6 * 3_600_000);
    const after = archive.window();
    expect(after.first).toBeGreaterThan(before.first);
    expect(after.last).toBeGreaterThan(before.last);
    expect((await chatdata(sandbox, 0, 1)).chatdata![0].seq).toBe(after.first + 1);
    expect((await chatdata(sandbox, 0, 1)).chatdata![0].seq).toBeGreaterThan(head);
    const fresh = (await chatdata(sandbox, before.last + 1, 1000)).chatdata!;
    expect(fresh[0].seq).toBe(before.last + 2);
    expect(fresh.at(-1)!.seq).toBe(after.last + 1);
    expect(sandbox.summary().messages).toBe(after.last - after.first + 1);
  });
});
