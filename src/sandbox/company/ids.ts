import { BASE62, HEX, STREAM, fromBase62, hash32, permute32, rngFor, toBase62, unpermute32 } from '../random.ts';

/**
 * Identifiers shaped like WeCom's (wecom-api.md §3: `wo`/`wm` customers, `wr` groups, `wb` robots,
 * `et` corp tags; corp ids `ww…` with 16 hex digits; 43-character secrets). Index-bearing ids encode
 * their index through a keyed permutation, so they look random yet decode without a lookup table.
 */
export interface IdCodec {
  encode(index: number): string;
  /** The index an id stands for, or undefined if this codec never issued it. */
  decode(id: string): number | undefined;
}

const ID_LENGTH = 32;
const SUFFIX = 'AAA';

export function indexedIds(seed: number, prefix: string, stream: number, count: number): IdCodec {
  const key = hash32(seed, STREAM.ids, stream);
  const fillerLength = ID_LENGTH - prefix.length - 6 - SUFFIX.length;
  const encode = (index: number) => {
    const permuted = permute32(key, index);
    // 6 base62 digits hold 13 × 2^32 values: a spread factor keeps the leading digit from always being 0–4.
    const spread = (hash32(key, permuted) % 13) * 2 ** 32;
    const filler = rngFor(seed, STREAM.ids, stream, permuted).chars(BASE62, fillerLength);
    return `${prefix}${toBase62(permuted + spread)}${filler}${SUFFIX}`;
  };
  return {
    encode,
    decode(id) {
      if (typeof id !== 'string' || id.length !== ID_LENGTH || !id.startsWith(prefix)) return undefined;
      const value = fromBase62(id.slice(prefix.length, prefix.length + 6));
      if (value === undefined) return undefined;
      const index = unpermute32(key, value % 2 ** 32);
      if (index >= count || encode(index) !== id) return undefined;
      return index;
    },
  };
}

/** Id prefixes per kind of record: streams keep two kinds with the same prefix apart. */
export const ID_KINDS = {
  wechatCustomer: { prefix: 'wm', stream: 101 },
  wecomCustomer: { prefix: 'wo', stream: 102 },
  customerGroup: { prefix: 'wr', stream: 103 },
  internalGroup: { prefix: 'wr', stream: 104 },
  robot: { prefix: 'wb', stream: 105 },
} as const;

export function corpIdFor(seed: number): string {
  return `ww${rngFor(seed, STREAM.secrets, 0).chars(HEX, 16)}`;
}

const SECRET_ALPHABET = `${BASE62}-_`;

/** A 43-character secret for a credential kind; `generation` changes when a secret is reset. */
export function secretFor(seed: number, kind: string, generation = 0): string {
  let kindHash = 0;
  for (const ch of kind) kindHash = hash32(kindHash, ch.charCodeAt(0));
  return rngFor(seed, STREAM.secrets, kindHash, generation).chars(SECRET_ALPHABET, 43);
}

/** Corp tag and tag-group ids (`et…`, 32 characters), numbered within their stream. */
export function tagIdFor(seed: number, sub: number, index: number): string {
  return `et${rngFor(seed, STREAM.corpTag, index, sub).chars(BASE62, 30)}`;
}

/** 「联系我」 config ids are 32 hex characters. */
export function configIdFor(seed: number, sub: number, index: number): string {
  return rngFor(seed, STREAM.contactWay, index, sub).chars(HEX, 32);
}
