import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { MSGTYPES, msgTypeSpec } from '../../src/archive/msgtypes.ts';
import { parseMessage, type ParsedMessage } from '../../src/archive/parser/index.ts';
import { generateCompany } from '../../src/sandbox/company/index.ts';
import type { CompanyView } from '../../src/sandbox/company/view.ts';
import { ArchiveGenerator, type GeneratedMessage } from '../../src/sandbox/archive/generator.ts';
import { mediaFile } from '../../src/sandbox/archive/media.ts';
import { DAY_MS, Timeline } from '../../src/sandbox/archive/timeline.ts';

const END = Date.parse('2025-03-02T00:00:00Z');
const COUNT = 4200;

function generator(company: CompanyView, seed = company.seed): ArchiveGenerator {
  return new ArchiveGenerator(company, new Timeline({ seed, count: COUNT, end: END, spanMs: 7 * DAY_MS }), seed);
}

/** Every message of the archive, generated and parsed once for the whole file. */
let company: CompanyView;
let archive: ArchiveGenerator;
let messages: GeneratedMessage[];
let parsed: ParsedMessage[];

beforeAll(() => {
  company = generateCompany(7, 'small');
  archive = generator(company);
  messages = Array.from({ length: COUNT }, (_, i) => archive.message(i));
  parsed = messages.map((m) => parseMessage(m.plaintext, { seq: m.seq, msgid: m.msgid }));
});

