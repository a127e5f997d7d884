import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from './database.ts';
import type { ConversationKind, ConversationTable, MessageTable } from './messages.table.ts';
import { searchMessages } from './message-search.ts';
import { chunk, dialectOf, inTransaction, rowsPerStatement, stripNul } from './sql-kit.ts';

/**
 * The archive's messages and conversations, as the ingest writes them (archive/ingest/write-page.ts:
 * a page, its hash-chain links and its cursor in one transaction). msgid is the dedupe key, so a
 * re-pull from an older seq is harmless. Reading is archive/reading's (search, conversations).
 */

export type MessageRow = Selectable<MessageTable>;
/** One pulled message: the envelope always; the decrypted fields when status is `decrypted`. */
export type MessageInput = Omit<Insertable<MessageTable>, 'id' | 'corp_id' | 'ingested_at'>;
export type ConversationRow = Selectable<ConversationTable>;
export interface ConversationInput {
  conversation_id: string;
  kind: ConversationKind;
  name?: string | null;
  last_msgtime: number | null;
}

/** The msgids among `msgids` already stored: the archive skips them before extending the hash chain. */
async function existingMsgids(db: Kysely<Database>, corpId: string, msgids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (dialectOf(db) === 'postgres') {
    // One index probe per msgid, whatever the statistics: the planner cannot turn a join against an
    // array into a scan of the corp's rows. `msgid in (…1000 values)` can: before messages is
    // first analysed (autovacuum off or not yet run) `corp_id = $1` is estimated at 0.5% of the
    // rows, so it read every row of the corp per page — 370 ms and 57,000 blocks at 300k messages
    // (docs/archive-ingest.md, PostgreSQL at archive scale).
    const { rows } = await sql<{ msgid: string }>`select m.msgid from unnest(${[...new Set(msgids)]}::text[]) as k(msgid)
      join messages m on m.corp_id = ${corpId} and m.msgid = k.msgid`.execute(db);
    for (const row of rows) found.add(row.msgid);
    return found;
  }
  for (const batch of chunk([...new Set(msgids)], rowsPerStatement(1))) {
    const rows = await db.selectFrom('messages').select('msgid')
      .where('corp_id', '=', corpId).where('msgid', 'in', batch).execute();
    for (const row of rows) found.add(row.msgid);
  }
  return found;
}

/**
 * Inserts messages; one already stored (same corp and msgid) is left untouched and reported as a
 * duplicate. Full-text indexing follows by itself (SQLite triggers / PostgreSQL index).
 */
async function insertMessages(
  db: Kysely<Database>, corpId: string, messages: readonly MessageInput[], now: number = Date.now(),
): Promise<{ inserted: string[]; duplicates: string[] }> {
  const inserted: string[] = [];
  await inTransaction(db, async (trx) => {
    for (const batch of chunk(messages, rowsPerStatement(20))) {
      const rows = batch.map((m) => ({
        ...m, corp_id: corpId, ingested_at: now, search_text: stripNul(m.search_text ?? null),
      }));
      const result = await trx.insertInto('messages').values(rows)
        .onConflict((oc) => oc.columns(['corp_id', 'msgid']).doNothing()).returning('msgid').execute();
      for (const row of result) inserted.push(row.msgid);
    }
  });
  const fresh = new Set(inserted);
  return { inserted, duplicates: messages.map((m) => m.msgid).filter((id) => !fresh.has(id)) };
}

/** The decrypted fields, for a message first stored as missing_key/failed and decrypted later. */
export type MessageDecryption = Partial<Pick<MessageInput,
  'status' | 'action' | 'msgtype' | 'conversation_id' | 'sender' | 'receivers' | 'msgtime' | 'search_text'
  | 'raw_json'>>;

async function updateMessage(
  db: Kysely<Database>, corpId: string, msgid: string, patch: MessageDecryption,
): Promise<boolean> {
  const values = 'search_text' in patch ? { ...patch, search_text: stripNul(patch.search_text ?? null) } : patch;
  const result = await db.updateTable('messages').set(values)
    .where('corp_id', '=', corpId).where('msgid', '=', msgid).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The end of the hash chain: the stored message with the highest seq (the chain runs in seq order,
 * the order WeCom assigns and the puller inserts in).
 */
async function chainHead(
  db: Kysely<Database>, corpId: string,
): Promise<Pick<MessageRow, 'seq' | 'msgid' | 'hash'> | undefined> {
  return db.selectFrom('messages').select(['seq', 'msgid', 'hash']).where('corp_id', '=', corpId)
    .orderBy('seq', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/**
 * Creates conversations or moves their last_msgtime forward (never back: batches may arrive out of
 * order after a retry); a known name is kept when the new one is null.
 */
async function upsertConversations(
  db: Kysely<Database>, corpId: string,
  conversations: readonly ConversationInput[],
): Promise<void> {
  const latest = new Map<string, ConversationInput>();
  for (const c of conversations) {
    const seen = latest.get(c.conversation_id);
    if (!seen || (c.last_msgtime ?? 0) >= (seen.last_msgtime ?? 0)) {
      latest.set(c.conversation_id, { ...c, name: c.name ?? seen?.name });
    }
  }
  for (const batch of chunk([...latest.values()], rowsPerStatement(5))) {
    await db.insertInto('conversations')
      .values(batch.map((c) => ({
        corp_id: corpId, conversation_id: c.conversation_id, kind: c.kind, name: c.name ?? null,
        last_msgtime: c.last_msgtime,
      })))
      .onConflict((oc) => oc.columns(['corp_id', 'conversation_id']).doUpdateSet({
        name: sql`coalesce(excluded.name, conversations.name)`,
        last_msgtime: sql`case
          when conversations.last_msgtime is null or excluded.last_msgtime > conversations.last_msgtime
          then excluded.last_msgtime else conversations.last_msgtime end`,
      }))
      .execute();
  }
}

export const messagesRepository = Object.freeze({
  existingMsgids, insertMessages, updateMessage, chainHead, upsertConversations, searchMessages,
});
