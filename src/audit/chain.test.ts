import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditLinkHash, verifyLinks, type AuditFields } from './chain.ts';

const row = (id: number, purpose: string | null = null): AuditFields => ({
  id, at: 1_765_000_000_000 + id, actor: 'user:lin', ip: '10.0.0.1', userAgent: 'ua', action: 'search', target: null, purpose, result: 'ok', detail: '{"query":"合同"}',
});

function chain(rows: AuditFields[]) {
  let prev = AUDIT_GENESIS;
  return rows.map((r) => {
    const hash = auditLinkHash(prev, r);
    const linked = { ...r, prevHash: prev, hash };
    prev = hash;
    return linked;
  });
}

describe('the audit chain', () => {
  it('starts from the genesis and links each row to the one before (raw bytes of the previous hash, then canonical JSON)', () => {
    expect(AUDIT_GENESIS).toBe(createHash('sha256').update('wecom-archive/audit/v1').digest('hex'));
    const first = row(1);
    const expected = createHash('sha256').update(Buffer.from(AUDIT_GENESIS, 'hex'))
      .update('{"action":"search","actor":"user:lin","at":1765000000001,"detail":"{\\"query\\":\\"合同\\"}","id":1,"ip":"10.0.0.1","purpose":null,"result":"ok","target":null,"userAgent":"ua"}')
      .digest('hex');
    expect(auditLinkHash(AUDIT_GENESIS, first)).toBe(expected);
  });

  it('verifies an intact chain and names the first row changed, removed or reordered', () => {
    const rows = chain([row(1), row(2, 'a'), row(3), row(4)]);
    expect(verifyLinks(rows, AUDIT_GENESIS, 1)).toEqual({ head: rows[3]!.hash, nextId: 5 });
    expect(verifyLinks([rows[0]!, { ...rows[1]!, purpose: 'b' }, rows[2]!], AUDIT_GENESIS, 1).broken).toEqual({ id: 2, reason: 'hash' });
    expect(verifyLinks([rows[0]!, rows[2]!], AUDIT_GENESIS, 1).broken).toEqual({ id: 3, reason: 'gap' });
    const renumbered = { ...rows[2]!, id: 2 };
    expect(verifyLinks([rows[0]!, renumbered], AUDIT_GENESIS, 1).broken).toEqual({ id: 2, reason: 'prev_hash' });
  });
});
