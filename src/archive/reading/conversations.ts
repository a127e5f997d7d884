import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { Database } from '../../store/database.ts';
import type { ConversationKind } from '../../store/messages.table.ts';
import { containsPattern, containsText, dialectOf } from '../../store/sql-kit.ts';
import { SYSTEM_CONVERSATION_PATTERN, systemConversationId, systemConversationUser } from '../parser/index.ts';
import { NameBook, partyLabel, roomLabel, type PartyName, type RoomName } from './names.ts';
import { knownTime } from './time.ts';

/**
 * Conversations to browse: each with a readable title (the group's name, or who talks to whom) and
 * its last message time, filtered by who took part, kind and a search over names.
 */

/** single and group as stored; system: a member's own conversation of switch entries (parser/parties.ts). */
export const READING_KINDS = ['single', 'group', 'system'] as const;
export type ReadingKind = (typeof READING_KINDS)[number];

export interface ConversationSummary {
  corpId: string;
  id: string;
  kind: ReadingKind;
  /** Who talks in a chat without a room, the company side first (a system conversation: its member); empty for groups. */
  participants: PartyName[];
  /** Groups only. */
  room: RoomName | null;
  /** UTC ms; null when unknown. */
  lastMsgtime: number | null;
}

export interface ConversationFilters {
  /** userid: conversations the employee sent or received a message in (and their system conversation). */
  employee?: string;
  /** external_userid, likewise. */
  customer?: string;
  kind?: ReadingKind;
  /** Conversations in which any of these userids took part (a manager's scope); empty: none. */
  members?: readonly string[];
  /** This conversation only. */
  id?: string;
  /** Contained in the group's name, the id, or the name of someone in a 1:1 chat. */
  search?: string;
  limit?: number;
  offset?: number;
}

type StoredRow = { conversation_id: string; kind: ConversationKind; last_msgtime: number | null };

/** The stored kind of a conversation known only from its messages' ids (parser/parties.ts). */
export function storedKindOf(conversationId: string): ConversationKind {
  return conversationId.includes('|') || systemConversationUser(conversationId) !== null ? 'single' : 'group';
}

/** The kind people see: a system conversation is stored as a chat without a room. */
export function readingKind(conversationId: string, stored: ConversationKind): ReadingKind {
  return systemConversationUser(conversationId) === null ? stored : 'system';
}

/**
 * The members of a chat without a room, from its id: parser/parties.ts defines such a conversation_id
 * as the sorted participant ids joined by `|` (a roomid never contains `|`); a system conversation's
 * member follows its prefix.
 */
export function participantIds(conversationId: string, kind: ReadingKind): string[] {
  if (kind === 'system') return [systemConversationUser(conversationId)!];
  return kind === 'single' ? conversationId.split('|').filter(Boolean) : [];
}

type Eb = ExpressionBuilder<Database, 'conversations'>;

const isSystem = sql<SqlBool>`conversations.conversation_id like ${SYSTEM_CONVERSATION_PATTERN}`;

/** A 1:1 chat between `id` and someone (the id is one of the parts of the conversation id), or their system conversation. */
function inSingle(eb: Eb, id: string): Expression<SqlBool> {
  const like = (pattern: string) => sql<SqlBool>`conversations.conversation_id like ${pattern} escape '\\'`;
  const escaped = containsPattern(id).slice(1, -1);
  return eb.and([eb('conversations.kind', '=', 'single'), eb.or([
    eb('conversations.conversation_id', '=', id), eb('conversations.conversation_id', '=', systemConversationId(id)),
    like(`${escaped}|%`), like(`%|${escaped}`), like(`%|${escaped}|%`),
  ])]);
}

/**
 * A person took part in a conversation: in a 1:1 chat their id is part of the conversation id; in a
 * group they sent a message or were among its receivers (`tolist` lists the other members).
 */
export function tookPart(eb: Eb, db: Kysely<Database>, id: string): Expression<SqlBool> {
  const dialect = dialectOf(db);
  return eb.or([
    inSingle(eb, id),
    eb.and([eb('conversations.kind', '=', 'group'), eb.exists(eb.selectFrom('messages as m').select('m.id')
      .whereRef('m.corp_id', '=', 'conversations.corp_id').whereRef('m.conversation_id', '=', 'conversations.conversation_id')
      .where((inner) => inner.or([inner('m.sender', '=', id), containsText(dialect, sql.ref('m.receivers'), JSON.stringify(id))])))]),
  ]);
}

