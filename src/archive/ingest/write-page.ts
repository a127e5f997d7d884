import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { bulkInsert, type ColumnOf } from '../../store/bulk-insert.ts';
import { inTransaction, mediaRepository, messagesRepository, syncStateRepository, type MediaInput, type MessageInput, type MessageStatus } from '../../store/index.ts';
import { dialectOf, stripNul } from '../../store/sql-kit.ts';
import { UserError } from '../../util/errors.ts';
import { killPoint } from '../../util/kill-points.ts';
import { genesisHash, linkHash } from '../chain/chain.ts';
import type { FailureNote, PreparedMessage } from './records.ts';

/**
 * One page of the archive in ONE transaction: its new messages (envelope, decrypted columns, chain
 * link), their media references, the conversations they move forward, the failures to remember, and
 * the seq cursor. All of it commits, or none of it does, so a process killed at any instant resumes
 * from the last committed page and ends with exactly the rows of an uninterrupted run.
 */

/** The sync_cursors stream holding the largest seq pulled (a decimal uint64). */
export const SEQ_CURSOR = 'archive/seq';

export type StatusCounts = Record<MessageStatus, number>;

export function emptyCounts(): StatusCounts {
  return { decrypted: 0, quarantined: 0, missing_key: 0, failed: 0 };
}

/** How many of a corp's stored messages are in each status. */
export async function countByStatus(db: Kysely<Database>, corpId: string): Promise<StatusCounts> {
  const rows = await db.selectFrom('messages').select(['status', sql<number | string>`count(*)`.as('n')])
    .where('corp_id', '=', corpId).groupBy('status').execute();
  const counts = emptyCounts();
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

export interface PageWrite {
  stored: number;
  /** Already stored (same msgid): a re-served message is never stored twice. */
  duplicates: number;
  byStatus: StatusCounts;
  headHash: string;
  cursor: bigint;
}

/**
 * Serialises writers of one corp's chain. SQLite: BEGIN IMMEDIATE (dialects.ts) already holds the
 * database's write lock. PostgreSQL: a transaction-scoped advisory lock per corp, so two pullers (a
 * `watch` and a manual `pull`) never extend the chain from the same head.
 */
export async function lockCorpChain(trx: Kysely<Database>, corpId: string): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  const key = createHash('sha256').update(`wecom-archive:archive-chain:${corpId}`).digest().readBigInt64BE(0);
  await sql`select pg_advisory_xact_lock(${key.toString()}::bigint)`.execute(trx);
}

export async function readSeqCursor(db: Kysely<Database>, corpId: string): Promise<bigint> {
  const text = await syncStateRepository.getCursor(db, corpId, SEQ_CURSOR);
  return text && /^\d+$/.test(text) ? BigInt(text) : 0n;
}

function outOfOrder(seq: bigint, head: bigint): UserError {
  return new UserError('archive_out_of_order', {
    what: { zh: '会话存档返回了一条比已存最新消息更早、且未存过的消息（seq {seq} ≤ {head}）。', en: 'The archive returned a message older than the newest stored one that was never stored (seq {seq} ≤ {head}).' },
    why: { zh: '企业微信的 seq 只增不减；哈希链按 seq 顺序串联，无法在中间插入。', en: "WeCom's seq only increases; the hash chain runs in seq order and cannot take a message in the middle." },
    fix: { zh: '运行 `wecom-archive archive verify` 检查存档；若数据库曾从备份恢复，请联系维护者。', en: 'Run `wecom-archive archive verify`; if the database was restored from a backup, contact the maintainers.' },
    vars: { seq: seq.toString(), head: head.toString() },
  });
}

/** A messages row as inserted: what MessageInput leaves to the repository, filled in here. */
type MessageRowInput = MessageInput & { corp_id: string; ingested_at: number };

/**
 * The page's new messages in seq order, each linked to the one before, as the rows inserted (built
 * once per message: a page holds a thousand).
 */
function linkNew(
  corpId: string, messages: readonly PreparedMessage[], existing: Set<string>,
  head: { seq: bigint; hash: string | null } | undefined, now: number,
): { rows: MessageRowInput[]; fresh: PreparedMessage[]; headHash: string } {
  let previous = head?.hash ?? genesisHash(corpId);
  let headSeq = head?.seq ?? -1n;
  const rows: MessageRowInput[] = [];
  const fresh: PreparedMessage[] = [];
  const seen = new Set(existing);
  for (const message of [...messages].sort((a, b) => (a.envelope.seq < b.envelope.seq ? -1 : a.envelope.seq > b.envelope.seq ? 1 : 0))) {
    const e = message.envelope;
    if (seen.has(e.msgid)) continue;
    if (e.seq <= headSeq) throw outOfOrder(e.seq, headSeq);
    seen.add(e.msgid);
    const hash = linkHash(previous, e);
    rows.push({
      corp_id: corpId, seq: e.seq, msgid: e.msgid, publickey_ver: e.publickeyVer, encrypt_random_key: e.encryptRandomKey,
      encrypt_chat_msg: e.encryptChatMsg, ...message.fields, search_text: stripNul(message.fields.search_text ?? null),
      prev_hash: previous, hash, ingested_at: now,
    } as MessageRowInput);
    fresh.push(message);
    previous = hash;
    headSeq = e.seq;
  }
  return { rows, fresh, headHash: previous };
}

