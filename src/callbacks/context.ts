import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { EntityName, RecordInput } from '../store/entities.ts';
import { markMissingDeleted, upsertRecords, type MarkMissingOptions } from '../store/records.ts';
import type { WecomClient } from '../wecom/client.ts';
import { WecomApiError } from '../wecom/errors.ts';

/**
 * What applying an event works with, and the two steps every handler has: read from WeCom first
 * (outside any transaction: a slow API must not hold the database), then one write, run inside the
 * transaction that also marks the inbox row applied, so the effect happens once or not at all.
 */

export interface ApplyContext {
  db: Kysely<Database>;
  corpId: string;
  client: WecomClient;
  now: number;
  /** Reads shared by the events of one run (the follow-user list): fetched once per run. */
  cache: Map<string, Promise<unknown>>;
}

export interface PreparedEffect {
  /** What the event did to its record: 'upserted', 'deleted', 'renamed', 'consent', 'none'… */
  change: string;
  write(trx: Kysely<Database>): Promise<void>;
}

export const nothing = (change = 'none'): PreparedEffect => ({ change, write: async () => {} });

/** The record through the sync's path: hashed, written only when changed, revived when it was deleted. */
export async function upsert<E extends EntityName>(ctx: ApplyContext, trx: Kysely<Database>, entity: E, records: readonly RecordInput<E>[]): Promise<void> {
  await upsertRecords(trx, entity, ctx.corpId, records, null, ctx.now);
}

/**
 * Soft-deletes the live records of `entity` within `scope` that are not in `keep`: exactly what a
 * full sync's sweep does to records that a complete listing no longer returns.
 */
export async function sweepScope<E extends EntityName>(
  ctx: ApplyContext, trx: Kysely<Database>, entity: E, scope: NonNullable<MarkMissingOptions<E>['scope']>,
  keep: MarkMissingOptions<E>['seenKeys'] = [],
): Promise<void> {
  await markMissingDeleted(trx, entity, ctx.corpId, { seenKeys: keep, scope, runId: null }, ctx.now);
}

/** The errcodes that mean "this record is gone" for a read by id: the record is marked deleted. */
export function isGone(err: unknown, errcodes: readonly number[]): boolean {
  return err instanceof WecomApiError && errcodes.includes(err.errcode);
}

export function cached<T>(ctx: ApplyContext, key: string, read: () => Promise<T>): Promise<T> {
  let found = ctx.cache.get(key) as Promise<T> | undefined;
  if (!found) {
    found = read();
    ctx.cache.set(key, found);
    found.catch(() => ctx.cache.delete(key));
  }
  return found;
}
