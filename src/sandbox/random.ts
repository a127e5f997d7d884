/**
 * Seeded randomness for the sandbox. Every generated record is a pure function of (seed, stream,
 * index): `rngFor(seed, STREAM.customer, 42)` always yields the same draws, so a record can be
 * re-derived on demand instead of being stored, and a `large` company costs almost no memory.
 */

/** One number per kind of record, so two kinds never share a random sequence. */
export const STREAM = {
  department: 1,
  employee: 2,
  customer: 3,
  follow: 4,
  followDetail: 5,
  group: 6,
  groupMembers: 7,
  internalGroup: 8,
  robot: 9,
  corpTag: 10,
  contactWay: 11,
  memberTag: 12,
  consent: 13,
  ids: 14,
  secrets: 15,
  faults: 16,
  newIds: 17,
  cursor: 18,
  callbacks: 19,
  simulation: 20,
} as const;

/** A 32-bit avalanche hash of several integers (murmur3 finaliser folded over the inputs). */
export function hash32(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    let k = Math.imul(value | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = ((h << 13) | (h >>> 19)) >>> 0;
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a string to 32 bits (for cursors and text-keyed streams). */
export function hashString(text: string, seed = 0): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = hash32(h, text.charCodeAt(i));
  return h;
}

/** A small, fast generator (mulberry32) with the draws the generators need. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Picks by weight: `weighted([[1, 0.7], [2, 0.3]])`. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of choices) total += w;
    let u = this.next() * total;
    for (const [value, w] of choices) {
      u -= w;
      if (u < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  /** `count` distinct integers from [0, n), in draw order (count ≤ n). */
  distinct(n: number, count: number): number[] {
    const chosen = new Set<number>();
    const want = Math.min(count, n);
    while (chosen.size < want) chosen.add(this.int(n));
    return [...chosen];
  }

  /** A string of `length` characters from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

export function rngFor(seed: number, stream: number, index: number, sub = 0): Rng {
  return new Rng(hash32(seed, stream, index, sub));
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const HEX = '0123456789abcdef';

/**
 * A keyed permutation of 32-bit integers (4-round Feistel network). Ids that look random but decode
 * back to their index let the server resolve `external_userid` → customer without a 200,000-entry map.
 */
export function permute32(key: number, value: number): number {
  let left = value >>> 16;
  let right = value & 0xffff;
  for (let round = 0; round < 4; round++) {
    const next = left ^ (hash32(key, round, right) & 0xffff);
    left = right;
    right = next;
  }
  return ((left << 16) | right) >>> 0;
}

export function unpermute32(key: number, value: number): number {
  let left = value >>> 16;
  let right = value & 0xffff;
  for (let round = 3; round >= 0; round--) {
    const previous = right ^ (hash32(key, round, left) & 0xffff);
    right = left;
    left = previous;
  }
  return ((left << 16) | right) >>> 0;
}

/** Fixed-width base62 (6 characters hold any 32-bit value). */
export function toBase62(value: number, width = 6): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

export function fromBase62(text: string): number | undefined {
  let value = 0;
  for (const ch of text) {
    const digit = BASE62.indexOf(ch);
    if (digit < 0) return undefined;
    value = value * 62 + digit;
  }
  return value;
}
