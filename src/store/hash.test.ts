import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './hash.ts';

describe('canonical JSON and content hash', () => {
  it('ignores key order at every depth, keeps array order, drops undefined', () => {
    const a = { b: 1, a: { y: [3, { q: 1, p: 2 }], x: '张三' }, u: undefined };
    const b = { a: { x: '张三', y: [3, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"x":"张三","y":[3,{"p":2,"q":1}]},"b":1}');
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash({ list: [1, 2] })).not.toBe(contentHash({ list: [2, 1] }));
    expect(contentHash({ v: null })).not.toBe(contentHash({}));
  });

  it('is sha256 hex of the canonical text', () => {
    // sha256('{"a":1}')
    expect(contentHash({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });

  it('refuses bigint rather than guessing an encoding', () => {
    expect(() => canonicalJson({ seq: 1n })).toThrow(TypeError);
  });
});
