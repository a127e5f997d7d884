import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../store/database.ts';
import { buildSearchQuery, readsByWindows, searchPlan, searchTerms, usesIndex, type SearchPlan } from '../../store/message-search.ts';
import { newestFirstByWindows } from '../../store/message-search-windows.ts';
import type { ConversationKind } from '../../store/messages.table.ts';
import { chunk, containsText, dialectOf, rowsPerStatement } from '../../store/sql-kit.ts';
import { storedKindOf, summarize, type ConversationSummary } from './conversations.ts';
import { NameBook, type PartyName } from './names.ts';
import { knownTime } from './time.ts';

/**
 * Full-text search over the archive: the store's searchMessages (trigram index for 3+ characters,
 * a LIKE scan below that; search_text holds nested items and file names too), narrowed by who took
 * part, and each hit returned with its conversation's and sender's names and a snippet around it.
 */

export interface ArchiveSearchQuery {
  text: string;
  /** Only messages without a msgtime (PostgreSQL's last search window, store/message-search-windows.ts). */
  untimed?: boolean;
  /** msgtime bounds, UTC ms, inclusive. */
  since?: number;
  until?: number;
  /** userid: messages the employee sent or received. */
  employee?: string;
  /** external_userid: messages the customer sent or received. */
  customer?: string;
  conversationId?: string;
  /** Only in these conversations (a manager's scope); empty: nothing. */
  conversationIds?: readonly string[];
  msgtypes?: readonly string[];
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  corpId: string;
  msgid: string;
  seq: bigint;
  /** UTC ms. */
  time: number | null;
  msgtype: string | null;
  conversation: ConversationSummary;
  sender: PartyName | null;
  /** The text around the first match, the match in 【】. */
  snippet: string;
}

export interface SearchResult {
  hits: SearchHit[];
  /** The query was long enough for the trigram index (shorter ones scan, correctly but slower). */
  indexed: boolean;
}

/** The query searchArchive runs (exported so tests can EXPLAIN it); undefined for an empty text. */
export function buildArchiveSearch(db: Kysely<Database>, corpId: string, query: ArchiveSearchQuery, plan?: SearchPlan) {
  let built = buildSearchQuery(db, corpId, query.text.trim(), {
    conversationId: query.conversationId, msgtypes: query.msgtypes, since: query.since, until: query.until, untimed: query.untimed,
    limit: query.limit ?? 50, offset: query.offset,
  }, plan);
  const dialect = dialectOf(db);
  const ids = query.conversationIds;
  if (ids !== undefined && built) built = built.where((eb) => (ids.length === 0 ? sql<SqlBool>`1 = 0` : eb('messages.conversation_id', 'in', [...ids])));
  for (const id of [query.employee, query.customer]) {
    if (id === undefined || !built) continue;
    // receivers is the JSON array `tolist`: the quoted id matches one element exactly.
    built = built.where((eb) => eb.or([eb('messages.sender', '=', id), containsText(dialect, sql.ref('messages.receivers'), JSON.stringify(id))]));
  }
  return built;
}

export async function searchArchive(db: Kysely<Database>, corpId: string, query: ArchiveSearchQuery): Promise<SearchResult> {
  const text = query.text.trim();
  const indexed = usesIndex(text);
  if (searchTerms(text).length === 0) return { hits: [], indexed };
  const rows = readsByWindows(db, text)
    ? await newestFirstByWindows(db, corpId, query, ({ plan, ...w }) => buildArchiveSearch(db, corpId, { ...query, ...w, offset: 0 }, plan)!.execute())
    : await buildArchiveSearch(db, corpId, query, await searchPlan(db, text))!.execute();

  const names = new NameBook(db, corpId);
  const conversations = await conversationsOf(db, corpId, rows.map((r) => r.conversation_id).filter((id): id is string => Boolean(id)), names);
  await names.load(rows.map((r) => r.sender).filter((id): id is string => Boolean(id)));
  const hits = rows.map((row): SearchHit => ({
    corpId,
    msgid: row.msgid,
    seq: row.seq,
    time: knownTime(row.msgtime),
    msgtype: row.msgtype,
    conversation: conversations.get(row.conversation_id ?? '') ?? {
      corpId, id: row.conversation_id ?? '', kind: 'single', participants: [], room: null, lastMsgtime: null,
    },
    sender: row.sender ? names.party(row.sender) : null,
    snippet: snippet(row.search_text ?? '', text),
  }));
  return { hits, indexed };
}

async function conversationsOf(db: Kysely<Database>, corpId: string, ids: string[], names: NameBook) {
  const unique = [...new Set(ids)];
  const rows: { conversation_id: string; kind: ConversationKind; last_msgtime: number | null }[] = [];
  for (const batch of chunk(unique, rowsPerStatement(1))) {
    rows.push(...await db.selectFrom('conversations').select(['conversation_id', 'kind', 'last_msgtime'])
      .where('corp_id', '=', corpId).where('conversation_id', 'in', batch).execute());
  }
  const known = new Set(rows.map((r) => r.conversation_id));
  // A message stored before its conversation row: its kind follows from the id (parser/parties.ts).
  for (const id of unique) {
    if (!known.has(id)) rows.push({ conversation_id: id, kind: storedKindOf(id), last_msgtime: null });
  }
  const summaries = await summarize(db, corpId, rows, names);
  return new Map(summaries.map((s) => [s.id, s]));
}

const BEFORE = 20;
const AFTER = 40;

/**
 * `…前文【命中】后文…` on one line, around the first word of the query found, every word marked; the
 * start of the text when none is found as typed.
 */
export function snippet(searchText: string, query: string): string {
  const text = [...searchText.replace(/\s*\n\s*/g, ' / ').trim()];
  const lower = text.map((c) => c.toLowerCase());
  // Longest first, so a word inside a longer one is marked as the longer one.
  const needles = searchTerms(query).map((term) => [...term.toLowerCase()]).sort((a, b) => b.length - a.length);
  const matchAt = (i: number) => needles.find((needle) => i + needle.length <= lower.length && needle.every((c, k) => lower[i + k] === c));
  let at = 0;
  let first: string[] | undefined;
  while (at < lower.length && !(first = matchAt(at))) at++;
  if (!first) return text.length > BEFORE + AFTER ? `${text.slice(0, BEFORE + AFTER).join('')}…` : text.join('');
  const from = Math.max(0, at - BEFORE);
  let to = Math.min(text.length, at + first.length + AFTER);
  let out = from > 0 ? '…' : '';
  for (let i = from; i < to;) {
    const needle = matchAt(i);
    if (!needle) {
      out += text[i++];
      continue;
    }
    out += `【${text.slice(i, i + needle.length).join('')}】`;
    i += needle.length;
    to = Math.max(to, i);
  }
  return `${out}${to < text.length ? '…' : ''}`;
}
