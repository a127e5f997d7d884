import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from './database.ts';
import {
  ARCHIVE_CURSOR_STREAM, type ConversationKind, type ConversationTable, type MessageStatus, type MessageTable,
} from './messages.table.ts';
import { searchMessages } from './message-search.ts';
import { withCheckpoint } from './sync-state.repository.ts';
import { chunk, containsAny, inTransaction, rowsPerStatement, stripNul } from './sql-kit.ts';

/**
 * The archive's messages and conversations. The puller writes a batch and its seq cursor in one
 * transaction (withCheckpoint); msgid is the dedupe key, so a re-pull from an older seq is harmless.
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

/** Where the next pull starts: the archive cursor as a bigint, 0n before the first pull. */
async function archiveSeq(db: Kysely<Database>, corpId: string): Promise<bigint> {
  const row = await db.selectFrom('sync_cursors').select('cursor')
    .where('corp_id', '=', corpId).where('stream', '=', ARCHIVE_CURSOR_STREAM).executeTakeFirst();
  return row ? BigInt(row.cursor) : 0n;
}

/**
 * Stores a batch and moves the archive cursor to `seq` in one transaction (see withCheckpoint), so a
 * crash between the two can neither skip nor double-count the batch.
 */
async function insertBatchWithCursor(
  db: Kysely<Database>, corpId: string, messages: readonly MessageInput[], seq: bigint, now: number = Date.now(),
): Promise<{ inserted: string[]; duplicates: string[] }> {
  return withCheckpoint(db, corpId, ARCHIVE_CURSOR_STREAM, seq.toString(),
    (trx) => insertMessages(trx, corpId, messages, now), now);
}

/** The msgids among `msgids` already stored: the archive skips them before extending the hash chain. */
async function existingMsgids(db: Kysely<Database>, corpId: string, msgids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
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

async function getMessage(db: Kysely<Database>, corpId: string, msgid: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll()
    .where('corp_id', '=', corpId).where('msgid', '=', msgid).executeTakeFirst();
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

/** Messages in seq order after `afterSeq`, e.g. every `missing_key` one to retry once a key arrives. */
async function listBySeq(
  db: Kysely<Database>, corpId: string, filters: { status?: MessageStatus; afterSeq?: bigint; limit?: number } = {},
): Promise<MessageRow[]> {
  let query = db.selectFrom('messages').selectAll().where('corp_id', '=', corpId);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.afterSeq !== undefined) query = query.where('seq', '>', filters.afterSeq);
  return query.orderBy('seq').orderBy('id').limit(filters.limit ?? 1000).execute();
}

/** A conversation's messages, newest first; page back with `before` (msgtime of the oldest shown). */
async function listConversationMessages(
  db: Kysely<Database>, corpId: string, conversationId: string, page: { before?: number; limit?: number } = {},
): Promise<MessageRow[]> {
  let query = db.selectFrom('messages').selectAll()
    .where('corp_id', '=', corpId).where('conversation_id', '=', conversationId);
  if (page.before !== undefined) query = query.where('msgtime', '<', page.before);
  return query.orderBy('msgtime', 'desc').orderBy('seq', 'desc').limit(page.limit ?? 50).execute();
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

/** Most recently active first. */
async function listConversations(
  db: Kysely<Database>, corpId: string,
  filters: { kind?: ConversationKind; search?: string; limit?: number; offset?: number } = {},
): Promise<ConversationRow[]> {
  let query = db.selectFrom('conversations').selectAll().where('corp_id', '=', corpId);
  if (filters.kind) query = query.where('kind', '=', filters.kind);
  const search = filters.search?.trim();
  if (search) query = query.where(containsAny(db, ['name', 'conversation_id'], search));
  return query.orderBy('last_msgtime', 'desc').orderBy('conversation_id')
    .limit(filters.limit ?? 100).offset(filters.offset ?? 0).execute();
}

export const messagesRepository = Object.freeze({
  archiveSeq, insertBatchWithCursor, existingMsgids, insertMessages, updateMessage, getMessage, chainHead, listBySeq,
  listConversationMessages,
  upsertConversations, listConversations, searchMessages,
});
