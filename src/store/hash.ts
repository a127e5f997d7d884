import { hash } from 'node:crypto';

/**
 * Content hashing for the raw-records pattern (style-anchors lesson H). The hash is computed here in
 * TypeScript, not by a database trigger, so SQLite and PostgreSQL agree byte for byte, and a resync
 * that brings nothing new compares equal and writes nothing.
 */

/**
 * JSON with object keys sorted at every level and no whitespace: two values that mean the same data
 * serialise identically whatever order WeCom (or our mapping code) produced the keys in. Array order
 * is kept, since it carries meaning (a member's main department comes first). `undefined` properties
 * are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** sha256 (hex) of the canonical JSON of `value` (one-shot: no Hash object per record). */
export function contentHash(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'bigint') {
    // JSON has no bigint; records never need one (message seq lives outside the records tables).
    throw new TypeError('canonicalJson: bigint values are not supported in records');
  }
  if (value === null || typeof value !== 'object') return value;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return sortKeys(withToJson.toJSON()); // Date, like JSON.stringify
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const inner = (value as Record<string, unknown>)[key];
    if (inner !== undefined) out[key] = sortKeys(inner);
  }
  return out;
}
