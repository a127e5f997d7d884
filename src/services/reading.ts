import {
  countConversations, conversationExists, conversationTitle, listConversations as listIn, NoConversationError, parseMsgtypes,
  parseTimeRange, partyLabel, READING_KINDS, readConversation as readIn, renderMessage, resolvePersonIn, searchArchive, SWITCHED,
  timeText, typeLabel, type ConversationSummary, type CursorDirection, type PartyName, type ReadingKind, type SearchHit,
} from '../archive/reading/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Store } from '../store/database.ts';
import { UserError } from '../util/errors.ts';
import { requireCapability, requireContent } from './access.ts';
import { audited } from './audit.ts';
import type { Runtime } from './runtime.ts';
import { checkConversation, conversationsInScope, hidingAbsence, isNoConversation, membersInScope } from './scope.ts';
import {
  READING_MAX_LIMIT, type ConversationItem, type ConversationResult, type ConversationsResult, type MessageItem, type PartyLabel,
  type SearchHitItem, type SearchResult,
} from './types/reading.ts';

/**
 * Reading the archive, for every face: list conversations, read one, search messages. Each covers
 * every configured corp (or `corp` alone), merges the corps' rows in time order, and says when a
 * limit left rows out. People are given by id or name, times as China time, types by name: all
 * turned into what the queries take here, so every face reads them the same way.
 */

export interface ConversationsInput {
  corp?: string;
  /** userid or name. */
  employee?: string;
  /** external_userid or name. */
  customer?: string;
  /** single, group or system. */
  kind?: string;
  /** In a group's name, the id, or the name of someone in a 1:1 chat. */
  search?: string;
  /** Default 50. */
  limit?: number;
  lang?: Lang;
}

export interface ReadConversationInput {
  id: string;
  corp?: string;
  /** China time (`2026-11-20`, `2026-11-20 14:00`); with it, the first `limit` messages from there. */
  from?: string;
  to?: string;
  /** Default 100: the latest, unless `from` is given (or a cursor). */
  limit?: number;
  /**
   * Cursors (a msgid of this conversation; at most one): the page just before it, just after it,
   * or with it in the middle. `cursors` in the result gives the msgids for the pages beside.
   */
  before?: string;
  after?: string;
  around?: string;
  lang?: Lang;
}

export interface SearchInput {
  text: string;
  from?: string;
  to?: string;
  employee?: string;
  customer?: string;
  conversation?: string;
  /** Message types: `text,file` or a list. */
  types?: string | readonly string[];
  /** Default 50. */
  limit?: number;
  corp?: string;
  lang?: Lang;
}

export async function listConversations(rt: Runtime, input: ConversationsInput = {}): Promise<ConversationsResult> {
  const lang = input.lang ?? 'zh';
  const kind = parseKind(input.kind);
  const limit = checkLimit(input.limit, 50);
  // Who talked to whom is not content (no purpose, no audit row), but a viewer sees none of it.
  requireCapability(rt, 'content');
  const store = await rt.readStore();
  const scope = await peopleIn(store, corpIdsOf(rt, input.corp), input);
  const perCorp = await Promise.all(scope.map(async ({ corpId, employee, customer }) => {
    const members = await membersInScope(rt, store, corpId);
    const filters = { employee, customer, kind, search: input.search, members: members ?? undefined };
    // One more than asked says whether the corp has more without counting; count only then.
    const rows = await listIn(store.db, corpId, { ...filters, limit: limit + 1 });
    const total = rows.length > limit ? await countConversations(store.db, corpId, filters) : rows.length;
    return { rows, total };
  }));
  const all = perCorp.flatMap((corp) => corp.rows).sort((a, b) => newestFirst(a.lastMsgtime, b.lastMsgtime) || a.id.localeCompare(b.id));
  const total = perCorp.reduce((sum, corp) => sum + corp.total, 0);
  return { ok: true, conversations: all.slice(0, limit).map((c) => conversationItem(c, lang)), truncated: total > limit, total };
}

/** One conversation's page: needs a purpose, is in scope, and is one audit row (`conversation.view`). */
export async function readConversation(rt: Runtime, input: ReadConversationInput): Promise<ConversationResult> {
  const { id, corp, from, to, before, after, around, limit } = input;
  const detail = { corp, from, to, before, after, around, limit };
  return audited(rt, { action: 'conversation.view', target: corp ? `${corp}/${id}` : id, purpose: rt.access.conversationPurposes[id] ?? rt.access.purpose, detail },
    () => hidingAbsence(rt, () => readScoped(rt, input), isNoConversation));
}

