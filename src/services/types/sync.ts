import type { RunSummary } from '../../sync/summary.ts';
import type { CorpError } from './archive.ts';

/** `sync`: one entry per corp synced, each the summary of its run. */
export interface SyncReport {
  /** Every corp's run succeeded. */
  ok: boolean;
  corps: CorpSyncSummary[];
  /** Corps not begun because the sync was stopped first (the next sync does them). */
  notStarted: string[];
}

export interface CorpSyncSummary extends RunSummary {
  corpId: string;
  /**
   * Why whole streams stopped, explained (what / why / fix), each distinct error once: WeCom being
   * unreachable stops every stream with the same error, said once.
   */
  failures: CorpError[];
}

/** `GET /api/v1/sync/state`: per corp, the latest sync runs and where each stream's resumable cursor stands. */
export interface SyncStateReport {
  ok: true;
  corps: CorpSyncState[];
  truncated: boolean;
}

export interface CorpSyncState {
  corpId: string;
  /** Newest first, each with its counters and errors. */
  runs: Array<{
    id: string; kind: string; startedAt: number; finishedAt: number | null; status: string;
    counts: Record<string, number>; errors: Array<{ code?: string; message: string }>;
  }>;
  /** Streams a run stopped in the middle of (resumed by the next run), with when they last moved. */
  cursors: Array<{ stream: string; updatedAt: number }>;
}
