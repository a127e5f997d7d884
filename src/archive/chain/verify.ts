import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { escapeStored, firstDifference } from '../../util/safe-text.ts';
import { genesisHash, linkHash } from './chain.ts';

/**
 * Recomputes a corp's hash chain (chain.ts) from the stored envelopes, in seq order, and compares
 * every link with what is stored. Reads in keyset pages so memory stays flat however large the
 * archive is.
 */

/** Stored values in a break are escaped (util/safe-text.ts): a damaged row may hold any bytes. */
export interface ChainBreak {
  seq: bigint;
  /** Escaped. */
  msgid: string;
  /**
   * `hash`: the row's envelope (or its stored hash) was changed; `prev_hash`: the row does not follow
   * the one before it (a row was removed, inserted or reordered before it).
   */
  field: 'hash' | 'prev_hash';
  expected: string;
  /** Escaped: never the raw stored bytes. */
  stored: string | null;
  /** Where the stored value first differs from the expected one (a character index from 0); null when none is stored. */
  position: number | null;
}

export interface ChainReport {
  corpId: string;
  ok: boolean;
  /** Messages checked (all of them when ok; up to and including the break otherwise). */
  checked: number;
  /** The last link: of the whole chain when ok, of the last row that verified otherwise. */
  headHash: string;
  headSeq: bigint | null;
  firstBreak?: ChainBreak;
}

const PAGE = 2000;

type ChainRow = {
  id: number; seq: bigint; msgid: string; publickey_ver: number | null;
  encrypt_random_key: string; encrypt_chat_msg: string; prev_hash: string | null; hash: string | null;
};

/** Where a keyset page in (seq, id) order ended. */
export interface SeqPosition { seq: bigint; id: number }

/**
 * The messages after `after` in (seq, id) order. The redundant `seq >= ?` lets both databases start
 * the (corp_id, seq) index at the position: with the OR alone they scan from the corp's first
 * message on every page, which made a walk of the archive quadratic.
 */
export function afterPosition(after: SeqPosition) {
  return (eb: ExpressionBuilder<Database, 'messages'>) => eb.and([
    eb('seq', '>=', after.seq),
    eb.or([eb('seq', '>', after.seq), eb.and([eb('seq', '=', after.seq), eb('id', '>', after.id)])]),
  ]);
}

async function page(db: Kysely<Database>, corpId: string, after: SeqPosition | undefined): Promise<ChainRow[]> {
  let query = db.selectFrom('messages')
    .select(['id', 'seq', 'msgid', 'publickey_ver', 'encrypt_random_key', 'encrypt_chat_msg', 'prev_hash', 'hash'])
    .where('corp_id', '=', corpId);
  if (after) query = query.where(afterPosition(after));
  return query.orderBy('seq').orderBy('id').limit(PAGE).execute();
}

export async function verifyChain(db: Kysely<Database>, corpId: string): Promise<ChainReport> {
  let previous = genesisHash(corpId);
  let checked = 0;
  let headSeq: bigint | null = null;
  let after: SeqPosition | undefined;
  for (;;) {
    const rows = await page(db, corpId, after);
    for (const row of rows) {
      const found = checkRow(row, previous);
      checked++;
      if (found) return { corpId, ok: false, checked, headHash: previous, headSeq, firstBreak: found };
      previous = row.hash!;
      headSeq = row.seq;
    }
    if (rows.length < PAGE) break;
    const last = rows.at(-1)!;
    after = { seq: last.seq, id: last.id };
  }
  return { corpId, ok: true, checked, headHash: previous, headSeq };
}

function checkRow(row: ChainRow, previous: string): ChainBreak | undefined {
  const at = { seq: row.seq, msgid: escapeStored(row.msgid) };
  const broken = (field: ChainBreak['field'], expected: string, stored: string | null): ChainBreak => ({
    ...at, field, expected, stored: stored === null ? null : escapeStored(stored),
    position: stored === null ? null : firstDifference(expected, stored) ?? null,
  });
  if (row.prev_hash !== previous) return broken('prev_hash', previous, row.prev_hash);
  const expected = linkHash(previous, {
    seq: row.seq, msgid: row.msgid, publickeyVer: row.publickey_ver ?? -1,
    encryptRandomKey: row.encrypt_random_key, encryptChatMsg: row.encrypt_chat_msg,
  });
  if (row.hash !== expected) return broken('hash', expected, row.hash);
  return undefined;
}

/**
 * The chain's head only: the last message links to the one before it and hashes to what is stored.
 * A cheap check for plain `doctor` (the whole chain is `archive verify` and `doctor --store`).
 */
export async function verifyHead(db: Kysely<Database>, corpId: string): Promise<ChainReport> {
  const rows = await db.selectFrom('messages')
    .select(['id', 'seq', 'msgid', 'publickey_ver', 'encrypt_random_key', 'encrypt_chat_msg', 'prev_hash', 'hash'])
    .where('corp_id', '=', corpId).orderBy('seq', 'desc').orderBy('id', 'desc').limit(2).execute() as ChainRow[];
  const [head, before] = rows;
  if (!head) return { corpId, ok: true, checked: 0, headHash: genesisHash(corpId), headSeq: null };
  const previous = before ? before.hash ?? '' : genesisHash(corpId);
  const found = /^[0-9a-f]{64}$/.test(previous) ? checkRow(head, previous) : checkRow(head, genesisHash(corpId));
  if (found) return { corpId, ok: false, checked: 1, headHash: previous, headSeq: before?.seq ?? null, firstBreak: found };
  return { corpId, ok: true, checked: 1, headHash: head.hash!, headSeq: head.seq };
}
