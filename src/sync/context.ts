import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { ENTITIES, type EntityName, type RecordInput, type RecordKey } from '../store/entities.ts';
import { markMissingDeleted, upsertRecords, type MarkMissingOptions } from '../store/records.ts';
import { endpointSpec, WECOM_LIMITS, type EndpointName } from '../wecom/endpoints.ts';
import type { WecomClient } from '../wecom/client.ts';
import type { KeyValues, StreamState } from './checkpoint.ts';
import type { SyncProgress } from './progress.ts';
import type { Tally } from './tally.ts';

/** What every sync stream works with. */

/** Calls the sync keeps in flight on an endpoint without a concurrency cap (directory reads). */
const UNCAPPED_IN_FLIGHT = 8;

/**
 * How many calls of an endpoint the sync offers at once: WeCom's cap for customer-data endpoints
 * (from the catalogue), more for the rest. The client admits what its own configured cap allows
 * (WECOM_CONCURRENCY) and queues the others, lowering its cap further on 45033.
 */
export function inFlight(name: EndpointName): number {
  return endpointSpec(name).concurrencyLimited ? WECOM_LIMITS.concurrency : UNCAPPED_IN_FLIGHT;
}

/** Writes committed together at most (one page of each listing in flight is the usual group). */
const MAX_GROUP = 16;

interface WriteJob {
  fn: (trx: Kysely<Database>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * Runs the sync's writes one after another, in the order asked. Streams fetch in parallel but write
 * through this one queue: SQLite has a single writer anyway, and on PostgreSQL two pages upserting
 * the same customers in different orders would deadlock (and both would count them as inserted).
 *
 * Writes that queue up while a transaction runs commit together in the next one (group commit):
 * each page still commits atomically with its checkpoint, and SQLite writes far less when a
 * transaction carries several pages (a B-tree leaf touched by five pages is written once, not five
 * times). If any write of a group fails, the whole group rolls back and every write in it fails.
 */
export class Writer {
  private readonly queue: WriteJob[] = [];
  private running = false;

  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP);
      try {
        const results = await this.db.transaction().execute(async (trx) => {
          const out: unknown[] = [];
          for (const job of group) out.push(await job.fn(trx));
          return out;
        });
        group.forEach((job, i) => job.resolve(results[i]));
      } catch (err) {
        for (const job of group) job.reject(err);
      }
    }
    this.running = false;
  }
}

export interface StreamContext {
  db: Kysely<Database>;
  corpId: string;
  runId: string;
  client: WecomClient;
  writer: Writer;
  tally: Tally;
  state: StreamState;
  progress: SyncProgress;
  /** Overrides every listing's `rowsPerWrite` (the CLI's --rows-per-commit). */
  rowsPerCommit?: number;
  /** Aborted when the process stops: the listings stop at their next page (sync/interrupt.ts). */
  signal?: AbortSignal;
  now(): number;
}

/** Upserts records (writing only what changed) and counts what happened. */
export async function upsert<E extends EntityName>(
  ctx: StreamContext, trx: Kysely<Database>, entity: E, records: readonly RecordInput<E>[],
): Promise<void> {
  if (records.length === 0) return;
  ctx.tally.upserted(entity, await upsertRecords(trx, entity, ctx.corpId, records, ctx.runId, ctx.now()));
}

/** Marks deleted what a complete listing (within `scope`) did not return, and counts it. */
export async function sweep<E extends EntityName>(
  ctx: StreamContext, trx: Kysely<Database>, entity: E, seen: readonly KeyValues[],
  scope?: MarkMissingOptions<E>['scope'],
): Promise<void> {
  const seenKeys = seen.map((values) => keyObject(entity, values));
  const { deleted } = await markMissingDeleted(trx, entity, ctx.corpId, { seenKeys, scope, runId: ctx.runId }, ctx.now());
  ctx.tally.deleted(entity, deleted);
}

/** A record's key values, in the order of the entity's key columns. */
export function keyValues<E extends EntityName>(entity: E, record: RecordKey<E>): KeyValues {
  return ENTITIES[entity].key.map((column) => (record as Record<string, string | number>)[column]!);
}

function keyObject<E extends EntityName>(entity: E, values: KeyValues): RecordKey<E> {
  return Object.fromEntries(ENTITIES[entity].key.map((column, i) => [column, values[i]])) as RecordKey<E>;
}
