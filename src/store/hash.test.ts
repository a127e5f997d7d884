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

/** The first implementation, whose hashes every existing database holds: the text must not change. */
function referenceCanonicalJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v === null || typeof v !== 'object') return v;
    const withToJson = v as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return sortKeys(withToJson.toJSON());
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) {
      const inner = (v as Record<string, unknown>)[key];
      if (inner !== undefined) out[key] = sortKeys(inner);
    }
    return out;
  };
  return JSON.stringify(sortKeys(value));
}

describe('canonical JSON is byte for byte the first implementation', () => {
  it('on awkward values', () => {
    const awkward = [
      { '10': 1, '2': 2, b: 3, a: 4, '01': 5, '-1': 6, '4294967295': 7, '4294967294': 8, '': 9 },
      JSON.parse('{"__proto__":{"x":1},"a":1}'),
      { n: [NaN, Infinity, -0, 1e21, 1.5e-7, undefined, () => 1, null], s: '\u2028\ud800"\\\n中文', d: new Date(0) },
      [{ z: { y: { x: [] } } }, {}, [[]], true, false],
      { f: () => 1, u: undefined, sym: Symbol('s') },
    ];
    for (const value of awkward) expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });

  it('on generated records', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const key = () => ['userid', 'name', 'a', 'Z', '_', '3', '12', 'ext', '中'][Math.floor(random() * 9)]!;
    const gen = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) return [null, 1, -2.5, 'x', '', true, 1e300, '\u0000'][Math.floor(random() * 8)];
      if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => gen(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 6) }, () => [key(), gen(depth + 1)]));
    };
    for (let i = 0; i < 2000; i++) {
      const value = gen(0);
      expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
    }
  });
});
