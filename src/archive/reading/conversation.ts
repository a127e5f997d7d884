import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { ConversationKind, MediaStatus, MessageStatus, MessageTable } from '../../store/messages.table.ts';
import { chunk, parseJson, rowsPerStatement } from '../../store/sql-kit.ts';
import { UserError } from '../../util/errors.ts';
import { eachContent, readContent, readRevokeTarget, type ContentView } from './content.ts';
import { storedKindOf, summarize, type ConversationSummary } from './conversations.ts';
import { NameBook, type PartyName } from './names.ts';
import { knownTime } from './time.ts';

/**
 * One conversation's messages in time order, each with its sender and receivers named, its content
 * read (files with their download state, nested items), and recalls joined to what they recall:
 * the recalled message carries the recall's time, the recall entry points back at the message.
 * A page says whether the range holds more than it shows, and how many messages the range holds.
 */

export interface MessageView {
  msgid: string;
  seq: bigint;
  /** UTC ms. */
  time: number | null;
  status: MessageStatus;
  action: string | null;
  msgtype: string | null;
  sender: PartyName | null;
  receivers: PartyName[];
  content: ContentView;
  /** This message was recalled later: by which revoke entry, when. */
  recalled: { msgid: string; time: number | null } | null;
  /** This entry is a recall: of which message (`found` false when it is not in the archive). */
  recalls: { msgid: string; found: boolean; time: number | null; text: string | null } | null;
}

export interface ConversationView {
  conversation: ConversationSummary;
  messages: MessageView[];
  /** The range holds more messages than the page shows (earlier ones, or with `since` later ones). */
  more: boolean;
  /** Messages in the range (from/to), page or not. */
  total: number;
  /** The range holds messages before the page's first / after its last (known when paging by cursor, or from the end read). */
  earlier: boolean;
  later: boolean;
}

export interface ConversationQuery {
  /** msgtime bounds, UTC ms, inclusive. */
  since?: number;
  until?: number;
  /** With `since`: the first N messages from it; otherwise the latest N. Default 100. */
  limit?: number;
  /**
   * Page from a message (by msgid) instead of from an end: the `limit` messages just before it or
   * just after it (itself excluded), or a page with it in the middle (`around`, itself included).
   */
  cursor?: { msgid: string; direction: CursorDirection };
}

export type CursorDirection = 'before' | 'after' | 'around';

/** WeCom lets a message be recalled within 2 minutes (24 h leaves room for clock skew and odd clients). */
const RECALL_WINDOW_MS = 86_400_000;

type Row = Selectable<MessageTable>;

export async function readConversation(
  db: Kysely<Database>, corpId: string, conversationId: string, query: ConversationQuery = {},
): Promise<ConversationView> {
  const conversation = await conversationRow(db, corpId, conversationId);
  const { rows, earlier, later } = query.cursor
    ? await pageAround(db, corpId, conversationId, query, query.cursor)
    : await pageOf(db, corpId, conversationId, query);
  const more = earlier || later;
  const total = more ? await countInRange(db, corpId, conversationId, query) : rows.length;
  const names = new NameBook(db, corpId);
  const [summary] = await summarize(db, corpId, [conversation], names);
  const media = await mediaOf(db, corpId, rows.map((r) => r.msgid));
  const recalledBy = await recallsOf(db, corpId, conversationId, rows);
  const originals = await originalsOf(db, corpId, rows);

  const contents = rows.map((row) => readContent(row.msgtype ?? '', row.raw_json, (path) => media.get(`${row.msgid}\n${path}`), row.search_text ?? ''));
  const cards = contents.flatMap((content) => [...eachContent(content)]).filter((c) => c.card);
  const people = rows.flatMap((r) => [r.sender, ...receiversOf(r)]);
  for (const original of originals.values()) people.push(original.sender);
  people.push(...cards.map((c) => c.card!.id));
  await names.load(people.filter((id): id is string => Boolean(id)));
  for (const content of cards) content.card = names.party(content.card!.id);

  const messages = rows.map((row, index): MessageView => {
    const target = row.msgtype === 'revoke' ? readRevokeTarget(row.raw_json) : null;
    const original = target ? originals.get(target) : undefined;
    const recall = recalledBy.get(row.msgid);
    return {
      msgid: row.msgid,
      seq: row.seq,
      time: knownTime(row.msgtime),
      status: row.status,
      action: row.action,
      msgtype: row.msgtype,
      sender: row.sender ? names.party(row.sender) : null,
      receivers: receiversOf(row).map((id) => names.party(id)),
      content: contents[index]!,
      recalled: recall ? { msgid: recall.msgid, time: knownTime(recall.msgtime) } : null,
      recalls: target ? {
        msgid: target, found: Boolean(original), time: knownTime(original?.msgtime), text: original?.search_text ?? null,
      } : null,
    };
  });
  return { conversation: summary!, messages, more, total, earlier, later };
}

