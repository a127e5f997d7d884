import { msgTypeSpec, SDKFILEID_FIELD, type MsgTypeName } from '../../archive/msgtypes.ts';
import { chatrecord, mixed } from './nested.ts';
import type { Built, PayloadContext, PayloadType } from './payload-types.ts';
import * as words from './vocabulary.ts';
import { HOSTILE_FILE_NAMES, HOSTILE_MESSAGES, hostileAt } from '../hostile.ts';

/**
 * The payload of each message type, in the shapes of archive-sdk.md §4.2. Field names for media
 * (size, md5, file id) come from msgtypes.ts, so generator and parser cannot drift apart. Payloads
 * are plain objects; a bigint value is written as a bare 64-bit integer (meetingid), as WeCom does.
 */

type Builder = (ctx: PayloadContext) => Built;

const KB = 1024;
const seconds = (ms: number) => Math.floor(ms / 1000);

/** A payload's file fields, named as msgtypes.ts declares them for this type. */
export function mediaFields(ctx: PayloadContext, name: MsgTypeName, ext: string, sizeHint: number): Record<string, unknown> {
  const fields = msgTypeSpec(name)?.media;
  if (!fields) throw new Error(`${name} carries no media`);
  const file = ctx.media(name, ext, sizeHint);
  const out: Record<string, unknown> = {};
  if (fields.md5) out[fields.md5] = file.md5sum;
  if (fields.size) out[fields.size] = file.size;
  out[SDKFILEID_FIELD] = file.sdkfileid;
  return out;
}

/** One text message in this many, and one file in this many files' indexes, is hostile (../hostile.ts). */
const HOSTILE_MESSAGE_EVERY = 97;
const HOSTILE_FILE_EVERY = 31;

const AMR_HEADER = 6;
const AMR_BYTES_PER_SECOND = 50 * 32;

const only = (payload: Record<string, unknown>): Built => ({ payload });

function text(ctx: PayloadContext): Built {
  const { rng } = ctx;
  let content = words.chatLine(rng, ctx.voice);
  if (rng.chance(0.04) && ctx.others.length > 0) {
    // Quotes arrive as plain text with a fixed prefix and a line of six dashes (§4.4).
    const quoted = ctx.nameOf(rng.pick(ctx.others));
    content = `${words.QUOTE_PREFIX.zh}\n${quoted}：${words.chatLine(rng, ctx.voice)}\n------\n${content}`;
  }
  // Now and then a raw control character, as production data has (§4.4); the serializer keeps it raw.
  if (rng.chance(0.01)) content = `${content}\u0001`;
  return only({ content: hostileAt(HOSTILE_MESSAGES, ctx.index, HOSTILE_MESSAGE_EVERY) ?? content });
}

function file(ctx: PayloadContext): Built {
  const generated = words.fileName(ctx.rng);
  const filename = hostileAt(HOSTILE_FILE_NAMES, ctx.index, HOSTILE_FILE_EVERY) ?? generated;
  const fileext = filename.slice(filename.lastIndexOf('.') + 1);
  const fields = mediaFields(ctx, 'file', fileext, ctx.rng.between(2 * KB, 2048 * KB));
  // Some integrators see sizes as strings (§4.4 "Size types"); a few messages carry one.
  if (ctx.rng.chance(0.1)) fields.filesize = String(fields.filesize);
  return only({ filename, fileext, ...fields });
}

