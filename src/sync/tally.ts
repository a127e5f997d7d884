import { ENTITIES, type EntityName } from '../store/entities.ts';
import type { UpsertCounts } from '../store/records.ts';
import type { RunError } from '../store/sync-state.repository.ts';
import { ERRCODE } from '../wecom/errcodes.ts';

/**
 * What a sync run did, counted as it goes: per entity what was written (from the store's own
 * counts), per endpoint how many requests went out and how long they took, which errcodes came back,
 * and the errors that stopped a part of the run.
 */

export interface EntityCounts {
  inserted: number;
  /** Content changed, or a record marked deleted came back. */
  updated: number;
  unchanged: number;
  /** Marked deleted (kept, with the time) because a complete listing no longer had it. */
  deleted: number;
}

export interface EndpointMeter {
  requests: number;
  /** Sum of the request latencies, ms (for the benchmark's concurrency floor). */
  totalMs: number;
  /** errcode → how often WeCom answered it (0 excluded). */
  errcodes: Record<string, number>;
}

const zero = (): EntityCounts => ({ inserted: 0, updated: 0, unchanged: 0, deleted: 0 });

export class Tally {
  readonly entities = Object.fromEntries(Object.keys(ENTITIES).map((e) => [e, zero()])) as Record<EntityName, EntityCounts>;
  readonly endpoints: Record<string, EndpointMeter> = {};
  readonly errors: RunError[] = [];
  /** Units skipped because the credentials cannot read them (e.g. member tags without APP_SECRET). */
  readonly skipped: string[] = [];

  upserted(entity: EntityName, counts: UpsertCounts): void {
    const e = this.entities[entity];
    e.inserted += counts.inserted;
    e.updated += counts.updated + counts.undeleted;
    e.unchanged += counts.unchanged;
  }

  deleted(entity: EntityName, count: number): void {
    this.entities[entity].deleted += count;
  }

  request(endpoint: string, ms: number, errcode: number): void {
    const meter = (this.endpoints[endpoint] ??= { requests: 0, totalMs: 0, errcodes: {} });
    meter.requests += 1;
    meter.totalMs += ms;
    if (errcode !== 0) meter.errcodes[errcode] = (meter.errcodes[errcode] ?? 0) + 1;
  }

  error(error: RunError): void {
    this.errors.push(error);
  }

  /** How often an errcode came back, over every endpoint. */
  errcodeCount(errcode: number): number {
    return Object.values(this.endpoints).reduce((n, m) => n + (m.errcodes[errcode] ?? 0), 0);
  }

  /** Flat counters for the run history (`sync_runs.counts`): `customers.inserted`, `requests`… */
  flat(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [entity, counts] of Object.entries(this.entities)) {
      for (const [what, n] of Object.entries(counts)) if (n > 0) out[`${entity}.${what}`] = n;
    }
    out.requests = Object.values(this.endpoints).reduce((n, m) => n + m.requests, 0);
    for (const code of [ERRCODE.RATE_LIMITED, ERRCODE.CONCURRENCY_LIMITED]) {
      const n = this.errcodeCount(code);
      if (n > 0) out[`errcode.${code}`] = n;
    }
    return out;
  }
}
