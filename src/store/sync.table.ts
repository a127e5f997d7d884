/** Corps and sync bookkeeping. */

export interface CorpTable {
  corp_id: string;
  name: string | null;
  created_at: number;
}

/**
 * One opaque cursor per (corp, stream): a WeCom next_cursor, a department id, the archive seq as a
 * decimal string… Written in the same transaction as the page it follows (withCheckpoint).
 */
export interface SyncCursorTable {
  corp_id: string;
  stream: string;
  cursor: string;
  updated_at: number;
}

export const RUN_STATUSES = ['running', 'succeeded', 'partial', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface SyncRunTable {
  /** A UUID made in TypeScript, so rows can carry it before the run is finished. */
  id: string;
  corp_id: string;
  /** What ran: `directory`, `customers`, `groups`, `archive`… (chosen by the sync). */
  kind: string;
  started_at: number;
  finished_at: number | null;
  status: RunStatus;
  /** JSON object of counters. */
  counts: string;
  /** JSON array of errors. */
  errors: string;
}