/** The conversations matching the filters, not yet ordered or paged (the list and its count share it). */
async function matching(db: Kysely<Database>, corpId: string, filters: ConversationFilters) {
  let query = db.selectFrom('conversations').where('corp_id', '=', corpId);
  if (filters.kind === 'group') query = query.where('kind', '=', 'group');
  if (filters.kind === 'single') query = query.where('kind', '=', 'single').where(sql<SqlBool>`not ${isSystem}`);
  if (filters.kind === 'system') query = query.where(isSystem);
  for (const id of [filters.employee, filters.customer]) {
    if (id !== undefined) query = query.where((eb) => tookPart(eb, db, id));
  }
  if (filters.id !== undefined) query = query.where('conversation_id', '=', filters.id);
  const members = filters.members;
  if (members !== undefined) query = query.where((eb) => (members.length === 0 ? sql<SqlBool>`1 = 0` : eb.or(members.map((id) => tookPart(eb, db, id)))));
  const search = filters.search?.trim();
  if (search) {
    const people = await idsNamed(db, corpId, search);
    const dialect = dialectOf(db);
    query = query.where((eb) => eb.or([
      containsText(dialect, sql.ref('conversations.name'), search),
      containsText(dialect, sql.ref('conversations.conversation_id'), search),
      eb.exists(eb.selectFrom('archive_rooms as r').select('r.roomid').whereRef('r.corp_id', '=', 'conversations.corp_id')
        .whereRef('r.roomid', '=', 'conversations.conversation_id').where(containsText(dialect, sql.ref('r.name'), search))),
      eb.exists(eb.selectFrom('customer_groups as g').select('g.chat_id').whereRef('g.corp_id', '=', 'conversations.corp_id')
        .whereRef('g.chat_id', '=', 'conversations.conversation_id').where(containsText(dialect, sql.ref('g.name'), search))),
      ...people.map((id) => inSingle(eb, id)),
    ]));
  }
  return query;
}

/** Most recently active first. */
export async function listConversations(
  db: Kysely<Database>, corpId: string, filters: ConversationFilters = {},
): Promise<ConversationSummary[]> {
  const rows = await (await matching(db, corpId, filters)).select(['conversation_id', 'kind', 'last_msgtime'])
    // Without a time last on both databases (PostgreSQL would put NULL first in a descending order).
    .orderBy('last_msgtime', (order) => order.desc().nullsLast()).orderBy('conversation_id')
    .limit(filters.limit ?? 50).offset(filters.offset ?? 0).execute();
  return summarize(db, corpId, rows);
}

/** How many conversations match the filters (limit and offset aside): what a cut list says it left out of. */
export async function countConversations(db: Kysely<Database>, corpId: string, filters: ConversationFilters = {}): Promise<number> {
  const row = await (await matching(db, corpId, filters)).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Turns conversation rows into summaries with names, in one batch of lookups. */
export async function summarize(
  db: Kysely<Database>, corpId: string, rows: readonly StoredRow[], names = new NameBook(db, corpId),
): Promise<ConversationSummary[]> {
  const kinds = rows.map((r) => readingKind(r.conversation_id, r.kind));
  await names.load(rows.flatMap((r, i) => participantIds(r.conversation_id, kinds[i]!)));
  await names.loadRooms(rows.filter((r) => r.kind === 'group').map((r) => r.conversation_id));
  return rows.map((r, i) => ({
    corpId,
    id: r.conversation_id,
    kind: kinds[i]!,
    participants: participantIds(r.conversation_id, kinds[i]!).map((id) => names.party(id)).sort(byKind),
    room: r.kind === 'group' ? names.room(r.conversation_id) : null,
    lastMsgtime: knownTime(r.last_msgtime),
  }));
}

const KIND_ORDER = { employee: 0, robot: 1, customer: 2 } as const;
/** The company's side first: 张三 ↔ 客户李四, whatever the ids' order. */
const byKind = (a: PartyName, b: PartyName) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind];

const SYSTEM_TITLE: Text = { zh: '系统记录：{name}', en: 'System log: {name}' };

/** 华东客户交流群, 张三 ↔ 客户李四, or 系统记录：张三. */
export function conversationTitle(summary: ConversationSummary, lang: Lang): string {
  if (summary.room) return roomLabel(summary.room, lang);
  const names = summary.participants.map((p) => partyLabel(p, lang));
  if (summary.kind === 'system') return t(SYSTEM_TITLE, lang, { name: names[0] ?? summary.id });
  return names.join(' ↔ ') || summary.id;
}

/** Employees and customers whose name contains the text (a name search, not a message search). */
async function idsNamed(db: Kysely<Database>, corpId: string, text: string): Promise<string[]> {
  const dialect = dialectOf(db);
  const [employees, customers] = await Promise.all([
    db.selectFrom('employees').select('userid as id').where('corp_id', '=', corpId)
      .where(containsText(dialect, sql.ref('name'), text)).limit(50).execute(),
    db.selectFrom('customers').select('external_userid as id').where('corp_id', '=', corpId)
      .where(containsText(dialect, sql.ref('name'), text)).limit(50).execute(),
  ]);
  return [...employees, ...customers].map((r) => r.id);
}
