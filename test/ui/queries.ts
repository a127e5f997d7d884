import { sql } from 'kysely';
import type { SyncedStore } from './fixture.ts';

/** Rows of the synced store the walk opens: found by what they are, so any seed works. */

export async function messageWithMedia(store: SyncedStore, msgtype: string): Promise<{ msgid: string; conversationId: string; raw: string }> {
  const { db } = await store.runtime.store();
  const row = await db.selectFrom('messages as m')
    .innerJoin('message_media as mm', (j) => j.onRef('mm.corp_id', '=', 'm.corp_id').onRef('mm.msgid', '=', 'm.msgid'))
    .select(['m.msgid', 'm.conversation_id', 'm.raw_json'])
    .where('m.corp_id', '=', store.corpId).where('m.msgtype', '=', msgtype).where('mm.status', '=', 'downloaded').where('mm.item_path', '=', '')
    .where('m.msgid', 'not like', 'wideband-%')
    .orderBy('m.msgtime').limit(1).executeTakeFirstOrThrow();
  return { msgid: row.msgid, conversationId: row.conversation_id!, raw: String(row.raw_json ?? '') };
}

/** A word of a text message (its first three characters): what a person would search for. */
export async function searchableWord(store: SyncedStore): Promise<string> {
  const { db } = await store.runtime.store();
  const row = await db.selectFrom('messages').select('search_text').where('corp_id', '=', store.corpId).where('msgtype', '=', 'text')
    .where(sql<boolean>`length(search_text) >= 6`).where('msgid', 'not like', 'hostile-%').where('msgid', 'not like', 'long-%').orderBy('msgtime').limit(1).executeTakeFirstOrThrow();
  return [...String(row.search_text)].slice(0, 3).join('');
}

export async function customerWithFollowers(store: SyncedStore): Promise<string> {
  const { db } = await store.runtime.store();
  const row = await db.selectFrom('follow_relations').select('external_userid').where('corp_id', '=', store.corpId)
    .groupBy('external_userid').orderBy(sql`count(*)`, 'desc').limit(1).executeTakeFirstOrThrow();
  return row.external_userid;
}

/** Marks one stored image's file as expired in WeCom, as the media queue would. */
export async function expireOneImage(store: SyncedStore): Promise<{ msgid: string; conversationId: string }> {
  const { db } = await store.runtime.store();
  const row = await db.selectFrom('messages as m')
    .innerJoin('message_media as mm', (j) => j.onRef('mm.corp_id', '=', 'm.corp_id').onRef('mm.msgid', '=', 'm.msgid'))
    .select(['m.msgid', 'm.conversation_id']).where('m.corp_id', '=', store.corpId).where('m.msgtype', '=', 'image')
    .where('mm.status', '=', 'downloaded').orderBy('m.msgtime', 'desc').limit(1).executeTakeFirstOrThrow();
  await db.updateTable('message_media').set({ status: 'expired' }).where('corp_id', '=', store.corpId).where('msgid', '=', row.msgid).execute();
  return { msgid: row.msgid, conversationId: row.conversation_id! };
}

/** A customer in a 1:1 conversation (external_userids start wm or wo). */
export async function customerWithConversations(store: SyncedStore): Promise<string> {
  const { db } = await store.runtime.store();
  const rows = await db.selectFrom('conversations').select('conversation_id').where('corp_id', '=', store.corpId).where('kind', '=', 'single')
    .orderBy('last_msgtime', 'desc').limit(50).execute();
  for (const row of rows) {
    const customer = row.conversation_id.split('|').find((id) => /^w[mo]/.test(id) && !id.includes('Hostile'));
    if (customer) return customer;
  }
  throw new Error('no 1:1 conversation with a customer in the synced store');
}

/** A message of this type (the first), with its conversation. */
export async function messageOfType(store: SyncedStore, msgtype: string): Promise<{ msgid: string; conversationId: string }> {
  const { db } = await store.runtime.store();
  const row = await db.selectFrom('messages').select(['msgid', 'conversation_id']).where('corp_id', '=', store.corpId)
    .where('msgtype', '=', msgtype).orderBy('msgtime').limit(1).executeTakeFirstOrThrow();
  return { msgid: row.msgid, conversationId: row.conversation_id! };
}

/** The message a recall entry took back. */
export async function recalledMessage(store: SyncedStore): Promise<{ msgid: string; conversationId: string }> {
  const { db } = await store.runtime.store();
  const row = await db.selectFrom('messages').select(['raw_json', 'conversation_id']).where('corp_id', '=', store.corpId)
    .where('msgtype', '=', 'revoke').limit(1).executeTakeFirstOrThrow();
  const msgid = /"pre_msgid"\s*:\s*"([^"]+)"/.exec(String(row.raw_json))![1]!;
  return { msgid, conversationId: row.conversation_id! };
}
