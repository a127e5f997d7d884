import { tagGroupRecord, groupRecord } from '../sync/map-customers.ts';
import type { KnownEvent } from '../wecom/callback/parse-event.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import type { GroupChatStatus } from '../wecom/types-customer.ts';
import { isGone, sweepScope, upsert, type ApplyContext, type PreparedEffect } from './context.ts';

/**
 * change_external_chat and change_external_tag (wecom-api.md §5.5, §5.6). A group is read again by
 * id (groupchat/get) whatever UpdateDetail says: members, owner, name and notice all come from the
 * one answer. dismiss marks it deleted. Any tag event re-reads the whole tag library (deleting a
 * group sends no per-tag event), as the sync does.
 */

type ChatEvent = Extract<KnownEvent, { kind: `change_external_chat.${string}` }>;
type TagEvent = Extract<KnownEvent, { kind: `change_external_tag.${string}` }>;

/** groupchat/get answers these for a group that is no longer a customer group we may read. */
const GROUP_GONE = [ERRCODE.NOT_CUSTOMER_GROUP];

export async function prepareGroup(ctx: ApplyContext, event: ChatEvent): Promise<PreparedEffect> {
  const chatId = event.fields.ChatId ?? '';
  const gone: PreparedEffect = { change: 'deleted', write: (trx) => sweepScope(ctx, trx, 'customer_groups', { chat_id: chatId }) };
  if (event.kind === 'change_external_chat.dismiss') return gone;
  try {
    const answer = await ctx.client.call('externalcontact.groupchatGet', { chat_id: chatId, need_name: 1 });
    return {
      change: event.kind === 'change_external_chat.update' ? (event.fields.UpdateDetail ?? 'update') : 'created',
      write: async (trx) => {
        // groupchat/get does not say the inheritance status; groupchat/list did, and it stays.
        const known = await trx.selectFrom('customer_groups').select('status')
          .where('corp_id', '=', ctx.corpId).where('chat_id', '=', chatId).executeTakeFirst();
        await upsert(ctx, trx, 'customer_groups', [groupRecord(answer, (known?.status ?? 0) as GroupChatStatus)]);
      },
    };
  } catch (err) {
    if (isGone(err, GROUP_GONE)) return gone;
    throw err;
  }
}

export async function prepareTags(ctx: ApplyContext, event: TagEvent): Promise<PreparedEffect> {
  const { tag_group } = await ctx.client.call('externalcontact.getCorpTagList', {});
  const groups = tag_group.filter((g) => !g.deleted).map(tagGroupRecord);
  return {
    change: event.kind.slice('change_external_tag.'.length),
    write: async (trx) => {
      await upsert(ctx, trx, 'corp_tag_groups', groups);
      await sweepScope(ctx, trx, 'corp_tag_groups', {}, groups);
    },
  };
}
