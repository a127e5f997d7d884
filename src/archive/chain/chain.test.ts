import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEnvelope, genesisHash, linkHash, type ChainEnvelope } from './chain.ts';

const envelope: ChainEnvelope = { seq: 196n, msgid: 'CAQQ2fbb4QUY0On2rYSAgAMgip/yzgs=', publickeyVer: 3, encryptRandomKey: 'ERK+/=', encryptChatMsg: 'bXNn' };

describe('hash chain', () => {
  it('matches the definition written out by hand (netstrings of the envelope fields after the previous link)', () => {
    const genesis = createHash('sha256').update('wecom-archive/chain/v1').update('7:wwcorp1,').digest('hex');
    expect(genesisHash('wwcorp1')).toBe(genesis);
    const bytes = Buffer.concat([
      Buffer.from(genesis, 'hex'),
      Buffer.from('3:196,32:CAQQ2fbb4QUY0On2rYSAgAMgip/yzgs=,1:3,6:ERK+/=,4:bXNn,', 'utf8'),
    ]);
    expect(linkHash(genesis, envelope)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('hashes exactly the canonical bytes, multi-byte UTF-8 in any field included', () => {
    const prev = genesisHash('c');
    const wide: ChainEnvelope = { seq: 2n ** 64n - 1n, msgid: '消息😀', publickeyVer: 12, encryptRandomKey: 'ключ,:', encryptChatMsg: '密文\u0000é' };
    for (const e of [envelope, wide, { ...envelope, encryptRandomKey: '', encryptChatMsg: '' }]) {
      const bytes = Buffer.concat([Buffer.from(prev, 'hex'), Buffer.from(canonicalEnvelope(e), 'utf8')]);
      expect(linkHash(prev, e)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('changes with every envelope field, the previous link and the corp', () => {
    const base = linkHash(genesisHash('c'), envelope);
    const variants: ChainEnvelope[] = [
      { ...envelope, seq: 197n }, { ...envelope, msgid: `${envelope.msgid}x` }, { ...envelope, publickeyVer: 4 },
      { ...envelope, encryptRandomKey: 'ERK+/>' }, { ...envelope, encryptChatMsg: 'bXNo' },
    ];
    const hashes = new Set([base, ...variants.map((v) => linkHash(genesisHash('c'), v)), linkHash(genesisHash('d'), envelope)]);
    expect(hashes.size).toBe(variants.length + 2);
  });

  it('cannot be fooled by moving bytes from one field to the next', () => {
    const prev = genesisHash('c');
    expect(linkHash(prev, { ...envelope, encryptRandomKey: 'ab', encryptChatMsg: 'c' }))
      .not.toBe(linkHash(prev, { ...envelope, encryptRandomKey: 'a', encryptChatMsg: 'bc' }));
  });

  it('handles seqs beyond 2^53 exactly and rejects a malformed previous link', () => {
    const prev = genesisHash('c');
    expect(linkHash(prev, { ...envelope, seq: 2n ** 63n + 1n })).not.toBe(linkHash(prev, { ...envelope, seq: 2n ** 63n + 2n }));
    expect(() => linkHash('xyz', envelope)).toThrow(TypeError);
  });
});
