import { MSGTYPES, type MsgTypeName } from '../../archive/msgtypes.ts';
import type { Built, PayloadContext, PayloadType } from './payload-types.ts';
import { toWeComJson } from './serialize.ts';

/**
 * chatrecord and mixed: messages made of other messages, each item's payload a JSON *string* in its
 * `content` (archive-sdk.md §4.2). A forwarded chat history can itself hold a mixed message, so files
 * sit up to two levels deep.
 */

type Build = (type: PayloadType, ctx: PayloadContext) => Built;

/** Every type a chat history can hold, by its item name (ChatRecordText …), from msgtypes.ts. */
const CHATRECORD_TYPES = MSGTYPES.filter((spec) => 'chatrecordItem' in spec).map((spec) => spec.name as PayloadType);
const CHATRECORD_ITEM = new Map<string, string>(
  MSGTYPES.flatMap((spec) => ('chatrecordItem' in spec ? [[spec.name, spec.chatrecordItem] as const] : [])),
);
const EVERYDAY_RECORD: PayloadType[] = ['text', 'text', 'text', 'image', 'file', 'link'];

/** What a mixed message holds: text with pictures and stickers, sometimes a file or a clip (LinkWeChat walks these). */
const MIXED_TYPES: PayloadType[] = ['text', 'image', 'emotion', 'voice', 'video', 'file'];
const EVERYDAY_MIXED: PayloadType[] = ['text', 'image', 'text', 'emotion'];

export function chatrecord(ctx: PayloadContext, build: Build): Record<string, unknown> {
  const types = ctx.showcase ? CHATRECORD_TYPES : Array.from({ length: ctx.rng.between(2, 5) }, () => ctx.rng.pick(EVERYDAY_RECORD));
  const fromGroup = ctx.rng.chance(0.3);
  const people = [ctx.sender, ...ctx.others];
  const item = types.map((type, position) => {
    const speaker = ctx.rng.pick(people);
    const inner = build(type, { ...ctx, sender: speaker, showcase: false, msgtime: ctx.msgtime - (types.length - position) * 60_000 });
    return {
      type: CHATRECORD_ITEM.get(type),
      msgtime: Math.floor(ctx.msgtime / 1000) - (types.length - position) * 60,
      content: toWeComJson(inner.payload),
      from_chatroom: fromGroup,
    };
  });
  const title = fromGroup ? '群聊的聊天记录' : `${ctx.nameOf(people[0])}和${ctx.nameOf(people[people.length > 1 ? 1 : 0])}的聊天记录`;
  return { title, item };
}

export function mixed(ctx: PayloadContext, build: Build): Record<string, unknown> {
  const types = ctx.showcase ? MIXED_TYPES : EVERYDAY_MIXED.slice(0, ctx.rng.between(2, 4));
  const item = types.map((type) => ({ type: type as MsgTypeName, content: toWeComJson(build(type, { ...ctx, showcase: false }).payload) }));
  return { item };
}
