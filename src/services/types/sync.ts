import type { RunSummary } from '../../sync/summary.ts';
import type { CorpError } from './archive.ts';

/** `sync`: one entry per corp synced, each the summary of its run. */
export interface SyncReport {
  /** Every corp's run succeeded. */
  ok: boolean;
  corps: CorpSyncSummary[];
}

export interface CorpSyncSummary extends RunSummary {
  corpId: string;
  /**
   * Why whole streams stopped, explained (what / why / fix), each distinct error once: WeCom being
   * unreachable stops every stream with the same error, said once.
   */
  failures: CorpError[];
}
