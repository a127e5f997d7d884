import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from './database.ts';
import type { MessageRow } from './messages.repository.ts';
import { containsText, dialectOf } from './sql-kit.ts';

/**
 * Full-text search over messages, one implementation per dialect (dependencies.md §2–§3):
 * - 3+ characters: SQLite's FTS5 trigram index (MATCH on a quoted phrase = substring), PostgreSQL's
 *   pg_trgm GIN index (ILIKE '%…%' uses it);
 * - 1–2 characters: no trigram exists to look up, so both fall back to a LIKE scan (correct, slower).
 * Matching is a case-insensitive substring match of the whole query, spaces included.
 */

export interface MessageSearchFilters {
  conversationId?: string;
  sender?: string;
  msgtypes?: readonly string[];
  /** msgtime bounds, epoch ms, inclusive. */
  since?: number;
  until?: number;
  limit?: number;
  offset?: number;
}

export type MessageHit = Pick<MessageRow,
  'id' | 'seq' | 'msgid' | 'msgtype' | 'conversation_id' | 'sender' | 'msgtime' | 'search_text'>;

/** Characters (code points, as the trigram tokenizers count) needed to use the index. */
export const MIN_INDEXED_QUERY_LENGTH = 3;

/** Newest first. An empty query finds nothing. */
export async function searchMessages(
  db: Kysely<Database>, corpId: string, query: string, filters: MessageSearchFilters = {},
): Promise<MessageHit[]> {
  const built = buildSearchQuery(db, corpId, query, filters);
  return built ? built.execute() : [];
}

/** The query searchMessages runs (exported so tests can EXPLAIN it); undefined for an empty query. */
export function buildSearchQuery(
  db: Kysely<Database>, corpId: string, query: string, filters: MessageSearchFilters = {},
): SelectQueryBuilder<Database, 'messages', MessageHit> | undefined {
  const text = query.trim();
  if (text === '') return undefined;
  const dialect = dialectOf(db);
  let q = db.selectFrom('messages')
    .select(['messages.id', 'messages.seq', 'messages.msgid', 'messages.msgtype', 'messages.conversation_id',
      'messages.sender', 'messages.msgtime', 'messages.search_text'])
    .where('messages.corp_id', '=', corpId);
  if (dialect === 'sqlite' && [...text].length >= MIN_INDEXED_QUERY_LENGTH) {
    const hits = sql<number>`(select rowid from messages_fts where messages_fts match ${ftsPhrase(text)})`;
    q = q.where('messages.id', 'in', hits);
  } else {
    q = q.where(containsText(dialect, sql.ref('messages.search_text'), text));
  }
  if (filters.conversationId !== undefined) q = q.where('messages.conversation_id', '=', filters.conversationId);
  if (filters.sender !== undefined) q = q.where('messages.sender', '=', filters.sender);
  if (filters.msgtypes && filters.msgtypes.length > 0) q = q.where('messages.msgtype', 'in', [...filters.msgtypes]);
  if (filters.since !== undefined) q = q.where('messages.msgtime', '>=', filters.since);
  if (filters.until !== undefined) q = q.where('messages.msgtime', '<=', filters.until);
  return q.orderBy('messages.msgtime', 'desc').orderBy('messages.id', 'desc')
    .limit(filters.limit ?? 50).offset(filters.offset ?? 0);
}

/** An FTS5 phrase: the text in double quotes (inner quotes doubled), so no character is FTS syntax. */
function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
