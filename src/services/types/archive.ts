import type { DeepReport } from '../../archive/chain/deep-verify.ts';
import type { ChainReport } from '../../archive/chain/verify.ts';
import type { RefreshOutcome } from '../../archive/coverage/refresh.ts';
import type { CoverageReport } from '../../archive/coverage/report.ts';
import type { PullSummary } from '../../archive/ingest/puller.ts';
import type { RetrySummary } from '../../archive/ingest/retry.ts';
import type { MediaSummary } from '../../archive/media/queue.ts';
import type { ArchiveStatus } from '../../archive/status/status.ts';

/**
 * The archive services' results. Commands that cover several corps (pull, watch, verify, status)
 * answer `{ ok, corps: [ { corpId, ok, … } ] }`; a corp that failed carries `error` instead of its
 * figures, and the others still ran. media, retry and coverage act on one corp.
 */

/** Why a corp's part failed, as a person reads it (in the language asked for). */
export interface CorpError {
  code: string;
  what: string;
  why?: string;
  fix?: string;
  /** A run stopped by its storage (a full disk): what it had committed before, for a machine. */
  kept?: Record<string, unknown>;
}

/** `ok` is the corp's own verdict (verify: the chain is intact); a corp that could not run has `error`. */
export type CorpOutcome<T> = ({ corpId: string; ok: boolean; error?: undefined } & T) | { corpId: string; ok: false; error: CorpError };

export interface PerCorp<T> {
  /** Every corp succeeded. */
  ok: boolean;
  corps: Array<CorpOutcome<T>>;
}

export type PullEntry = Omit<PullSummary, 'corpId'> & { media: MediaSummary | null };
export type ArchivePullReport = PerCorp<PullEntry>;

export interface WatchEntry {
  cycles: number;
  stored: number;
  mediaDownloaded: number;
  /** Cycles that failed (WeCom or the SDK) and were tried again at the next interval. */
  failedCycles: number;
}
export type ArchiveWatchReport = PerCorp<WatchEntry>;

/** `ok` (of the entry): the chain is intact; `deep` says whether every message decrypts to what is stored. */
export type VerifyEntry = Omit<ChainReport, 'corpId'> & { deep?: DeepReport };
export type ArchiveVerifyReport = PerCorp<VerifyEntry>;

export type StatusEntry = Omit<ArchiveStatus, 'corpId'> & { coverage: CoverageReport };
export type ArchiveStatusReport = PerCorp<StatusEntry>;

export type ArchiveMediaReport = { ok: true } & MediaSummary;

export type ArchiveRetryReport = { ok: true; corpId: string } & RetrySummary;

export interface ArchiveCoverageReport {
  ok: boolean;
  corpId: string;
  refresh: RefreshOutcome | null;
  coverage: CoverageReport;
}
