import { explainUnreachable } from '../doctor/sandbox.ts';
import type { Lang } from '../i18n/index.ts';
import { meteredFetch } from '../sync/metering.ts';
import { silentProgress, SYNC_SCOPES, type SyncProgress, type SyncScope } from '../sync/progress.ts';
import { runSync } from '../sync/run.ts';
import { syncSummary } from '../sync/summary.ts';
import { Tally } from '../sync/tally.ts';
import { corpError } from './archive/per-corp.ts';
import type { Runtime } from './runtime.ts';
import type { CorpError } from './types/archive.ts';
import type { CorpSyncSummary, SyncReport } from './types/sync.ts';

/**
 * `sync`: copies the directory, customers and customer groups of each corp in scope into the store,
 * each corp under its own leases (one per corp and stream), one corp after the other (each run
 * already keeps WeCom's per-corp limits busy), resuming where a killed run stopped.
 */

export interface SyncInput {
  /** `--corp`: only this corp; else every configured corp. */
  corpId?: string;
  /** Default: every scope (what the background sync runs). */
  scopes?: readonly SyncScope[];
  /** Commit at least every n records. */
  rowsPerCommit?: number;
  /** The language of the explained failures (default: the deployment's). */
  lang?: Lang;
}

export interface SyncReporter {
  /** The progress of one corp's run; called as the corp's run starts. */
  progress?(corpId: string): SyncProgress & { stop?(): void };
}

export async function syncCorps(rt: Runtime, input: SyncInput, reporter: SyncReporter = {}): Promise<SyncReport> {
  const configs = rt.corps(input.corpId);
  const store = await rt.store();
  const lang = input.lang ?? rt.deployment.lang;
  const corps: CorpSyncSummary[] = [];
  for (const config of configs) {
    const corpId = config.corpId!;
    const tally = new Tally();
    // A client of its own, counting every request into this run's tally (closed with the runtime).
    const client = await rt.client(corpId, { fetch: meteredFetch(tally) });
    const progress: SyncProgress & { stop?(): void } = reporter.progress?.(corpId) ?? silentProgress;
    try {
      const result = await runSync({ store, corpId, client, scopes: input.scopes ?? SYNC_SCOPES, tally, progress, rowsPerCommit: input.rowsPerCommit });
      // A stopped sandbox is named as such, with the command that starts it, as for every other command.
      const failures = result.failures.map((f) => corpError(explainUnreachable(f.error, [config]), lang));
      corps.push({ corpId, ...syncSummary(result), failures: distinct(failures) });
    } finally {
      progress.stop?.();
    }
  }
  return { ok: corps.every((c) => c.ok), corps };
}

function distinct(errors: CorpError[]): CorpError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.code}\u0000${e.what}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
