import { tagGroupRecord, groupRecord } from '../sync/map-customers.ts';
import type { KnownEvent } from '../wecom/callback/parse-event.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import { WecomApiError } from '../wecom/errors.ts';
import type { GroupChatStatus } from '../wecom/types-customer.ts';
import { isGone, sweepScope, upsert, type ApplyContext, type PreparedEffect } from './context.ts';
import { followUserEffect } from './customers.ts';

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
  if (event.kind === 'change_external_chat.dismiss') return groupGone(ctx, chatId);
  const effect = await groupEffect(ctx, chatId);
  return effect.change === 'deleted' ? effect
    : { ...effect, change: event.kind === 'change_external_chat.update' ? (event.fields.UpdateDetail ?? 'update') : 'created' };
}

function groupGone(ctx: ApplyContext, chatId: string): PreparedEffect {
  return { change: 'deleted', write: (trx) => sweepScope(ctx, trx, 'customer_groups', { chat_id: chatId }) };
}

/**
 * The group as groupchat/get answers it now (members with names, owner, admins), or marked deleted.
 * groupchat/get does not say the inheritance status: `status` when groupchat/list just said it,
 * else the stored one stays.
 */
async function groupEffect(ctx: ApplyContext, chatId: string, status?: GroupChatStatus): Promise<PreparedEffect> {
  try {
    const answer = await ctx.client.call('externalcontact.groupchatGet', { chat_id: chatId, need_name: 1 });
    return {
      change: 'upserted',
      write: async (trx) => {
        const kept = status ?? (await trx.selectFrom('customer_groups').select('status')
          .where('corp_id', '=', ctx.corpId).where('chat_id', '=', chatId).executeTakeFirst())?.status ?? 0;
        await upsert(ctx, trx, 'customer_groups', [groupRecord(answer, kept as GroupChatStatus)]);
      },
    };
  } catch (err) {
    if (isGone(err, GROUP_GONE)) return groupGone(ctx, chatId);
    throw err;
  }
}

/**
 * The live groups a member owns or is in, read again: a member renamed, re-identified or deleted
 * changes their member lists (names, ids) and, for the groups they own, the inheritance status
 * (a departed owner's groups await a new one), without any change_external_chat event.
 */
export async function groupsOfMemberEffect(ctx: ApplyContext, userid: string): Promise<PreparedEffect> {
  const rows = await ctx.db.selectFrom('customer_groups as g').select('g.chat_id')
    .where('g.corp_id', '=', ctx.corpId).where('g.deleted_at', 'is', null)
    .where((eb) => eb.or([
      eb('g.owner', '=', userid),
      eb.exists(eb.selectFrom('group_members as m').select('m.member_id')
        .whereRef('m.corp_id', '=', 'g.corp_id').whereRef('m.chat_id', '=', 'g.chat_id').where('m.member_id', '=', userid)),
    ]))
    .orderBy('g.chat_id').execute();
  const owned = rows.length > 0 ? await ownedGroups(ctx, userid) : new Map<string, GroupChatStatus>();
  const effects: PreparedEffect[] = [];
  // Only groups the store holds: which groups exist is the groups sync's (and group events') concern.
  for (const row of rows) effects.push(await groupEffect(ctx, row.chat_id, owned.get(row.chat_id)));
  return {
    change: 'groups',
    write: async (trx) => {
      for (const effect of effects) await effect.write(trx);
    },
  };
}

/** The groups a member owns and their status, as the sync lists them (groupchat/list by owner). */
async function ownedGroups(ctx: ApplyContext, userid: string): Promise<Map<string, GroupChatStatus>> {
  const owned = new Map<string, GroupChatStatus>();
  try {
    for await (const item of ctx.client.items('externalcontact.groupchatList', { status_filter: 0, owner_filter: { userid_list: [userid] } }, { limit: 100 })) {
      owned.set(item.chat_id, item.status as GroupChatStatus);
    }
  } catch (err) {
    // An owner WeCom no longer lets us filter by: the stored groups are read again, their status kept.
    if (!(err instanceof WecomApiError && err.retryClass === 'never')) throw err;
  }
  return owned;
}

/**
 * Any tag event re-reads the whole tag library. Deleting a tag (or a tag group) also takes it off
 * every customer relation that carried it, with no change_external_contact event: the relations of
 * the members who tagged a customer with it are read again, a member at a time
 * (batch/get_by_user), as the sync reads them. (Relations keep tag ids only: a rename changes none.)
 */
export async function prepareTags(ctx: ApplyContext, event: TagEvent): Promise<PreparedEffect> {
  const { tag_group } = await ctx.client.call('externalcontact.getCorpTagList', {});
  const groups = tag_group.filter((g) => !g.deleted).map(tagGroupRecord);
  const relations: PreparedEffect[] = [];
  if (event.kind === 'change_external_tag.delete') {
    for (const userid of await membersBearing(ctx, event.fields.Id ?? '', event.fields.TagType === 'tag_group')) {
      relations.push(await followUserEffect(ctx, userid));
    }
  }
  return {
    change: event.kind.slice('change_external_tag.'.length),
    write: async (trx) => {
      await upsert(ctx, trx, 'corp_tag_groups', groups);
      await sweepScope(ctx, trx, 'corp_tag_groups', {}, groups);
      for (const effect of relations) await effect.write(trx);
    },
  };
}

/** The members whose live customer relations carry the tag, or any tag of the tag group. */
async function membersBearing(ctx: ApplyContext, id: string, isGroup: boolean): Promise<string[]> {
  const tagIds = isGroup
    ? (await ctx.db.selectFrom('corp_tags').select('tag_id').where('corp_id', '=', ctx.corpId).where('group_id', '=', id).execute()).map((r) => r.tag_id)
    : [id];
  if (tagIds.length === 0) return [];
  const rows = await ctx.db.selectFrom('follow_relation_tags as t')
    .innerJoin('follow_relations as f', (j) => j.onRef('f.corp_id', '=', 't.corp_id')
      .onRef('f.external_userid', '=', 't.external_userid').onRef('f.userid', '=', 't.userid'))
    .select('t.userid').distinct()
    .where('t.corp_id', '=', ctx.corpId).where('t.tag_id', 'in', tagIds).where('f.deleted_at', 'is', null)
    .orderBy('t.userid').execute();
  return rows.map((r) => r.userid);
}
