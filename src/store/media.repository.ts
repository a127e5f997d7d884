import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from './database.ts';
import type { MediaStatus, MessageAttemptTable, MessageMediaTable } from './messages.table.ts';
import { chunk, rowsPerStatement } from './sql-kit.ts';

/**
 * The media download queue (one row per downloadable item) and the per-message attempt counter that
 * quarantines a message after it fails (or crashes the SDK host) too often.
 */

export type MediaRow = Selectable<MessageMediaTable>;
export type MediaInput = Pick<MessageMediaTable, 'msgid' | 'sdkfileid'> &
  Partial<Pick<MessageMediaTable, 'item_path' | 'media_type' | 'md5sum' | 'size' | 'filename'>>;

/**
 * Queues items as `pending`; an item already queued (same msgid and path) is left as it is.
 * The message must be stored first (foreign key): insert the batch, then queue its media.
 */
async function enqueueMedia(
  db: Kysely<Database>, corpId: string, items: readonly MediaInput[], now: number = Date.now(),
): Promise<number> {
  let queued = 0;
  for (const batch of chunk(items, rowsPerStatement(12))) {
    const result = await db.insertInto('message_media').values(batch.map((item) => ({
      corp_id: corpId, msgid: item.msgid, item_path: item.item_path ?? '', media_type: item.media_type ?? null,
      sdkfileid: item.sdkfileid, md5sum: item.md5sum ?? null, size: item.size ?? null, filename: item.filename ?? null,
      status: 'pending' as const, attempts: 0, updated_at: now,
    }))).onConflict((oc) => oc.columns(['corp_id', 'msgid', 'item_path']).doNothing()).returning('msgid').execute();
    queued += result.length;
  }
  return queued;
}

/** Pending items, oldest first, skipping those that already failed `maxAttempts` times. */
async function listPendingMedia(
  db: Kysely<Database>, corpId: string, options: { limit?: number; maxAttempts?: number } = {},
): Promise<MediaRow[]> {
  let query = db.selectFrom('message_media').selectAll().where('corp_id', '=', corpId).where('status', '=', 'pending');
  if (options.maxAttempts !== undefined) query = query.where('attempts', '<', options.maxAttempts);
  return query.orderBy('updated_at').orderBy('msgid').orderBy('item_path').limit(options.limit ?? 100).execute();
}

async function markMediaDownloaded(
  db: Kysely<Database>, corpId: string, msgid: string, itemPath: string,
  stored: {
    stored_path: string; sha256: string; mime?: string | null; size?: number | null;
    /** md5_mismatch: the bytes are kept (they may be right and WeCom's md5 wrong), flagged, with `error`. */
    status?: 'downloaded' | 'md5_mismatch'; error?: string;
  },
  now: number = Date.now(),
): Promise<void> {
  await db.updateTable('message_media').set({
    status: stored.status ?? 'downloaded', stored_path: stored.stored_path, sha256: stored.sha256, mime: stored.mime ?? null,
    size: stored.size === undefined ? sql<number | null>`size` : stored.size, last_error: stored.error ?? null, updated_at: now,
  }).where('corp_id', '=', corpId).where('msgid', '=', msgid).where('item_path', '=', itemPath).execute();
}

/**
 * Counts a failed download. The item stays `pending` for a retry unless `final` says otherwise:
 * `expired` (WeCom keeps media 5 days: error 10010 / 301048), `missing` (10005: WeCom does not know
 * the file), or `failed` for good.
 */
async function markMediaFailed(
  db: Kysely<Database>, corpId: string, msgid: string, itemPath: string, error: string,
  final?: 'failed' | 'expired' | 'missing', now: number = Date.now(),
): Promise<void> {
  await db.updateTable('message_media').set((eb) => ({
    attempts: eb('attempts', '+', 1), last_error: error, updated_at: now, ...(final ? { status: final } : {}),
  })).where('corp_id', '=', corpId).where('msgid', '=', msgid).where('item_path', '=', itemPath).execute();
}

/** Puts items in the given states back in the queue with a fresh attempt count (`archive media --retry-failed`). */
async function requeueMedia(
  db: Kysely<Database>, corpId: string, statuses: readonly MediaStatus[], now: number = Date.now(),
): Promise<number> {
  if (statuses.length === 0) return 0;
  const result = await db.updateTable('message_media').set({ status: 'pending', attempts: 0, updated_at: now })
    .where('corp_id', '=', corpId).where('status', 'in', [...statuses]).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** How many items are in each state (states without items are left out). */
async function countMediaByStatus(db: Kysely<Database>, corpId: string): Promise<Partial<Record<MediaStatus, number>>> {
  const rows = await db.selectFrom('message_media').select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('corp_id', '=', corpId).groupBy('status').execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

async function listMedia(db: Kysely<Database>, corpId: string, msgid: string): Promise<MediaRow[]> {
  return db.selectFrom('message_media').selectAll().where('corp_id', '=', corpId).where('msgid', '=', msgid)
    .orderBy('item_path').execute();
}

export type AttemptRow = Selectable<MessageAttemptTable>;

/**
 * Records one more failure of a message; on the `quarantineAfter`-th it is quarantined (no more
 * automatic retries). One statement, so concurrent failures cannot lose a count.
 */
async function recordFailure(
  db: Kysely<Database>, corpId: string, failure: { msgid: string; seq: bigint; error: string },
  quarantineAfter: number, now: number = Date.now(),
): Promise<{ attempts: number; quarantined: boolean }> {
  const row = await db.insertInto('message_attempts').values({
    corp_id: corpId, msgid: failure.msgid, seq: failure.seq, attempts: 1, last_error: failure.error,
    first_failed_at: now, last_failed_at: now, quarantined: quarantineAfter <= 1 ? 1 : 0,
  }).onConflict((oc) => oc.columns(['corp_id', 'msgid']).doUpdateSet({
    attempts: sql`message_attempts.attempts + 1`,
    last_error: failure.error,
    last_failed_at: now,
    quarantined: sql`case when message_attempts.attempts + 1 >= ${quarantineAfter} then 1
      else message_attempts.quarantined end`,
  })).returning(['attempts', 'quarantined']).executeTakeFirstOrThrow();
  return { attempts: row.attempts, quarantined: row.quarantined === 1 };
}

async function getAttempts(db: Kysely<Database>, corpId: string, msgid: string): Promise<AttemptRow | undefined> {
  return db.selectFrom('message_attempts').selectAll()
    .where('corp_id', '=', corpId).where('msgid', '=', msgid).executeTakeFirst();
}

/** Forgets a message's failures (it succeeded, or an operator released it from quarantine). */
async function clearAttempts(db: Kysely<Database>, corpId: string, msgid: string): Promise<void> {
  await db.deleteFrom('message_attempts').where('corp_id', '=', corpId).where('msgid', '=', msgid).execute();
}

async function listQuarantined(db: Kysely<Database>, corpId: string): Promise<AttemptRow[]> {
  return db.selectFrom('message_attempts').selectAll().where('corp_id', '=', corpId).where('quarantined', '=', 1)
    .orderBy('seq').execute();
}

export const mediaRepository = Object.freeze({
  enqueueMedia, listPendingMedia, markMediaDownloaded, markMediaFailed, requeueMedia, countMediaByStatus, listMedia,
  recordFailure, getAttempts, clearAttempts, listQuarantined,
});