/** Whether a conversation with this id has anything in the corp's archive (a row, or messages stored before it). */
export async function conversationExists(db: Kysely<Database>, corpId: string, conversationId: string): Promise<boolean> {
  return (await findConversationRow(db, corpId, conversationId)) !== undefined;
}

async function conversationRow(db: Kysely<Database>, corpId: string, conversationId: string) {
  const row = await findConversationRow(db, corpId, conversationId);
  if (!row) throw new NoConversationError(conversationId);
  return row;
}

async function findConversationRow(db: Kysely<Database>, corpId: string, conversationId: string) {
  const row = await db.selectFrom('conversations').select(['conversation_id', 'kind', 'last_msgtime'])
    .where('corp_id', '=', corpId).where('conversation_id', '=', conversationId).executeTakeFirst();
  if (row) return row;
  // Messages may be stored before their conversation row (or by an older ingest): still readable.
  const any = await db.selectFrom('messages').select('msgid').where('corp_id', '=', corpId)
    .where('conversation_id', '=', conversationId).limit(1).executeTakeFirst();
  if (!any) return undefined;
  const kind: ConversationKind = storedKindOf(conversationId);
  return { conversation_id: conversationId, kind, last_msgtime: null };
}

export class NoConversationError extends UserError {
  constructor(conversationId: string) {
    super('archive_no_conversation', {
      what: { zh: '没有会话 {id}', en: 'No conversation {id}' },
      fix: { zh: '用 `wecom-archive conversations` 列出会话及其 ID', en: 'List conversations and their ids with `wecom-archive conversations`' },
      vars: { id: conversationId },
    });
  }
}

export class NoMessageError extends UserError {
  constructor(conversationId: string, msgid: string) {
    super('archive_no_message', {
      what: { zh: '会话 {id} 中没有消息 {msgid}', en: 'Conversation {id} holds no message {msgid}' },
      fix: { zh: '游标是该会话中某条消息的 msgid（见上一页的 cursors）', en: 'A cursor is the msgid of a message in this conversation (see the previous page\'s cursors)' },
      vars: { id: conversationId, msgid },
    });
  }
}

function inRange(db: Kysely<Database>, corpId: string, conversationId: string, query: ConversationQuery) {
  let q = db.selectFrom('messages').where('corp_id', '=', corpId).where('conversation_id', '=', conversationId);
  if (query.since !== undefined) q = q.where('msgtime', '>=', query.since);
  if (query.until !== undefined) q = q.where('msgtime', '<=', query.until);
  return q;
}

/** One more row than the page is read, to know whether the range holds more without counting it. */
async function pageOf(
  db: Kysely<Database>, corpId: string, conversationId: string, query: ConversationQuery,
): Promise<{ rows: Row[]; earlier: boolean; later: boolean }> {
  const q = inRange(db, corpId, conversationId, query).selectAll();
  const limit = query.limit ?? 100;
  if (query.since !== undefined) {
    const rows = await q.orderBy('msgtime').orderBy('seq').limit(limit + 1).execute();
    return { rows: rows.slice(0, limit), earlier: false, later: rows.length > limit };
  }
  const latest = await q.orderBy('msgtime', 'desc').orderBy('seq', 'desc').limit(limit + 1).execute();
  return { rows: latest.slice(0, limit).reverse(), earlier: latest.length > limit, later: false };
}

/**
 * A page next to a message, in (msgtime, seq) order: keyset reads on the conversation's msgtime
 * index, one more row than needed on each side to know whether more lie beyond. A message without
 * a time (WeCom gave 0) has no place in that order and is not reached by a cursor.
 */
