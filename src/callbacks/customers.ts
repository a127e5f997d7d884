import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { upsertConsents } from '../archive/coverage/store.ts';
import { customerRecord, relationRecord } from '../sync/map-customers.ts';
import type { KnownEvent } from '../wecom/callback/parse-event.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import type { BatchGetByUserRes, ExternalcontactGetRes, FollowInfo, FollowUser } from '../wecom/types-customer.ts';
import { cached, isGone, sweepScope, upsert, type ApplyContext, type PreparedEffect } from './context.ts';

/**
 * change_external_contact (wecom-api.md §5.5, §5.6). Every change of a customer re-reads it
 * (externalcontact/get: the customer with every member following them) and sets its relations to
 * what WeCom answers, as the full sync's batch/get_by_user would: a relation no longer there is
 * soft-deleted (del_external_contact), a customer nobody follows any more too. The inbox row keeps
 * who did it (the member, or the customer for del_follow_user). msg_audit_approved adds a consent.
 */

const CUSTOMER_GONE = [ERRCODE.NOT_EXTERNAL_CONTACT, ERRCODE.INVALID_EXTERNAL_USERID];
const USER_GONE = [ERRCODE.USERID_NOT_FOUND, ERRCODE.INVALID_USERID, ERRCODE.USER_NOT_EXIST];

type CustomerEvent = Extract<KnownEvent, { kind: `change_external_contact.${string}` }>;
type Entry = BatchGetByUserRes['external_contact_list'][number];

export async function prepareCustomer(ctx: ApplyContext, event: CustomerEvent): Promise<PreparedEffect> {
  const externalUserid = event.fields.ExternalUserID ?? '';
  if (event.kind === 'change_external_contact.msg_audit_approved') {
    const row = {
      external_userid: externalUserid, party_kind: 'employee' as const, party_id: event.fields.UserID ?? '',
      status: 'Agree' as const, status_change_time: event.header.createTime * 1000, source: 'callback' as const,
      msgid: null, checked_at: ctx.now,
    };
    return { change: 'consent', write: (trx) => upsertConsents(trx, ctx.corpId, [row]) };
  }
  const effect = await customerEffect(ctx, externalUserid);
  // The fact the compliance rules read: who ended the relation, and how.
  if (event.kind === 'change_external_contact.del_external_contact') {
    effect.change = event.fields.Source === 'DELETE_BY_TRANSFER' ? 'deleted_by_transfer' : 'deleted_by_member';
  } else if (event.kind === 'change_external_contact.del_follow_user') effect.change = 'deleted_by_customer';
  return effect;
}

/** The members with customer contact: the sync lists relations of these only. */
function followUsers(ctx: ApplyContext): Promise<Set<string>> {
  return cached(ctx, 'follow-users', async () => new Set((await ctx.client.call('externalcontact.getFollowUserList')).follow_user));
}

/**
 * externalcontact/get's follow_user entry in batch/get_by_user's follow_info shape (what the sync
 * stores): `tags` becomes `tag_id` in the same place, corp and rule-group tags only (personal tags
 * are not returned by batch/get_by_user).
 */
export function followInfoOf(entry: FollowUser): FollowInfo {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'tags') out.tag_id = (entry.tags ?? []).filter((t) => t.type !== 2 && t.tag_id !== undefined).map((t) => t.tag_id);
    else out[key] = value;
  }
  return out as unknown as FollowInfo;
}

async function readCustomer(ctx: ApplyContext, externalUserid: string): Promise<Entry[]> {
  const members = await followUsers(ctx);
  try {
    const entries: Entry[] = [];
    let contact: ExternalcontactGetRes['external_contact'] | undefined;
    for await (const page of ctx.client.pages('externalcontact.get', { external_userid: externalUserid })) {
      contact ??= page.response.external_contact;
      for (const follow of page.items) {
        if (members.has(follow.userid)) entries.push({ external_contact: contact, follow_info: followInfoOf(follow) } as Entry);
      }
    }
    return entries;
  } catch (err) {
    if (isGone(err, CUSTOMER_GONE)) return [];
    throw err;
  }
}

export async function customerEffect(ctx: ApplyContext, externalUserid: string): Promise<PreparedEffect> {
  const entries = await readCustomer(ctx, externalUserid);
  const relations = entries.map(relationRecord);
  return {
    change: entries.length === 0 ? 'deleted' : 'upserted',
    write: async (trx) => {
      if (entries.length > 0) {
        await upsert(ctx, trx, 'customers', [customerRecord(entries[0]!)]);
        await upsert(ctx, trx, 'follow_relations', relations);
      }
      await sweepScope(ctx, trx, 'follow_relations', { external_userid: externalUserid }, relations);
      await sweepOrphanCustomers(ctx, trx, [externalUserid]);
    },
  };
}

/**
 * One member's relations as a full sync would list them (batch/get_by_user): used when a member is
 * renamed or deleted. A member who is no longer a follow user has none left.
 */
export async function followUserEffect(ctx: ApplyContext, userid: string): Promise<PreparedEffect> {
  const entries: Entry[] = [];
  if ((await followUsers(ctx)).has(userid)) {
    try {
      for await (const item of ctx.client.items('externalcontact.batchGetByUser', { userid_list: [userid] }, { limit: 100 })) {
        entries.push(item as Entry);
      }
    } catch (err) {
      if (!isGone(err, USER_GONE)) throw err;
      entries.length = 0;
    }
  }
  const relations = entries.map(relationRecord);
  return {
    change: 'relations',
    write: async (trx) => {
      const before = await trx.selectFrom('follow_relations').select('external_userid')
        .where('corp_id', '=', ctx.corpId).where('userid', '=', userid).where('deleted_at', 'is', null).execute();
      await upsert(ctx, trx, 'customers', dedupe(entries.map(customerRecord)));
      await upsert(ctx, trx, 'follow_relations', relations);
      await sweepScope(ctx, trx, 'follow_relations', { userid }, relations);
      await sweepOrphanCustomers(ctx, trx, before.map((r) => r.external_userid));
    },
  };
}

function dedupe<T extends { external_userid: string }>(records: T[]): T[] {
  return [...new Map(records.map((r) => [r.external_userid, r])).values()];
}

/** The sync's rule (sweeps.ts): a customer with no live relation left is followed by nobody. */
async function sweepOrphanCustomers(ctx: ApplyContext, trx: Kysely<Database>, externalUserids: readonly string[]): Promise<void> {
  if (externalUserids.length === 0) return;
  await trx.updateTable('customers').set({ deleted_at: ctx.now, run_id: null })
    .where('customers.corp_id', '=', ctx.corpId).where('customers.deleted_at', 'is', null)
    .where('customers.external_userid', 'in', [...externalUserids])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('follow_relations as f').select('f.userid')
      .whereRef('f.corp_id', '=', 'customers.corp_id').whereRef('f.external_userid', '=', 'customers.external_userid')
      .where('f.deleted_at', 'is', null))))
    .execute();
}
