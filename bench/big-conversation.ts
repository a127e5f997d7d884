/**
 * One busy group chat of exactly 10,000 messages in the search bench's store, for the UI bench's
 * first page of a long conversation (issue 11). The generator spreads its blocks over ~100,000
 * conversations, so at 1M messages the largest holds 1,366 (a robot's home group, mostly its posts)
 * and the next ~440: nothing that long exists otherwise.
 *
 * The messages are the generator's own (every everyday type, media, recalls), taken in order and
 * re-addressed to one internal group of 50 licensed employees, spread evenly over the archive's 90
 * days, then sealed and prepared exactly as the rest (search-messages.ts). They come after the
 * generated archive in seq (writePage only appends to the hash chain), so their rows sit together at
 * the end of the table instead of among their neighbours in time: a real group's page reads rows
 * scattered through the file. With rows about a page each and the store in the page cache, that
 * costs a first page a few hundred microseconds at most; the bench names it beside its figures.
 */
import type { Kysely } from 'kysely';
import { prepareMessage, type PreparedMessage } from '../src/archive/ingest/records.ts';
import { writePage } from '../src/archive/ingest/write-page.ts';
import { sealMessage } from '../src/sandbox/archive/envelope.ts';
import type { GeneratedMessage } from '../src/sandbox/archive/generator.ts';
import { toWeComJson } from '../src/sandbox/archive/serialize.ts';
import { hash32 } from '../src/sandbox/random.ts';
import type { Database } from '../src/store/database.ts';
import { refreshStatistics } from '../src/store/statistics.ts';
import { parseJson } from '../src/wecom/json.ts';
import { PAGE, SEARCH_SEED, source, type Source } from './search-messages.ts';

/** An id shaped like WeCom's room ids (`wr` + 30), recognisable in a list. */
export const BIG_ROOMID = 'wrUiBenchTenThousandMessagesAAA0';
const BIG_NAME = '全员通知群';
const MEMBERS = 50;
/** Types the generator sends only elsewhere: system events, consent, robots, customer red packets. */
const NOT_HERE = new Set(['switch', 'agree', 'disagree', 'markdown', 'news', 'external_redpacket']);
const TIME_STREAM = 0xb16;

/** 10,000; half the store in a small development store (BENCH_MESSAGES below 20,000). */
export function bigConversationSize(count: number): number {
  return Math.min(10_000, Math.floor(count / 2));
}

export interface BigConversation {
  id: string;
  messages: number;
}

/**
 * Writes the group (its archive_rooms row, as a coverage refresh stores it, so it has a name) and
 * its messages after the `count` generated ones, page by page through writePage.
 */
export async function writeBigConversation(db: Kysely<Database>, corpId: string, count: number): Promise<BigConversation> {
  const size = bigConversationSize(count);
  const src = await source(count);
  const members = Array.from({ length: Math.min(MEMBERS, src.generator.cast.licensed.length) }, (_, k) => src.generator.cast.employee(src.generator.cast.licensed[k]!).id);
  await db.insertInto('archive_rooms').values({
    corp_id: corpId, roomid: BIG_ROOMID, room_type: 'internal', name: BIG_NAME, owner: members[0]!, notice: null,
    room_create_time: src.generator.timeline.start - 30 * 86_400_000, members: JSON.stringify(members), fetched_at: Date.now(), error: null,
  }).execute();
  const messages = readdressed(src, count, size, members);
  let stored = 0;
  for (let from = 0; from < size; from += PAGE) {
    const page = messages.slice(from, from + PAGE);
    stored += (await writePage(db, corpId, page, page[page.length - 1]!.envelope.seq)).stored;
    await refreshStatistics(db); // as the puller does after each page
  }
  if (stored !== size) throw new Error(`stored ${stored} of the group's ${size} messages`);
  return { id: BIG_ROOMID, messages: size };
}

/** The group's messages: the generator's everyday ones from the start, each made the group's. */
function readdressed(src: Source, count: number, size: number, members: string[]): PreparedMessage[] {
  const { generator, keys, rotations } = src;
  const gap = Math.floor((generator.timeline.end - generator.timeline.start) / size);
  const out: PreparedMessage[] = [];
  for (let from = 0; out.length < size; from++) {
    if (from >= count) throw new Error(`the archive's ${count} messages hold too few for a ${size}-message group`);
    const original = generator.message(from);
    const k = out.length;
    if (NOT_HERE.has(original.msgtype) || (original.msgtype === 'revoke' && k === 0)) continue;
    // Past the generated archive: its msgid (which embeds the index) and key never collide with one there.
    const index = count + k;
    const msgid = generator.msgid(index, false);
    const msgtime = generator.timeline.start + k * gap + (hash32(SEARCH_SEED, TIME_STREAM, k) % (gap - 1));
    const sender = members[hash32(SEARCH_SEED, TIME_STREAM, k, 1) % members.length]!;
    // The raw U+0001 WeCom leaves in some texts is escaped for the parse; toWeComJson puts it back.
    const body = parseJson(original.plaintext.replace(/\u0001/g, '\\u0001')) as Record<string, unknown>;
    Object.assign(body, { msgid, roomid: BIG_ROOMID, from: sender, tolist: members.filter((m) => m !== sender), msgtime });
    // A recall recalls the group's message before it (the original's target is in another conversation).
    if (original.msgtype === 'revoke') body.revoke = { pre_msgid: out[k - 1]!.envelope.msgid };
    const message: GeneratedMessage = { ...original, index, seq: index + 1, msgid, msgtime, plaintext: toWeComJson(body) };
    const sealed = sealMessage(message, SEARCH_SEED, keys, rotations);
    const envelope = {
      seq: BigInt(sealed.seq), msgid, publickeyVer: sealed.publickey_ver, encryptRandomKey: sealed.encrypt_random_key, encryptChatMsg: sealed.encrypt_chat_msg,
    };
    out.push(prepareMessage(envelope, { ok: true, msgid, json: message.plaintext }));
  }
  return out;
}