const MESSAGE_COLUMNS: ColumnOf<'messages'>[] = [
  'corp_id', 'seq', 'msgid', 'publickey_ver', 'encrypt_random_key', 'encrypt_chat_msg', 'status', 'action', 'msgtype',
  'conversation_id', 'sender', 'receivers', 'msgtime', 'search_text', 'raw_json', 'prev_hash', 'hash', 'ingested_at',
];
const MEDIA_COLUMNS: ColumnOf<'message_media'>[] = [
  'corp_id', 'msgid', 'item_path', 'media_type', 'sdkfileid', 'md5sum', 'size', 'filename', 'status', 'attempts', 'updated_at',
];

/** The page's messages, in as few statements as the parameter limit allows (full-text indexing follows by trigger/index). */
async function insertMessages(trx: Kysely<Database>, rows: readonly MessageRowInput[]): Promise<number> {
  return bulkInsert(trx, 'messages', MESSAGE_COLUMNS, ['corp_id', 'msgid'], rows);
}

/** Queues the page's media for download (pending); the media worker takes it from there. */
async function queueMedia(trx: Kysely<Database>, corpId: string, media: readonly MediaInput[], now: number): Promise<void> {
  await bulkInsert(trx, 'message_media', MEDIA_COLUMNS, ['corp_id', 'msgid', 'item_path'],
    media.map((m) => ({ ...m, corp_id: corpId, item_path: m.item_path ?? '', status: 'pending', attempts: 0, updated_at: now })));
}

/** Writes the failures worth remembering (quarantine, error codes) in the caller's transaction. */
export async function recordFailures(
  trx: Kysely<Database>, corpId: string, failed: ReadonlyArray<{ msgid: string; seq: bigint; failure: FailureNote }>, now: number,
): Promise<void> {
  for (const { msgid, seq, failure } of failed) {
    // A quarantine sticks on the first record; an error code alone never quarantines (the threshold
    // is the largest `integer` both databases compare attempts with).
    await mediaRepository.recordFailure(trx, corpId, { msgid, seq, error: failure.error }, failure.quarantine ? 1 : 2_147_483_647, now);
  }
}

/** Conversations moved forward by these messages (repository keeps last_msgtime monotonic). */
export async function touchConversations(trx: Kysely<Database>, corpId: string, messages: readonly PreparedMessage[]): Promise<void> {
  const updates = messages.flatMap((m) => (m.conversation ? [m.conversation] : []));
  if (updates.length > 0) await messagesRepository.upsertConversations(trx, corpId, updates);
}

export async function writePage(
  db: Kysely<Database>, corpId: string, messages: readonly PreparedMessage[], pageEnd: bigint, now: number = Date.now(),
): Promise<PageWrite> {
  return inTransaction(db, async (trx) => {
    await lockCorpChain(trx, corpId);
    const head = await messagesRepository.chainHead(trx, corpId);
    const existing = await messagesRepository.existingMsgids(trx, corpId, messages.map((m) => m.envelope.msgid));
    const { rows, fresh, headHash } = linkNew(corpId, messages, existing, head, now);

    const inserted = await insertMessages(trx, rows);
    // Everything was filtered against the store inside this locked transaction: a conflict here
    // means another writer got around the lock, and the chain must not fork.
    if (inserted !== rows.length) throw new Error(`archive page: ${rows.length - inserted} message(s) inserted concurrently`);
    await queueMedia(trx, corpId, fresh.flatMap((m) => m.media), now);
    await touchConversations(trx, corpId, fresh);
    await recordFailures(trx, corpId, fresh.flatMap((m) => (m.failure ? [{ msgid: m.envelope.msgid, seq: m.envelope.seq, failure: m.failure }] : [])), now);

    const current = await readSeqCursor(trx, corpId);
    const cursor = pageEnd > current ? pageEnd : current;
    killPoint('archive.page.written');
    await syncStateRepository.setCursor(trx, corpId, SEQ_CURSOR, cursor.toString(), now);

    const byStatus = emptyCounts();
    for (const m of fresh) byStatus[m.fields.status]++;
    return { stored: rows.length, duplicates: messages.length - rows.length, byStatus, headHash, cursor };
  });
}