async function readScoped(rt: Runtime, input: ReadConversationInput): Promise<ConversationResult> {
  requireContent(rt, input.id);
  const lang = input.lang ?? 'zh';
  const range = parseTimeRange(input.from, input.to);
  const limit = checkLimit(input.limit, 100);
  const store = await rt.readStore();
  const corpId = await ownerOf(store, corpIdsOf(rt, input.corp), input.id);
  await checkConversation(rt, store, corpId, input.id);
  const cursor = cursorOf(input);
  const view = await readIn(store.db, corpId, input.id, { ...range, limit, cursor });
  const group = view.conversation.kind === 'group';
  const first = view.messages[0]?.msgid ?? null;
  const last = view.messages[view.messages.length - 1]?.msgid ?? null;
  return {
    ok: true,
    conversation: conversationItem(view.conversation, lang),
    messages: view.messages.map((m): MessageItem => ({
      ...m,
      seq: m.seq.toString(),
      timeText: timeText(m.time),
      sender: m.sender && labelled(m.sender, lang),
      lines: renderMessage(m, lang, group),
    })),
    truncated: view.more,
    total: view.total,
    direction: view.earlier && view.later ? 'both' : view.later ? 'later' : view.earlier || range.since === undefined ? 'earlier' : 'later',
    cursors: { before: view.earlier ? first : null, after: view.later ? last : null },
  };
}

/** A search: needs a purpose, covers the actor's scope only, and is one audit row (`search`, with its query and filters). */
export async function searchMessages(rt: Runtime, input: SearchInput): Promise<SearchResult> {
  const { text, lang: _lang, ...filters } = input;
  const purpose = input.conversation === undefined ? rt.access.purpose : rt.access.conversationPurposes[input.conversation] ?? rt.access.purpose;
  return audited(rt, { action: 'search', target: input.conversation ?? null, purpose, detail: { query: text, ...filters } }, () => searchScoped(rt, input));
}

async function searchScoped(rt: Runtime, input: SearchInput): Promise<SearchResult> {
  requireContent(rt, input.conversation);
  const lang = input.lang ?? 'zh';
  const text = input.text.trim();
  if (!text) throw new EmptySearchError();
  const range = parseTimeRange(input.from, input.to);
  const msgtypes = parseMsgtypes(typeof input.types === 'string' || input.types === undefined ? input.types : input.types.join(','));
  const limit = checkLimit(input.limit, 50);
  const store = await rt.readStore();
  const scope = await peopleIn(store, corpIdsOf(rt, input.corp), input);
  let indexed = true;
  const found: SearchHit[] = [];
  // One corp after another: on SQLite they share one connection anyway.
  for (const { corpId, employee, customer } of scope) {
    const conversationIds = await conversationsInScope(rt, store, corpId);
    const result = await searchArchive(store.db, corpId, {
      text, ...range, employee, customer, conversationId: input.conversation, conversationIds: conversationIds ?? undefined, msgtypes, limit: limit + 1,
    });
    indexed = result.indexed;
    found.push(...result.hits);
  }
  // Stable: within one time, each corp keeps its own order (newest stored first).
  found.sort((a, b) => newestFirst(a.time, b.time));
  const hits = found.slice(0, limit).map((hit): SearchHitItem => ({
    corpId: hit.corpId,
    msgid: hit.msgid,
    seq: hit.seq.toString(),
    time: hit.time,
    timeText: timeText(hit.time),
    msgtype: hit.msgtype,
    typeLabel: typeLabel(hit.msgtype ?? '', lang),
    conversation: conversationItem(hit.conversation, lang),
    sender: hit.sender && labelled(hit.sender, lang),
    // A switch has no words of its own: it says what happened (its member is the sender).
    snippet: hit.msgtype === 'switch' ? t(SWITCHED, lang) : hit.snippet,
  }));
  return { ok: true, hits, truncated: found.length > limit, indexed };
}

function cursorOf(input: ReadConversationInput): { msgid: string; direction: CursorDirection } | undefined {
  const given = (['before', 'after', 'around'] as const).filter((direction) => input[direction] !== undefined);
  if (given.length > 1) {
    throw new UserError('archive_cursor_conflict', {
      what: { zh: '只能给一个游标（before、after 或 around），收到了 {given}', en: 'Give one cursor at most (before, after or around); got {given}' },
      vars: { given: given.join(', ') },
    });
  }
  const direction = given[0];
  return direction === undefined ? undefined : { msgid: input[direction]!, direction };
}