const BUILDERS: Record<PayloadType, Builder> = {
  text,
  image: (ctx) => only(mediaFields(ctx, 'image', 'jpg', ctx.rng.between(20 * KB, 700 * KB))),
  voice: (ctx) => {
    // The file is AMR-NB at 12.2 kbit/s, 50 frames of 32 bytes a second, so its size gives the
    // duration that play_length states: a player shows and plays exactly that long.
    const seconds = ctx.rng.between(1, 60);
    return only({ ...mediaFields(ctx, 'voice', 'amr', AMR_HEADER + seconds * AMR_BYTES_PER_SECOND), play_length: seconds });
  },
  video: (ctx) => only({ ...mediaFields(ctx, 'video', 'mp4', ctx.rng.between(300 * KB, 3072 * KB)), play_length: ctx.rng.between(3, 120) }),
  card: (ctx) => {
    const who = ctx.rng.pick([ctx.sender, ...ctx.others]);
    return only({ corpname: ctx.corpName, userid: who.id });
  },
  location: (ctx) => only({
    longitude: Number((113 + ctx.rng.next() * 8).toFixed(6)),
    latitude: Number((22 + ctx.rng.next() * 9).toFixed(6)),
    address: ctx.rng.pick(words.ADDRESSES),
    title: ctx.rng.pick(words.PLACES),
    zoom: 15,
  }),
  emotion: (ctx) => {
    const type = ctx.rng.chance(0.7) ? 1 : 2;
    const side = ctx.rng.pick([120, 160, 240]);
    return only({ type, width: side, height: side, ...mediaFields(ctx, 'emotion', type === 1 ? 'gif' : 'png', ctx.rng.between(5 * KB, 150 * KB)) });
  },
  file,
  link: (ctx) => only({
    title: words.fill(ctx.rng.pick(words.LINK_TITLES), ctx.rng),
    description: words.chatLine(ctx.rng, 'toCustomer'),
    link_url: `https://example.com/articles/${ctx.rng.chars('0123456789abcdef', 12)}`,
    image_url: `https://example.com/images/${ctx.rng.chars('0123456789abcdef', 12)}.jpg`,
  }),
  weapp: (ctx) => only({
    title: words.fill('{product}', ctx.rng),
    description: words.chatLine(ctx.rng, 'toCustomer'),
    username: `gh_${ctx.rng.chars('0123456789abcdef', 12)}@app`,
    displayname: ctx.rng.pick(words.WEAPP_NAMES),
  }),
  chatrecord: (ctx) => only(chatrecord(ctx, buildPayload)),
  todo: (ctx) => only({ title: ctx.rng.pick(words.TODO_TITLES), content: words.chatLine(ctx.rng, 'internal') }),
  vote: (ctx) => {
    const start = ctx.rng.chance(0.5);
    return only({
      votetitle: ctx.rng.pick(words.VOTE_TITLES),
      voteitem: ctx.rng.distinct(words.VOTE_ITEMS.length, 3).map((i) => words.VOTE_ITEMS[i]),
      votetype: start ? 101 : 102,
      voteid: ctx.rng.chars('0123456789', 16),
    });
  },
  collect: (ctx) => only({
    room_name: ctx.corpName,
    creator: ctx.nameOf(ctx.sender),
    // A local-time string such as "2019-12-11 11:21:22" (§4.2), in China time.
    create_time: new Date(ctx.msgtime + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '),
    title: '活动报名表',
    details: [
      { id: ctx.rng.between(1, 1e9), ques: '姓名', type: 'Text' },
      { id: ctx.rng.between(1, 1e9), ques: '人数', type: 'Number' },
      { id: ctx.rng.between(1, 1e9), ques: '到达日期', type: 'Date' },
    ],
  }),
  redpacket: (ctx) => only(redpacket(ctx)),
  meeting: (ctx) => {
    const start = seconds(ctx.msgtime) + ctx.rng.between(1, 72) * 3600;
    return only({
      topic: words.fill(ctx.rng.pick(words.MEETING_TOPICS), ctx.rng),
      starttime: start,
      endtime: start + 3600,
      address: ctx.rng.pick(words.PLACES),
      remarks: '请提前准备材料',
      meetingtype: ctx.rng.chance(0.6) ? 101 : 102,
      // Meeting ids are 64-bit: beyond a JS number's precision on purpose.
      meetingid: (1n << 60n) + BigInt(ctx.rng.int(2 ** 31)) * 4093n + BigInt(ctx.rng.int(4093)),
      status: ctx.rng.between(1, 7),
    });
  },
  docmsg: (ctx) => only({
    title: words.fill(ctx.rng.pick(words.DOC_TITLES), ctx.rng),
    link_url: `https://doc.weixin.qq.com/sheet/${ctx.rng.chars('0123456789abcdef', 16)}`,
    doc_creator: ctx.sender.id,
  }),
  markdown: (ctx) => only({
    content: `**今日数据播报**\n> 新增客户：<font color="info">${ctx.rng.between(1, 40)}</font>\n> 成交金额：${ctx.rng.between(1, 900) * 100}元`,
  }),
  news: (ctx) => only({
    item: [{
      title: words.fill(ctx.rng.pick(words.LINK_TITLES), ctx.rng),
      description: words.chatLine(ctx.rng, 'internal'),
      url: `https://example.com/news/${ctx.rng.chars('0123456789', 8)}`,
      picurl: `https://example.com/news/${ctx.rng.chars('0123456789', 8)}.png`,
    }],
  }),
  calendar: (ctx) => {
    const start = seconds(ctx.msgtime) + ctx.rng.between(2, 96) * 3600;
    return only({
      title: words.fill(ctx.rng.pick(words.MEETING_TOPICS), ctx.rng),
      creatorname: ctx.nameOf(ctx.sender),
      attendeename: ctx.others.slice(0, 3).map((m) => ctx.nameOf(m)),
      starttime: start,
      endtime: start + 1800,
      place: ctx.rng.pick(words.PLACES),
      remarks: '',
    });
  },
  mixed: (ctx) => only(mixed(ctx, buildPayload)),
  meeting_voice_call: (ctx) => {
    const end = seconds(ctx.msgtime);
    const fields = mediaFields(ctx, 'meeting_voice_call', 'mp3', ctx.rng.between(100 * KB, 1536 * KB));
    return {
      topLevel: { voiceid: ctx.rng.chars('0123456789abcdef', 32) },
      payload: {
        endtime: end,
        ...fields,
        demofiledata: [{ filename: words.fileName(ctx.rng), demooperator: ctx.sender.id, starttime: end - 900, endtime: end - 600 }],
        sharescreendata: [{ share: ctx.sender.id, starttime: end - 500, endtime: end - 100 }],
      },
    };
  },
  voip_doc_share: (ctx) => {
    const filename = words.fileName(ctx.rng);
    const ext = filename.slice(filename.lastIndexOf('.') + 1);
    return {
      topLevel: { voipid: ctx.rng.chars('0123456789abcdef', 32) },
      payload: { filename, ...mediaFields(ctx, 'voip_doc_share', ext, ctx.rng.between(50 * KB, 1024 * KB)) },
    };
  },
  external_redpacket: (ctx) => only(redpacket(ctx)),
  sphfeed: (ctx) => only({
    feed_type: ctx.rng.pick([2, 4, 9]), sph_name: ctx.rng.pick(words.SPH_NAMES), feed_desc: words.chatLine(ctx.rng, 'toCustomer'),
  }),
  voiptext: (ctx) => only({ callduration: ctx.rng.between(5, 1800), invitetype: ctx.rng.pick([1, 2]) }),
  qydiskfile: (ctx) => only({ filename: words.fileName(ctx.rng) }),
  // WeCom lists these without a layout (§4.2 last row); the shapes are third-party guesses.
  meeting_notification: (ctx) => only({ meetingid: ctx.rng.chars('0123456789', 12), notification_type: 1, content: '会议已开始' }),
  solitaire: (ctx) => only({
    title: '周五团建接龙',
    details: [1, 2, 3].map((id) => ({ id, content: `${id}. ${ctx.nameOf(ctx.rng.pick([ctx.sender, ...ctx.others]))}` })),
  }),
  note: (ctx) => only({ items: [{ type: 'text', content: words.chatLine(ctx.rng, 'internal') }] }),
};

function redpacket(ctx: PayloadContext): Record<string, unknown> {
  const count = ctx.rng.between(1, 10);
  const type = count === 1 ? 1 : ctx.rng.pick([2, 3]);
  return { type, wish: ctx.rng.pick(words.WISHES), totalcnt: count, totalamount: ctx.rng.between(1, 200) * 100 };
}

export function buildPayload(type: PayloadType, ctx: PayloadContext): Built {
  return BUILDERS[type](ctx);
}
