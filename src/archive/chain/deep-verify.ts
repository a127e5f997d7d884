import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { MessageStatus } from '../../store/index.ts';
import { chunk, rowsPerStatement } from '../../store/sql-kit.ts';
import { decryptEnvelopes } from '../ingest/decrypt-page.ts';
import type { PreparedMessage } from '../ingest/records.ts';
import { envelopeOf } from '../ingest/retry.ts';
import { countByStatus, type StatusCounts } from '../ingest/write-page.ts';
import type { SdkPool } from '../sdk/pool.ts';
import { afterPosition, type SeqPosition } from './verify.ts';
import { DECRYPTED_COLUMNS, differingColumns, differingMedia, type StoredDecrypted, type StoredMedia } from './deep-compare.ts';

/**
 * `archive verify --deep`. The hash chain proves the envelopes unchanged, not what was decrypted
 * from them: an edited search_text or msgtime passes it. This decrypts every message stored as
 * decrypted again, from its stored envelope, through the pull's own SDK pool and prepareMessage,
 * and compares what the product would store now with what is stored. It reads keyset pages in seq
 * order (the next page is read while the current one decrypts), keeps a bounded list of
 * mismatches, and writes nothing, so it runs beside a puller and at any archive size.
 */

export interface DeepMismatch {
  seq: bigint;
  msgid: string;
  /** Names of the differing columns (deep-compare.ts), never their values. */
  columns: string[];
}

export type SkippedCounts = Record<Exclude<MessageStatus, 'decrypted'>, number>;

export interface DeepReport {
  corpId: string;
  /** Every message stored as decrypted was decrypted again and matched. */
  ok: boolean;
  /** Messages stored as decrypted when the check started: what it is about. */
  total: number;
  /** Decrypted again and compared. */
  checked: number;
  /** Stored encrypted (nothing decrypted to compare), by status. */
  skipped: SkippedCounts;
  mismatchCount: number;
  /** The first MAX_LISTED mismatches, in seq order (mismatchCount counts them all). */
  mismatches: DeepMismatch[];
  /**
   * Stored as decrypted but not decryptable now, hence not compared and not counted as tampering:
   * per publickey_ver without a configured key, and SDK failures (error code, wrong key, crash).
   */
  unverified: { missingKey: Array<{ version: number; messages: number }>; failed: number; quarantined: number };
}

export interface DeepOptions {
  pageSize?: number;
  /** After each page: messages done (compared or not decryptable) out of `total`. */
  onPage?(progress: { done: number; total: number }): void;
}

export const MAX_LISTED = 1000;
const PAGE = 1000;

type Row = StoredDecrypted & {
  id: number; seq: bigint; msgid: string; publickey_ver: number | null; encrypt_random_key: string; encrypt_chat_msg: string;
};

async function readPage(db: Kysely<Database>, corpId: string, after: SeqPosition | undefined, size: number): Promise<Row[]> {
  let query = db.selectFrom('messages')
    .select(['id', 'seq', 'msgid', 'publickey_ver', 'encrypt_random_key', 'encrypt_chat_msg', ...DECRYPTED_COLUMNS])
    .where('corp_id', '=', corpId).where('status', '=', 'decrypted');
  if (after) query = query.where(afterPosition(after));
  return query.orderBy('seq').orderBy('id').limit(size).execute();
}

/** The stored media of a page's messages, by msgid. */
async function readMedia(db: Kysely<Database>, corpId: string, msgids: readonly string[]): Promise<Map<string, StoredMedia[]>> {
  const byMsgid = new Map<string, StoredMedia[]>();
  for (const batch of chunk(msgids, rowsPerStatement(1))) {
    const rows = await db.selectFrom('message_media')
      .select(['msgid', 'item_path', 'media_type', 'sdkfileid', 'md5sum', 'filename'])
      .where('corp_id', '=', corpId).where('msgid', 'in', batch).execute();
    for (const { msgid, ...row } of rows) {
      const list = byMsgid.get(msgid);
      if (list) list.push(row);
      else byMsgid.set(msgid, [row]);
    }
  }
  return byMsgid;
}

/** Accumulates one corp's outcome; everything it holds is bounded whatever the archive's size. */
class Tally {
  checked = 0;
  mismatchCount = 0;
  readonly mismatches: DeepMismatch[] = [];
  readonly missingKey = new Map<number, number>();
  failed = 0;
  quarantined = 0;

  add(row: Row, outcome: PreparedMessage, media: readonly StoredMedia[]): void {
    const status = outcome.fields.status;
    if (status === 'missing_key') this.missingKey.set(outcome.envelope.publickeyVer, (this.missingKey.get(outcome.envelope.publickeyVer) ?? 0) + 1);
    else if (status === 'failed') this.failed++;
    else if (status === 'quarantined') this.quarantined++;
    if (status !== 'decrypted') return;
    this.checked++;
    const columns = [...differingColumns(row, outcome.fields), ...differingMedia(media, outcome.media)];
    if (columns.length === 0) return;
    this.mismatchCount++;
    if (this.mismatches.length < MAX_LISTED) this.mismatches.push({ seq: row.seq, msgid: row.msgid, columns });
  }

  get done(): number {
    let missing = 0;
    for (const n of this.missingKey.values()) missing += n;
    return this.checked + this.failed + this.quarantined + missing;
  }

  report(corpId: string, counts: StatusCounts): DeepReport {
    const missingKey = [...this.missingKey].sort(([a], [b]) => a - b).map(([version, messages]) => ({ version, messages }));
    const unverified = { missingKey, failed: this.failed, quarantined: this.quarantined };
    const ok = this.mismatchCount === 0 && missingKey.length === 0 && this.failed === 0 && this.quarantined === 0;
    const { decrypted: total, ...skipped } = counts;
    return {
      corpId, ok, total, checked: this.checked, skipped, mismatchCount: this.mismatchCount, mismatches: this.mismatches, unverified,
    };
  }
}

async function checkPage(db: Kysely<Database>, corpId: string, pool: SdkPool, rows: readonly Row[], tally: Tally): Promise<void> {
  const [outcomes, media] = await Promise.all([
    decryptEnvelopes(pool, rows.map(envelopeOf)),
    readMedia(db, corpId, rows.map((r) => r.msgid)),
  ]);
  rows.forEach((row, i) => tally.add(row, outcomes[i]!, media.get(row.msgid) ?? []));
}

export async function deepVerify(db: Kysely<Database>, corpId: string, pool: SdkPool, options: DeepOptions = {}): Promise<DeepReport> {
  const size = options.pageSize ?? PAGE;
  const counts = await countByStatus(db, corpId);
  const tally = new Tally();
  let next: Promise<Row[]> = readPage(db, corpId, undefined, size);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    const last = rows.at(-1)!;
    next = rows.length < size ? Promise.resolve([]) : readPage(db, corpId, { seq: last.seq, id: last.id }, size);
    // Should this page's decryption throw, the prefetch's own failure must not go unhandled.
    next.catch(() => undefined);
    await checkPage(db, corpId, pool, rows, tally);
    options.onPage?.({ done: tally.done, total: counts.decrypted });
  }
  return tally.report(corpId, counts);
}
