import type { RecordInput } from '../store/entities.ts';
import type { MarkMissingOptions } from '../store/records.ts';
import { chunk } from '../store/sql-kit.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import { WecomApiError } from '../wecom/errors.ts';
import type { GroupchatListReq, GroupChatStatus } from '../wecom/types-customer.ts';
import { inFlight, sweep, upsert, type StreamContext } from './context.ts';
import { digest, followUserList, FOLLOW_USERS_PER_CALL } from './customers.ts';
import { runListing, type ListingPage, type ListingSpec } from './listing.ts';
import { groupRecord } from './map-customers.ts';
import { mapLimit } from '../util/parallel.ts';

/**
 * Customer groups (wecom-api.md §3): groupchat/list for the ids, groupchat/get (need_name=1) for
 * each group. One listing of every group while WeCom allows it; once it answers 81017 (more than
 * 1000 follow users in scope) one listing per batch of ≤100 owners, each sweeping only its owners'
 * groups. Groups whose owner is not a follow user cannot be listed that way and are left as they are.
 */

/** Chat ids per groupchat/list page: one page of details is what a kill can cost. */
const GROUPS_PER_PAGE = 100;
/** Owner listings walked at once; their detail calls share the endpoint's cap in the client. */
const OWNER_LISTINGS_AT_ONCE = 2;
const MODE_NOTE = 'group-list';

type GroupScope = MarkMissingOptions<'customer_groups'>['scope'];

export async function syncGroups(ctx: StreamContext): Promise<void> {
  if (ctx.state.note(MODE_NOTE) !== 'owners') {
    try {
      await runListing(ctx, groupListing(ctx, 'all', {}, undefined));
      return;
    } catch (err) {
      if (!(err instanceof WecomApiError && err.errcode === ERRCODE.OWNER_FILTER_REQUIRED)) throw err;
    }
    await ctx.writer.transaction((trx) => ctx.state.setNote(trx, MODE_NOTE, 'owners'));
  }
  const owners = chunk(await followUserList(ctx), FOLLOW_USERS_PER_CALL);
  await mapLimit(owners, OWNER_LISTINGS_AT_ONCE, (batch) =>
    runListing(ctx, groupListing(ctx, `owners:${digest(batch)}`, { owner_filter: { userid_list: batch } }, { owner: batch })));
}

function groupListing(
  ctx: StreamContext, id: string, filter: GroupchatListReq, scope: GroupScope,
): ListingSpec<RecordInput<'customer_groups'>[]> {
  return {
    id,
    pages: (cursor) => groupPages(ctx, filter, cursor),
    write: (trx, pages) => upsert(ctx, trx, 'customer_groups', pages.flat()),
    sweep: (trx, seen) => sweep(ctx, trx, 'customer_groups', seen, scope),
  };
}

async function* groupPages(ctx: StreamContext, filter: GroupchatListReq, cursor: string): AsyncGenerator<ListingPage<RecordInput<'customer_groups'>[]>> {
  const pages = ctx.client.pages('externalcontact.groupchatList', { status_filter: 0, ...filter }, { cursor, limit: GROUPS_PER_PAGE });
  for await (const page of pages) {
    ctx.progress.expect('groups', page.items.length);
    const groups = await mapLimit(page.items, inFlight('externalcontact.groupchatGet'), (item) => fetchGroup(ctx, item.chat_id, item.status));
    yield {
      payload: groups.filter((g) => g !== undefined),
      keys: page.items.map((item) => [item.chat_id]),
      nextCursor: page.nextCursor,
    };
  }
}

/**
 * One group's details. WeCom refuses some listed groups for good (90501 not a customer group, an
 * owner outside the app's scope): the error is recorded and the group kept as it was, neither
 * rewritten nor marked deleted. Anything else (network, limits after retries) stops the stream.
 */
async function fetchGroup(ctx: StreamContext, chatId: string, status: GroupChatStatus): Promise<RecordInput<'customer_groups'> | undefined> {
  try {
    const answer = await ctx.client.call('externalcontact.groupchatGet', { chat_id: chatId, need_name: 1 });
    return groupRecord(answer, status);
  } catch (err) {
    if (!(err instanceof WecomApiError) || err.retryClass !== 'never') throw err;
    ctx.tally.error({ code: err.code, message: err.message, context: { entity: 'customer_groups', chat_id: chatId, errcode: err.errcode } });
    return undefined;
  } finally {
    ctx.progress.advance('groups');
  }
}