describe('archive generator', () => {
  it('derives every message from (seed, index): a second generator yields identical plaintexts', () => {
    const again = generator(generateCompany(7, 'small'));
    const digest = (list: string[]) => createHash('sha256').update(list.join('\n')).digest('hex');
    const order = [4199, 0, 2077, 13, 3000];
    expect(order.map((i) => again.message(i).plaintext)).toEqual(order.map((i) => messages[i].plaintext));
    expect(digest(Array.from({ length: COUNT }, (_, i) => again.message(i).plaintext))).toBe(digest(messages.map((m) => m.plaintext)));
    const other = generator(generateCompany(8, 'small'));
    expect(other.message(100).plaintext).not.toBe(messages[100].plaintext);
  });

  it('numbers messages seq = index + 1 with unique msgids and strictly increasing times', () => {
    expect(new Set(messages.map((m) => m.msgid)).size).toBe(COUNT);
    messages.forEach((m, i) => {
      expect(m.seq).toBe(i + 1);
      if (i > 0) expect(m.msgtime).toBeGreaterThan(messages[i - 1].msgtime);
      expect(parsed[i].msgtime).toBe(m.msgtime);
    });
  });

  for (const [label, now] of [['late in the day', END - 60_000], ['just after midnight', END - DAY_MS + 60_000]] as const) {
    it(`holds every msgtype, nested ones included, inside the 5-day window (seed 7, small, ${label})`, () => {
      const { first, last } = archive.timeline.window(now);
      const types = new Set<string>();
      const recordItems = new Set<string>();
      const mixedItems = new Set<string>();
      for (let i = first; i <= last; i++) {
        types.add(parsed[i].msgtype);
        const raw = JSON.parse(parsed[i].raw);
        for (const item of raw.chatrecord?.item ?? []) {
          recordItems.add(item.type);
          if (item.type === 'ChatRecordMixed') for (const inner of JSON.parse(item.content).item) mixedItems.add(`nested:${inner.type}`);
        }
        for (const item of raw.mixed?.item ?? []) mixedItems.add(item.type);
      }
      expect([...types].sort()).toEqual(MSGTYPES.map((s) => s.name).sort());
      const recordable = MSGTYPES.flatMap((s) => ('chatrecordItem' in s ? [s.chatrecordItem] : []));
      expect([...recordItems].sort()).toEqual([...recordable].sort());
      for (const type of ['text', 'image', 'emotion', 'voice', 'video', 'file', 'nested:text', 'nested:image']) expect(mixedItems).toContain(type);
    });
  }

  it('parses back completely: documented types ok, guessed layouts flagged, media and text found', () => {
    parsed.forEach((record, i) => {
      const spec = msgTypeSpec(record.msgtype)!;
      expect(spec, record.msgtype).toBeDefined();
      expect(record.parse).toBe(spec.documented ? 'ok' : 'undocumented');
      expect(record.msgid).toBe(messages[i].msgid);
      // Same files in the same (depth-first) order; md5 and size wherever the type declares them.
      expect(record.media.map((m) => m.sdkfileid)).toEqual(messages[i].media.map((g) => g.sdkfileid));
      record.media.forEach((m, k) => {
        if (m.md5sum !== null) expect(m.md5sum).toBe(messages[i].media[k].md5);
        if (m.size !== null) expect(m.size).toBe(messages[i].media[k].size);
      });
      if (['text', 'file', 'link', 'chatrecord', 'qydiskfile'].includes(record.msgtype)) expect(record.text).not.toBe('');
    });
  });

  it('recalls the sender\'s own previous message of the same conversation', () => {
    const revokes = parsed.filter((r) => r.msgtype === 'revoke');
    expect(revokes.length).toBeGreaterThan(5);
    for (const revoke of revokes) {
      const target = parsed[Number(revoke.seq) - 2];
      expect(revoke.action).toBe('recall');
      expect(revoke.recalls).toBe(target.msgid);
      expect(revoke.conversationId).toBe(target.conversationId);
      expect(revoke.sender).toEqual(target.sender);
      expect(['revoke', 'agree', 'disagree', 'switch', 'markdown', 'news']).not.toContain(target.msgtype);
    }
  });

  it('marks messages with customers `_external`, and only those', () => {
    for (const record of parsed) {
      if (record.msgtype === 'switch') continue;
      const customerInvolved = [record.sender!, ...record.receivers].some((p) => p.kind === 'customer');
      expect(record.msgid.endsWith('_external'), record.msgid).toBe(customerInvolved);
    }
  });

  it('archives only conversations with a licensed member, and robots only post markdown and news', () => {
    const licensed = (id: string) => (company.employeeByUserid(id)?.archiveLicense ?? 0) > 0;
    for (const record of parsed) {
      if (record.roomid || record.msgtype === 'switch') continue;
      expect([record.sender!, ...record.receivers].some((p) => p.kind === 'employee' && licensed(p.id))).toBe(true);
    }
    const robotPosts = parsed.filter((r) => r.sender?.kind === 'robot');
    expect(robotPosts.length).toBeGreaterThan(0);
    for (const post of robotPosts) {
      expect(['markdown', 'news']).toContain(post.msgtype);
      expect(company.robotById(post.sender!.id)).toBeDefined();
      expect(post.roomid).toBeTruthy();
    }
  });

  it('keeps consent consistent: agree/disagree messages set the status, and no refused chat is archived', () => {
    const index = (id: string) => company.employeeByUserid(id)?.index ?? -1;
    const consentMessages = parsed.filter((r) => r.consent);
    expect(consentMessages.map((r) => r.consent!.kind)).toEqual(expect.arrayContaining(['agree', 'disagree']));
    for (const record of consentMessages) {
      const employee = index(record.receivers[0].id);
      const customer = company.customerByExternalUserid(record.consent!.userid)!.index;
      const status = archive.consent.status(employee, customer, Number(record.seq) - 1);
      expect(status).toEqual({ agree: record.consent!.kind === 'agree', changedAt: record.msgtime, fromArchive: true });
      expect(record.consent!.time).toBe(record.msgtime);
    }
    for (const record of parsed) {
      if (record.roomid || record.consent || record.msgtype === 'switch') continue;
      const people = [record.sender!, ...record.receivers];
      const customer = people.find((p) => p.kind === 'customer');
      const employee = people.find((p) => p.kind === 'employee');
      if (!customer || !employee) continue;
      const status = archive.consent.status(index(employee.id), company.customerByExternalUserid(customer.id)!.index, Number(record.seq) - 1);
      expect(status.agree).toBe(true);
    }
  });

  it('declares sizes and md5s that match the bytes served, and ids that only this seed accepts', () => {
    const withMedia = messages.filter((m) => m.media.length > 0).slice(0, 40);
    for (const message of withMedia) {
      for (const item of message.media) {
        const bytes = archive.media.bytes({ index: message.index, ordinal: item.ordinal, msgtype: item.msgtype, ext: item.ext, sizeHint: item.sizeHint });
        expect(bytes.length).toBe(item.size);
        expect(createHash('md5').update(bytes).digest('hex')).toBe(item.md5);
        expect(archive.media.decode(item.sdkfileid)).toEqual({ index: message.index, ordinal: item.ordinal });
      }
    }
    const id = withMedia[0].media[0].sdkfileid;
    const tampered = Buffer.from(id, 'base64');
    tampered[5] ^= 1;
    expect(archive.media.decode(tampered.toString('base64'))).toBeUndefined();
    expect(generator(generateCompany(8, 'small')).media.decode(id)).toBeUndefined();
    expect(messages.some((m) => m.media.some((g) => g.size > 512 * 1024))).toBe(true);
  });

  it('makes each voice file real AMR-NB 12.2 kbit/s that lasts exactly the play_length its message states', () => {
    const voices = messages.filter((m) => m.msgtype === 'voice').slice(0, 40);
    expect(voices.length).toBeGreaterThan(5);
    for (const message of voices) {
      const stated = (JSON.parse(message.plaintext) as { voice: { play_length: number } }).voice.play_length;
      const [file] = message.media;
      const bytes = mediaFile({ seed: 7, index: message.index, ordinal: 0, msgtype: 'voice', ext: 'amr', sizeHint: file.sizeHint }).bytes();
      expect(bytes.length).toBe(file.size);
      expect(bytes.toString('latin1', 0, 6)).toBe('#!AMR\n');
      // Every frame: header byte 0x3C (mode 7, 12.2 kbit/s, quality bit set), 32 bytes, 20 ms.
      const frames = (bytes.length - 6) / 32;
      expect(Number.isInteger(frames)).toBe(true);
      for (let f = 0; f < frames; f++) expect(bytes[6 + f * 32]).toBe(0x3c);
      // A one-second clip carries the sample's own 50 frames and its unique one: 20 ms over.
      expect(Math.abs(frames * 20 - stated * 1000)).toBeLessThanOrEqual(20);
    }
  });

  it('computes md5 the fast way exactly as hashing the bytes would, at every size', () => {
    for (const sizeHint of [0, 40, 16 * 1024 - 7, 16 * 1024 + 50, 700_000, 5_000_000]) {
      const file = mediaFile({ seed: 1, index: 2, ordinal: 3, msgtype: 'image', ext: 'jpg', sizeHint });
      const bytes = file.bytes();
      expect(bytes.length).toBe(file.size);
      expect(createHash('md5').update(bytes).digest('hex')).toBe(file.md5);
      expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    }
  });

  it('makes a large archive of over a million messages without holding them', () => {
    const large = generateCompany(7, 'large');
    const big = new ArchiveGenerator(large, new Timeline({ seed: 7, count: 1_200_000, end: END, spanMs: 7 * DAY_MS }), 7);
    expect(big.count).toBeGreaterThanOrEqual(1_000_000);
    const last = big.message(big.count - 1);
    expect(last.seq).toBe(1_200_000);
    expect(last.msgtime).toBeLessThan(END);
    // Any message, in any order, is the same whenever it is asked for.
    const middle = big.message(654_321).plaintext;
    big.message(3);
    expect(big.message(654_321).plaintext).toBe(middle);
    expect(parseMessage(middle, { seq: 654_322 }).parse).not.toBe('malformed');
  });
});
