import { readLastVerify, type LastVerify } from '../chain/last-verify.ts';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { MEDIA_STATUSES, syncStateRepository, type MediaStatus } from '../../store/index.ts';
import { readLastPull, type LastPull } from '../ingest/puller.ts';
import { countByStatus, SEQ_CURSOR, type StatusCounts } from '../ingest/write-page.ts';

/**
 * Where a corp's archive stands: what is held, in which state, and how far behind WeCom it is. WeCom
 * keeps messages 5 days (archive-sdk.md §5.1): a message not pulled within 5 days of being sent is
 * lost for good, so the figure that matters is how long until the first unpulled message expires.
 */

export const RETENTION_MS = 5 * 86_400_000;

export interface QuarantinedMessage {
  seq: bigint;
  msgid: string;
  attempts: number;
  /** `crash` or `timeout` (no content, no key material). */
  lastError: string | null;
}

export interface FailedMessage {
  seq: bigint;
  msgid: string;
  /** `rc=10006` (DecryptData's code) or `unwrap` (the key does not fit). */
  error: string | null;
}

export interface ArchiveStatus {
  corpId: string;
  /** Messages held (all statuses). */
  messages: number;
  byStatus: StatusCounts;
  seqRange: { first: bigint; last: bigint } | null;
  /** The seq cursor the next pull starts after. */
  cursor: bigint | null;
  /** Newest msgtime among decrypted messages (UTC ms). */
  newestMsgtime: number | null;
  /** now − newestMsgtime. */
  lagMs: number | null;
  /**
   * How long until messages not yet pulled start expiring. Every unpulled message was sent after the
   * newest one held, and after the last pull that found nothing more (caughtUpAt), so the first of
   * them leaves WeCom's window 5 days after the later of the two at the earliest. Negative: some may
   * already be gone.
   */
  expiresInMs: number | null;
  lastPull: LastPull | null;
  /** The last verify of the hash chain (any face's), null when never verified here. */
  lastVerify: LastVerify | null;
  /** publickey_ver of the messages waiting for their key. */
  missingKeyVersions: number[];
  quarantined: QuarantinedMessage[];
  failed: FailedMessage[];
  /** Media items by state: `pending` waits for `archive media`; `failed` and the others will not come. */
  media: MediaCounts;
}

export type MediaCounts = Record<MediaStatus, number>;

/** Every media state, zeros included: a status always shows pending and failed media. */
export async function mediaCounts(db: Kysely<Database>, corpId: string): Promise<MediaCounts> {
  const rows = await db.selectFrom('message_media').select(['status', sql<number>`count(*)`.as('n')])
    .where('corp_id', '=', corpId).groupBy('status').execute();
  const counts = Object.fromEntries(MEDIA_STATUSES.map((s) => [s, 0])) as MediaCounts;
  for (const row of rows) counts[row.status as MediaStatus] = Number(row.n);
  return counts;
}

/** Corps with an archive cursor or messages, for a status of every corp in the store. */
export async function archiveCorps(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('sync_cursors').select('corp_id').where('stream', '=', SEQ_CURSOR)
    .union(db.selectFrom('messages').select('corp_id').distinct())
    .execute();
  return [...new Set(rows.map((r) => r.corp_id))].sort();
}

async function held(db: Kysely<Database>, corpId: string) {
  // Aliases keep `_seq` so the integer plugin reads them as exact bigints.
  const range = await db.selectFrom('messages')
    .select([sql<bigint | null>`min(seq)`.as('first_seq'), sql<bigint | null>`max(seq)`.as('last_seq')])
    .where('corp_id', '=', corpId).executeTakeFirst();
  const newest = await db.selectFrom('messages').select(sql<number | null>`max(msgtime)`.as('newest'))
    .where('corp_id', '=', corpId).where('status', '=', 'decrypted').executeTakeFirst();
  const first = range?.first_seq ?? null;
  const last = range?.last_seq ?? null;
  return { seqRange: first !== null && last !== null ? { first: BigInt(first), last: BigInt(last) } : null, newest: newest?.newest ?? null };
}

async function problems(db: Kysely<Database>, corpId: string) {
  const missing = await db.selectFrom('messages').select('publickey_ver').distinct()
    .where('corp_id', '=', corpId).where('status', '=', 'missing_key').orderBy('publickey_ver').execute();
  const attempts = (status: 'quarantined' | 'failed') => db.selectFrom('messages')
    .leftJoin('message_attempts', (join) => join
      .onRef('message_attempts.corp_id', '=', 'messages.corp_id').onRef('message_attempts.msgid', '=', 'messages.msgid'))
    .select(['messages.seq', 'messages.msgid', 'message_attempts.attempts', 'message_attempts.last_error'])
    .where('messages.corp_id', '=', corpId).where('messages.status', '=', status)
    .orderBy('messages.seq').limit(100).execute();
  const [quarantined, failed] = await Promise.all([attempts('quarantined'), attempts('failed')]);
  return {
    missingKeyVersions: missing.flatMap((r) => (r.publickey_ver === null ? [] : [r.publickey_ver])),
    quarantined: quarantined.map((r) => ({ seq: r.seq, msgid: r.msgid, attempts: r.attempts ?? 0, lastError: r.last_error })),
    failed: failed.map((r) => ({ seq: r.seq, msgid: r.msgid, error: r.last_error })),
  };
}

export async function archiveStatus(db: Kysely<Database>, corpId: string, now: number = Date.now()): Promise<ArchiveStatus> {
  const byStatus = await countByStatus(db, corpId);
  const { seqRange, newest } = await held(db, corpId);
  const cursorText = await syncStateRepository.getCursor(db, corpId, SEQ_CURSOR);
  const lastPull = (await readLastPull(db, corpId)) ?? null;
  const safeUntil = Math.max(newest ?? -Infinity, lastPull?.caughtUpAt ?? -Infinity);
  return {
    corpId,
    messages: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    seqRange,
    cursor: cursorText ? BigInt(cursorText) : null,
    newestMsgtime: newest,
    lagMs: newest === null ? null : now - newest,
    expiresInMs: Number.isFinite(safeUntil) ? safeUntil + RETENTION_MS - now : null,
    lastPull,
    lastVerify: await readLastVerify(db, corpId),
    ...(await problems(db, corpId)),
    media: await mediaCounts(db, corpId),
  };
}
