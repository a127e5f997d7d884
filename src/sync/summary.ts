import type { RunError } from '../store/sync-state.repository.ts';
import type { SyncResult } from './run.ts';
import type { EntityCounts } from './tally.ts';

/** The machine-readable summary of a corp's run (an entry of `sync --json`; the server returns the same). */
export interface RunSummary {
  ok: boolean;
  run: {
    id: string;
    status: SyncResult['status'];
    scopes: string[];
    /** Streams that continued the pass of a killed process. */
    resumed: string[];
    startedAt: number;
    finishedAt: number;
    durationMs: number;
  };
  /** Only entities the run touched. */
  entities: Record<string, EntityCounts>;
  requests: { total: number; byEndpoint: Record<string, number> };
  /** Frequency (45009) and concurrency (45033) refusals met; the client retried them. */
  errcodes: Record<string, number>;
  errors: RunError[];
  /** Parts left out because no configured credential can read them. */
  skipped: string[];
}

export function syncSummary(result: SyncResult): RunSummary {
  const { tally } = result;
  const entities = Object.fromEntries(Object.entries(tally.entities)
    .filter(([, c]) => c.inserted + c.updated + c.unchanged + c.deleted > 0));
  const byEndpoint = Object.fromEntries(Object.entries(tally.endpoints).map(([name, m]) => [name, m.requests]));
  const errcodes: Record<string, number> = {};
  for (const meter of Object.values(tally.endpoints)) {
    for (const [code, n] of Object.entries(meter.errcodes)) errcodes[code] = (errcodes[code] ?? 0) + n;
  }
  return {
    ok: result.status === 'succeeded',
    run: {
      id: result.runId, status: result.status, scopes: result.scopes, resumed: result.resumed,
      startedAt: result.startedAt, finishedAt: result.finishedAt, durationMs: result.finishedAt - result.startedAt,
    },
    entities,
    requests: { total: Object.values(byEndpoint).reduce((a, b) => a + b, 0), byEndpoint },
    errcodes,
    errors: tally.errors,
    skipped: tally.skipped,
  };
}