async function pageAround(
  db: Kysely<Database>, corpId: string, conversationId: string, query: ConversationQuery, cursor: { msgid: string; direction: CursorDirection },
): Promise<{ rows: Row[]; earlier: boolean; later: boolean }> {
  const anchor = await inRange(db, corpId, conversationId, {}).selectAll().where('msgid', '=', cursor.msgid).executeTakeFirst();
  if (!anchor) throw new NoMessageError(conversationId, cursor.msgid);
  const limit = query.limit ?? 100;
  const time = anchor.msgtime ?? 0;
  const side = async (towards: 'before' | 'after', n: number): Promise<{ rows: Row[]; more: boolean }> => {
    if (n <= 0) return { rows: [] as Row[], more: (await side(towards, 1)).rows.length > 0 };
    const rows = await inRange(db, corpId, conversationId, query).selectAll()
      .where((eb) => towards === 'before'
        ? eb.or([eb('msgtime', '<', time), eb.and([eb('msgtime', '=', time), eb('seq', '<', anchor.seq)])])
        : eb.or([eb('msgtime', '>', time), eb.and([eb('msgtime', '=', time), eb('seq', '>', anchor.seq)])]))
      .orderBy('msgtime', towards === 'before' ? 'desc' : 'asc').orderBy('seq', towards === 'before' ? 'desc' : 'asc')
      .limit(n + 1).execute();
    const kept = rows.slice(0, n);
    return { rows: towards === 'before' ? kept.reverse() : kept, more: rows.length > n };
  };
  if (cursor.direction === 'before') {
    const { rows, more } = await side('before', limit);
    return { rows, earlier: more, later: true };
  }
  if (cursor.direction === 'after') {
    const { rows, more } = await side('after', limit);
    return { rows, earlier: true, later: more };
  }
  // The anchor in the middle: half the rest before it, the other half after (more after when odd).
  const [before, after] = await Promise.all([side('before', Math.floor((limit - 1) / 2)), side('after', Math.ceil((limit - 1) / 2))]);
  return { rows: [...before.rows, anchor, ...after.rows], earlier: before.more, later: after.more };
}

/** Counted on the (corp_id, conversation_id, msgtime) index: only when a page is cut. */
async function countInRange(db: Kysely<Database>, corpId: string, conversationId: string, query: ConversationQuery): Promise<number> {
  const row = await inRange(db, corpId, conversationId, query).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

function receiversOf(row: Row): string[] {
  try {
    const list = parseJson<unknown>(row.receivers);
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

async function mediaOf(db: Kysely<Database>, corpId: string, msgids: string[]) {
  const found = new Map<string, { status: MediaStatus; size: number | null; filename: string | null }>();
  for (const batch of chunk(msgids, rowsPerStatement(1))) {
    const rows = await db.selectFrom('message_media').select(['msgid', 'item_path', 'status', 'size', 'filename'])
      .where('corp_id', '=', corpId).where('msgid', 'in', batch).execute();
    for (const r of rows) found.set(`${r.msgid}\n${r.item_path}`, { status: r.status, size: r.size, filename: r.filename });
  }
  return found;
}

/** original msgid → the revoke entry recalling it, among the recalls that may concern this page. */
async function recallsOf(db: Kysely<Database>, corpId: string, conversationId: string, rows: Row[]) {
  const recalled = new Map<string, { msgid: string; msgtime: number | null }>();
  const times = rows.map((r) => r.msgtime).filter((t): t is number => t !== null);
  if (times.length === 0) return recalled;
  const revokes = await db.selectFrom('messages').select(['msgid', 'msgtime', 'raw_json'])
    .where('corp_id', '=', corpId).where('conversation_id', '=', conversationId).where('msgtype', '=', 'revoke')
    .where('msgtime', '>=', Math.min(...times)).where('msgtime', '<=', Math.max(...times) + RECALL_WINDOW_MS).execute();
  const onPage = new Set(rows.map((r) => r.msgid));
  for (const revoke of revokes) {
    const target = readRevokeTarget(revoke.raw_json);
    if (target && onPage.has(target)) recalled.set(target, { msgid: revoke.msgid, msgtime: revoke.msgtime });
  }
  return recalled;
}

/** The messages the page's revoke entries recall, wherever they are. */
async function originalsOf(db: Kysely<Database>, corpId: string, rows: Row[]) {
  const targets = rows.filter((r) => r.msgtype === 'revoke').map((r) => readRevokeTarget(r.raw_json)).filter((t): t is string => Boolean(t));
  const found = new Map<string, Pick<Row, 'msgid' | 'msgtime' | 'sender' | 'search_text'>>();
  for (const row of rows) if (targets.includes(row.msgid)) found.set(row.msgid, row);
  const missing = targets.filter((t) => !found.has(t));
  for (const batch of chunk(missing, rowsPerStatement(1))) {
    const more = await db.selectFrom('messages').select(['msgid', 'msgtime', 'sender', 'search_text'])
      .where('corp_id', '=', corpId).where('msgid', 'in', batch).execute();
    for (const row of more) found.set(row.msgid, row);
  }
  return found;
}

