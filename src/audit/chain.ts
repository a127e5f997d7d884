import { createHash } from 'node:crypto';
import { canonicalJson } from '../store/hash.ts';

/**
 * The audit log's hash chain, built like the archive's (archive/chain/chain.ts):
 *
 *   genesis  = SHA-256( "wecom-archive/audit/v1" )
 *   hash_i   = SHA-256( hash_{i-1} ‖ canonicalJson(row_i) )
 *
 * where hash_{i-1} is the 32 raw bytes of the previous link and row_i every field of the row but its
 * hashes, as the canonical JSON of store/hash.ts (sorted keys: SQLite and PostgreSQL agree byte for
 * byte). Changing, removing or reordering any row breaks every link after it.
 */

export const AUDIT_CHAIN_VERSION = 'wecom-archive/audit/v1';

/** The fields a link covers. */
export interface AuditFields {
  id: number;
  at: number;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  action: string;
  target: string | null;
  purpose: string | null;
  result: string;
  detail: string | null;
}

export const AUDIT_GENESIS = createHash('sha256').update(AUDIT_CHAIN_VERSION, 'utf8').digest('hex');

const HEX64 = /^[0-9a-f]{64}$/;

export function auditLinkHash(previous: string, row: AuditFields): string {
  if (!HEX64.test(previous)) throw new TypeError('previous link must be 64 lowercase hex characters');
  const { id, at, actor, ip, userAgent, action, target, purpose, result, detail } = row;
  return createHash('sha256').update(Buffer.from(previous, 'hex'))
    .update(canonicalJson({ id, at, actor, ip, userAgent, action, target, purpose, result, detail }), 'utf8').digest('hex');
}

export interface AuditBreak {
  id: number;
  reason: 'prev_hash' | 'hash' | 'gap';
}

/**
 * Checks rows given in id order, continuing from `previous` (the last good link, the genesis at the
 * start) and the id expected next. Returns the first break, or the new head.
 */
export function verifyLinks(
  rows: ReadonlyArray<AuditFields & { prevHash: string; hash: string }>, previous: string, nextId: number,
): { head: string; nextId: number; broken?: AuditBreak } {
  let head = previous;
  let expected = nextId;
  for (const row of rows) {
    if (row.id !== expected) return { head, nextId: expected, broken: { id: row.id, reason: 'gap' } };
    if (row.prevHash !== head) return { head, nextId: expected, broken: { id: row.id, reason: 'prev_hash' } };
    if (auditLinkHash(head, row) !== row.hash) return { head, nextId: expected, broken: { id: row.id, reason: 'hash' } };
    head = row.hash;
    expected += 1;
  }
  return { head, nextId: expected };
}