function corpIdsOf(rt: Runtime, corp: string | undefined): string[] {
  return rt.corps(corp).map((config) => config.corpId!);
}

/**
 * The corps to read, each with the employee and customer asked for as that corp knows them; a corp
 * where the name means nobody is left out (resolvePersonIn fails only when no corp knows it).
 */
async function peopleIn(store: Store, corpIds: string[], input: { employee?: string; customer?: string }) {
  const employees = input.employee === undefined ? undefined : await resolvePersonIn(store.db, corpIds, 'employee', input.employee);
  const customers = input.customer === undefined ? undefined : await resolvePersonIn(store.db, corpIds, 'customer', input.customer);
  return corpIds
    .filter((corpId) => (!employees || employees.has(corpId)) && (!customers || customers.has(corpId)))
    .map((corpId) => ({ corpId, employee: employees?.get(corpId), customer: customers?.get(corpId) }));
}

/**
 * The corp holding a conversation. Ids are not unique across corps (two corps may each have members
 * `lisi` and `zhangsan`, whose chat is `lisi|zhangsan` in both), so more than one is a question for
 * the user.
 */
async function ownerOf(store: Store, corpIds: string[], id: string): Promise<string> {
  if (corpIds.length === 1) return corpIds[0]!;
  const owners: string[] = [];
  for (const corpId of corpIds) if (await conversationExists(store.db, corpId, id)) owners.push(corpId);
  if (owners.length === 0) throw new NoConversationError(id);
  if (owners.length > 1) throw new AmbiguousConversationError(id, owners);
  return owners[0]!;
}

function conversationItem(summary: ConversationSummary, lang: Lang): ConversationItem {
  return { ...summary, title: conversationTitle(summary, lang), lastTime: timeText(summary.lastMsgtime) };
}

function labelled(party: PartyName, lang: Lang): PartyLabel {
  return { ...party, label: partyLabel(party, lang) };
}

/** Newest first; an unknown time sorts after every known one. */
function newestFirst(a: number | null, b: number | null): number {
  return (b ?? -Infinity) - (a ?? -Infinity) || 0;
}

function parseKind(given: string | undefined): ReadingKind | undefined {
  if (given === undefined) return undefined;
  if ((READING_KINDS as readonly string[]).includes(given)) return given as ReadingKind;
  throw new UserError('archive_bad_kind', {
    what: { zh: '会话类型只能是 single、group 或 system：{value}', en: 'The conversation kind must be single, group or system: {value}' },
    fix: { zh: 'single 为单聊，group 为群聊，system 为成员的系统记录（切换企业）', en: 'single: 1:1 chats; group: group chats; system: a member\'s system log (company switches)' },
    vars: { value: given },
  });
}

function checkLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (Number.isInteger(limit) && limit >= 1 && limit <= READING_MAX_LIMIT) return limit;
  throw new UserError('archive_bad_limit', {
    what: { zh: '条数上限无效：{value}', en: 'Invalid limit: {value}' },
    why: { zh: '它须是 1 到 {max} 之间的整数', en: 'It must be a whole number from 1 to {max}' },
    vars: { value: String(limit), max: READING_MAX_LIMIT },
  });
}

export class EmptySearchError extends UserError {
  constructor() {
    super('archive_empty_search', {
      what: { zh: '搜索内容为空', en: 'Nothing to search for' },
      why: { zh: '空白的搜索词会匹配所有消息', en: 'A blank search would match every message' },
      fix: {
        zh: '给出要找的文字，如 wecom-archive search 合同；按时间浏览一个会话用 wecom-archive conversation <ID>',
        en: 'Give the text to find, e.g. wecom-archive search contract; to browse a conversation by time use wecom-archive conversation <id>',
      },
    });
  }
}

export class AmbiguousConversationError extends UserError {
  constructor(id: string, corpIds: string[]) {
    super('archive_conversation_ambiguous', {
      what: { zh: '会话 {id} 在 {count} 个企业中都有：{corps}', en: 'Conversation {id} exists in {count} corps: {corps}' },
      why: { zh: '单聊的 ID 由双方的 userid 组成，不同企业可能有相同的 userid', en: 'A 1:1 chat\'s id is made of the two userids, and different corps may have the same userids' },
      fix: { zh: '加上 --corp <企业ID> 指定其中一个', en: 'Add --corp <corp id> to choose one' },
      vars: { id, count: corpIds.length, corps: corpIds.join(', ') },
    });
  }
}
