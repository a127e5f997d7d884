import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Database } from './database.ts';
import type { MessageTable } from './messages.table.ts';
import { newestFirstByWindows, type SearchPlan } from './message-search-windows.ts';
import { containsText, dialectOf } from './sql-kit.ts';

/**
 * Full-text search over messages, one implementation per dialect (dependencies.md §2–§3):
 * - 3+ characters: SQLite's FTS5 trigram index (MATCH on a quoted phrase = substring), PostgreSQL's
 *   pg_trgm GIN index (ILIKE '%…%' uses it);
 * - 1–2 characters: no trigram exists to look up, so both fall back to a LIKE scan (correct, slower).
 * A query is words separated by spaces, each a case-insensitive substring the message must hold, in
 * any order (`合同 法务`); a part in double quotes is one phrase, spaces included (`"quote v2" 合同`). Words of
 * 3+ characters use the index; shorter ones are checked on the rows it finds (or scanned, alone).
 */

export interface MessageSearchFilters {
  conversationId?: string;
  sender?: string;
  msgtypes?: readonly string[];
  /** msgtime bounds, epoch ms, inclusive. */
  since?: number;
  until?: number;
  /** Only messages without a msgtime (PostgreSQL's last search window, message-search-windows.ts). */
  untimed?: boolean;
  limit?: number;
  offset?: number;
}

// The table's row type, not the repository's MessageRow: the repository imports this file.
export type MessageHit = Pick<Selectable<MessageTable>,
  'id' | 'seq' | 'msgid' | 'msgtype' | 'conversation_id' | 'sender' | 'msgtime' | 'search_text'>;

/** Characters (code points, as the trigram tokenizers count) needed to use the index. */
export const MIN_INDEXED_QUERY_LENGTH = 3;

/** The words a message must hold (see above), a quoted phrase as one; none for a blank query. */
export function searchTerms(query: string): string[] {
  // \s takes the ideographic space (U+3000) of Chinese input too; an unclosed quote is a character.
  const terms = [...query.matchAll(/"([^"]*)"|(\S+)/gu)].map((m) => (m[1] ?? m[2]!).trim()).filter(Boolean);
  return [...new Set(terms)];
}

function indexedTerms(terms: readonly string[]): string[] {
  return terms.filter((term) => [...term].length >= MIN_INDEXED_QUERY_LENGTH);
}

/** At least one word is long enough for the index (else every message is scanned: correct, slower). */
export function usesIndex(query: string): boolean {
  return indexedTerms(searchTerms(query)).length > 0;
}

export type { SearchPlan };

/**
 * Up to this many FTS hits the `hits` plan wins: ~13 µs per hit fetched and sorted against ~0.2 µs
 * per time-index entry walked, so both plans stay near 10 ms at the crossover (at 1M messages).
 */
export const FEW_HITS = 1000;

/**
 * Picks the plan from how many messages contain the text, counted no further than FEW_HITS + 1 (a
 * bounded read of the FTS index). The count spans all corps: an upper bound of this corp's hits.
 */
export async function searchPlan(db: Kysely<Database>, query: string): Promise<SearchPlan> {
  const indexed = indexedTerms(searchTerms(query));
  if (dialectOf(db) !== 'sqlite' || indexed.length === 0) return 'time';
  const { rows } = await sql<{ n: number | bigint }>`select count(*) as n from (select rowid from messages_fts
    where messages_fts match ${ftsQuery(indexed)} limit ${FEW_HITS + 1})`.execute(db);
  return Number(rows[0]?.n ?? 0) <= FEW_HITS ? 'hits' : 'time';
}

/** Newest first. An empty query finds nothing. */
export async function searchMessages(
  db: Kysely<Database>, corpId: string, query: string, filters: MessageSearchFilters = {},
): Promise<MessageHit[]> {
  if (searchTerms(query).length === 0) return [];
  if (readsByWindows(db, query)) {
    return newestFirstByWindows(db, corpId, filters, ({ plan, ...w }) => buildSearchQuery(db, corpId, query, { ...filters, ...w, offset: 0 }, plan)!.execute());
  }
  const built = buildSearchQuery(db, corpId, query, filters, await searchPlan(db, query));
  return built ? built.execute() : [];
}

/** PostgreSQL reads an indexed search window by window (message-search-windows.ts); SQLite plans it whole. */
export function readsByWindows(db: Kysely<Database>, query: string): boolean {
  return dialectOf(db) === 'postgres' && usesIndex(query);
}

/** The query searchMessages runs (exported so tests can EXPLAIN it); undefined for an empty query. */
export function buildSearchQuery(
  db: Kysely<Database>, corpId: string, query: string, filters: MessageSearchFilters = {}, plan?: SearchPlan,
): SelectQueryBuilder<Database, 'messages', MessageHit> | undefined {
  const terms = searchTerms(query);
  if (terms.length === 0) return undefined;
  const indexed = indexedTerms(terms);
  const dialect = dialectOf(db);
  let q = db.selectFrom('messages')
    .select(['messages.id', 'messages.seq', 'messages.msgid', 'messages.msgtype', 'messages.conversation_id',
      'messages.sender', 'messages.msgtime', 'messages.search_text']);
  if (dialect === 'sqlite' && indexed.length > 0) {
    const hits = sql<number>`(select rowid from messages_fts where messages_fts match ${ftsQuery(indexed)})`;
    // SQLite's `+column` keeps an index from being used for that term: with no index on corp_id left
    // to walk, the planner drives the query from the FTS hits (the `hits` plan).
    const corp = plan === 'hits' ? sql<string>`+messages.corp_id` : sql.ref<string>('messages.corp_id');
    q = q.where(corp, '=', corpId).where('messages.id', 'in', hits);
    for (const term of terms.filter((t) => !indexed.includes(t))) q = q.where(containsText(dialect, sql.ref('messages.search_text'), term));
  } else {
    // PostgreSQL `time`: `search_text || ''` matches no index, so the plan cannot start from the trigram index.
    const column = dialect === 'postgres' && plan === 'time' && indexed.length > 0
      ? sql`(messages.search_text || '')` : sql.ref('messages.search_text');
    q = q.where('messages.corp_id', '=', corpId);
    for (const term of terms) q = q.where(containsText(dialect, column, term));
  }
  if (filters.conversationId !== undefined) q = q.where('messages.conversation_id', '=', filters.conversationId);
  if (filters.sender !== undefined) q = q.where('messages.sender', '=', filters.sender);
  if (filters.msgtypes && filters.msgtypes.length > 0) q = q.where('messages.msgtype', 'in', [...filters.msgtypes]);
  if (filters.since !== undefined) q = q.where('messages.msgtime', '>=', filters.since);
  if (filters.until !== undefined) q = q.where('messages.msgtime', '<=', filters.until);
  if (filters.untimed) q = q.where('messages.msgtime', 'is', null);
  // PostgreSQL `hits`: `msgtime + 0` sorts alike but matches no index, so no plan walks messages_time in its order.
  const time = dialect === 'postgres' && plan === 'hits' ? sql<number>`messages.msgtime + 0` : sql.ref<number>('messages.msgtime');
  return q.orderBy(time, 'desc').orderBy('messages.id', 'desc')
    .limit(filters.limit ?? 50).offset(filters.offset ?? 0);
}

/** FTS5 phrases, all required: each word in double quotes (inner quotes doubled), so no character is FTS syntax. */
function ftsQuery(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' AND ');
}
