/**
 * Bookkeeping columns every synced record table carries (the raw-records pattern, style-anchors
 * lesson H / Nango `records`). Typed columns for querying sit beside them in each table.
 *
 * Conventions shared by every table in the store:
 * - every table carries `corp_id`: several corps may share one database;
 * - times are integer epoch **milliseconds** on both dialects (`bigint` columns), WeCom's second-based
 *   times included, so one comparison works everywhere;
 * - JSON is stored as text and parsed by the repositories (identical on SQLite and PostgreSQL);
 * - booleans are integers 0/1 (better-sqlite3 cannot bind booleans).
 */
export interface RecordColumns {
  /** The record as WeCom returned it, JSON text. */
  raw_json: string;
  /** sha256 hex of the canonical JSON of everything stored for the record (hash.ts, records.ts). */
  hash: string;
  /**
   * JSON array of the fields the credential could not see (the 2022 restrictions: mobile, email,
   * avatar…), sorted; null when nothing was hidden. A hidden field's typed column stays null: a
   * blank is never written as if it were data.
   */
  hidden_fields: string | null;
  first_seen_at: number;
  /** Bumped only when `hash` changes. */
  updated_at: number;
  /** Set when the record vanished from a complete listing; cleared when it reappears. */
  deleted_at: number | null;
  /** The sync run that last wrote the row (insert, change or undelete). */
  run_id: string | null;
}

export const RECORD_COLUMN_NAMES = [
  'raw_json', 'hash', 'hidden_fields', 'first_seen_at', 'updated_at', 'deleted_at', 'run_id',
] as const satisfies readonly (keyof RecordColumns)[];
