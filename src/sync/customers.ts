import { createHash } from 'node:crypto';
import type { RecordInput } from '../store/entities.ts';
import { chunk } from '../store/sql-kit.ts';
import type { BatchGetByUserRes } from '../wecom/types-customer.ts';
import type { KeyValues } from './checkpoint.ts';
import { inFlight, keyValues, sweep, upsert, type StreamContext } from './context.ts';
import { runListing, runUnit, type ListingPage } from './listing.ts';
import { contactWayRecord, customerRecord, relationRecord, tagGroupRecord } from './map-customers.ts';
import { mapLimit } from '../util/parallel.ts';
import { sweepOrphans } from './sweeps.ts';

/**
 * Customers (wecom-api.md §3): the corp tag library; every customer and follow relation through
 * batch/get_by_user over all follow users, 100 per call, each batch a listing of its own (so its
 * deletions are known when it ends); then what no listing returned any more; then 「联系我」 ways.
 */

/** batch/get_by_user takes at most 100 userids (wecom-api.md §3, doc 92994). */
export const FOLLOW_USERS_PER_CALL = 100;
/** list_contact_way knows only ways created after 2021-07-10 (Beijing time)… */
const CONTACT_WAYS_SINCE = Date.parse('2021-07-10T00:00:00+08:00') / 1000;
/** …and answers for at most 90 days per call. */
const CONTACT_WAY_WINDOW = 90 * 86_400;

/**
 * Relations per transaction (up to fifty pages). Customer ids are random, so every row lands on a
 * random leaf of each index: the more rows one transaction carries, the fewer times SQLite writes
 * each leaf (measured on the large sandbox: 10 000 rows per transaction halve the commit time of
 * 2 000). A kill costs the pages buffered, fetched again on restart.
 */
const ROWS_PER_WRITE = 5000;

interface CustomerPage {
  customers: RecordInput<'customers'>[];
  relations: RecordInput<'follow_relations'>[];
}

export async function syncCustomers(ctx: StreamContext): Promise<void> {
  await syncTagLibrary(ctx);
  const followUsers = await followUserList(ctx);
  ctx.progress.expect('customers', followUsers.length + 1);
  // A customer followed by several members comes once per relation: written once per run.
  const written = new Set<string>();
  await mapLimit(chunk(followUsers, FOLLOW_USERS_PER_CALL), inFlight('externalcontact.batchGetByUser'), async (batch) => {
    await runListing(ctx, {
      id: `batch:${digest(batch)}`,
      pages: (cursor) => batchPages(ctx, batch, cursor, written),
      write: async (trx, pages) => {
        await upsert(ctx, trx, 'customers', pages.flatMap((p) => p.customers));
        await upsert(ctx, trx, 'follow_relations', pages.flatMap((p) => p.relations));
      },
      sweep: (trx, seen) => sweep(ctx, trx, 'follow_relations', seen, { userid: batch }),
      rowsPerWrite: ROWS_PER_WRITE,
    });
    ctx.progress.advance('customers', batch.length);
  });
  await runUnit(ctx, 'orphans', async () => (trx) => sweepOrphans(ctx, trx, followUsers));
  await syncContactWays(ctx);
  ctx.progress.advance('customers');
}

/** Sorted, so batches (and their listing ids) come out the same in a restarted process. */
export async function followUserList(ctx: StreamContext): Promise<string[]> {
  const { follow_user } = await ctx.client.call('externalcontact.getFollowUserList');
  return [...new Set(follow_user)].sort();
}

async function* batchPages(
  ctx: StreamContext, batch: string[], cursor: string, written: Set<string>,
): AsyncGenerator<ListingPage<CustomerPage>> {
  const pages = ctx.client.pages('externalcontact.batchGetByUser', { userid_list: batch }, { cursor });
  for await (const page of pages) {
    const entries = page.items as BatchGetByUserRes['external_contact_list'];
    const customers = entries.filter((e) => !written.has(e.external_contact.external_userid)).map(customerRecord);
    for (const c of customers) written.add(c.external_userid);
    const relations = entries.map(relationRecord);
    yield { payload: { customers, relations }, keys: relations.map((r) => keyValues('follow_relations', r)), nextCursor: page.nextCursor };
  }
}

async function syncTagLibrary(ctx: StreamContext): Promise<void> {
  await runUnit(ctx, 'corp-tags', async () => {
    const { tag_group } = await ctx.client.call('externalcontact.getCorpTagList', {});
    const groups = tag_group.filter((g) => !g.deleted).map(tagGroupRecord);
    const seen: KeyValues[] = groups.map((g) => keyValues('corp_tag_groups', g));
    return async (trx) => {
      await upsert(ctx, trx, 'corp_tag_groups', groups);
      await sweep(ctx, trx, 'corp_tag_groups', seen);
    };
  });
}

/**
 * Every 「联系我」 way WeCom can list: 90-day windows from 2021-07-10 to now, then each way's details.
 * A few hundred calls at most, fetched whole and written in one transaction. Temporary-chat ways
 * are never listed by WeCom, so they cannot be synced.
 */
async function syncContactWays(ctx: StreamContext): Promise<void> {
  await runUnit(ctx, 'contact-ways', async () => {
    const ids = new Set<string>();
    const now = Math.floor(ctx.now() / 1000);
    for (let start = CONTACT_WAYS_SINCE; start <= now; start += CONTACT_WAY_WINDOW + 1) {
      const window = { start_time: start, end_time: Math.min(start + CONTACT_WAY_WINDOW, now) };
      for await (const way of ctx.client.items('externalcontact.listContactWay', window)) ids.add(way.config_id);
    }
    const ways = await mapLimit([...ids].sort(), inFlight('externalcontact.getContactWay'), async (config_id) =>
      contactWayRecord(await ctx.client.call('externalcontact.getContactWay', { config_id })));
    return async (trx) => {
      await upsert(ctx, trx, 'contact_ways', ways);
      await sweep(ctx, trx, 'contact_ways', ways.map((w) => keyValues('contact_ways', w)));
    };
  });
}

/** A short stable id for a batch of userids (checkpoint names). */
export function digest(values: readonly string[]): string {
  return createHash('sha256').update(values.join('\n')).digest('hex').slice(0, 16);
}
