import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import {
  inTransaction, mediaRepository, messagesRepository, type MessageRow,
} from '../../store/index.ts';
import { killPoint } from '../../util/kill-points.ts';
import type { ChatDataEnvelope } from '../sdk/protocol.ts';
import { decryptEnvelopes } from './decrypt-page.ts';
import type { PreparedMessage } from './records.ts';
import { RETRYABLE_STATUSES, type RetryableStatus } from './retry-statuses.ts';
import type { ArchiveSession } from './session.ts';
import { emptyCounts, lockCorpChain, recordFailures, touchConversations, type StatusCounts } from './write-page.ts';

/**
 * Re-attempts messages stored encrypted, from their stored envelopes (WeCom no longer serves
 * messages older than 5 days, so the stored envelope is the only copy):
 * - missing_key: once ARCHIVE_PRIVATE_KEY_<ver> is configured (the pull does this by itself);
 * - failed: DecryptData returned a code, or the key did not fit;
 * - quarantined: it crashed or hung the SDK host 3 times. A retry runs it again in a fresh host; a
 *   message that still crashes stays quarantined, its attempts counted in message_attempts.
 * Only the status and decrypted columns change: the envelope and its chain link never do.
 */

export { RETRYABLE_STATUSES, type RetryableStatus };

export interface RetryOptions {
  statuses?: readonly RetryableStatus[];
  batchSize?: number;
  signal?: AbortSignal;
  onBatch?(progress: { attempted: number; decrypted: number }): void;
  now?: () => number;
}

export interface RetrySummary {
  attempted: number;
  /** Status after the retry, of the messages attempted. */
  byStatus: StatusCounts;
}

async function candidates(
  db: Kysely<Database>, corpId: string, statuses: readonly RetryableStatus[], keyVersions: number[], afterSeq: bigint, limit: number,
): Promise<MessageRow[]> {
  const tryMissing = statuses.includes('missing_key') && keyVersions.length > 0;
  if (!tryMissing && statuses.every((s) => s === 'missing_key')) return [];
  return db.selectFrom('messages').selectAll().where('corp_id', '=', corpId).where('seq', '>', afterSeq)
    .where((eb) => eb.or([
      // A message without its key stays as it is until the key is configured: nothing to try.
      ...(tryMissing
        ? [eb.and([eb('status', '=', 'missing_key'), eb('publickey_ver', 'in', keyVersions)])] : []),
      ...statuses.filter((s) => s !== 'missing_key').map((s) => eb('status', '=', s)),
    ]))
    .orderBy('seq').orderBy('id').limit(limit).execute();
}

/** A stored row's envelope, as GetChatData returned it (for decrypting it again). */
export function envelopeOf(
  row: Pick<MessageRow, 'seq' | 'msgid' | 'publickey_ver' | 'encrypt_random_key' | 'encrypt_chat_msg'>,
): ChatDataEnvelope {
  return {
    seq: row.seq, msgid: row.msgid, publickeyVer: row.publickey_ver ?? -1,
    encryptRandomKey: row.encrypt_random_key, encryptChatMsg: row.encrypt_chat_msg,
  };
}

/** Applies one batch's outcomes in one transaction. */
async function applyBatch(db: Kysely<Database>, corpId: string, outcomes: readonly PreparedMessage[], now: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await lockCorpChain(trx, corpId);
    for (const outcome of outcomes) {
      await messagesRepository.updateMessage(trx, corpId, outcome.envelope.msgid, outcome.fields);
      if (outcome.fields.status === 'decrypted') await mediaRepository.clearAttempts(trx, corpId, outcome.envelope.msgid);
    }
    const media = outcomes.flatMap((o) => o.media);
    if (media.length > 0) await mediaRepository.enqueueMedia(trx, corpId, media, now);
    await touchConversations(trx, corpId, outcomes);
    await recordFailures(trx, corpId, outcomes.flatMap((o) => (o.failure ? [{ msgid: o.envelope.msgid, seq: o.envelope.seq, failure: o.failure }] : [])), now);
    killPoint('archive.retry.written');
  });
}

export async function retryStored(session: ArchiveSession, options: RetryOptions = {}): Promise<RetrySummary> {
  const statuses = options.statuses ?? RETRYABLE_STATUSES;
  const batchSize = options.batchSize ?? 500;
  const now = options.now ?? Date.now;
  const summary: RetrySummary = { attempted: 0, byStatus: emptyCounts() };
  const db = session.store.db;
  let after = -1n;
  while (!options.signal?.aborted) {
    const rows = await candidates(db, session.corpId, statuses, session.keys.versions(), after, batchSize);
    if (rows.length === 0) break;
    after = rows.at(-1)!.seq;
    const outcomes = await decryptEnvelopes(session.pool, rows.map(envelopeOf));
    await applyBatch(db, session.corpId, outcomes, now());
    summary.attempted += outcomes.length;
    for (const o of outcomes) summary.byStatus[o.fields.status]++;
    options.onBatch?.({ attempted: summary.attempted, decrypted: summary.byStatus.decrypted });
  }
  return summary;
}
