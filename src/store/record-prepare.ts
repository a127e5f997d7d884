import { hash } from 'node:crypto';
import type { ChildSpec, EntitySpec } from './entities.ts';
import { canonicalJson } from './hash.ts';
import { stripNul } from './sql-kit.ts';

/**
 * A record normalised for upsertRecords: exactly the declared columns (missing → null, NUL stripped),
 * children deduplicated on their key, and the content hash.
 *
 * The hash is, and must stay, sha256 of `canonicalJson({ row, children, raw, hidden })`: every stored
 * row carries it, and a different text would make the next resync rewrite everything. The text is
 * assembled here from its parts because the row and the children have known, flat columns: an object
 * built with its keys already in sorted order serialises canonically with plain JSON.stringify, which
 * saves canonicalJson's sorted copy of every row (a sync prepares ~500 000 records). Only `raw`, whose
 * shape WeCom decides, goes through canonicalJson. record-prepare.test.ts checks the equivalence.
 */

export interface PreparedRecord {
  keyValues: unknown[];
  /** The key as text, for maps (keyText). */
  keyText: string;
  /** Key and typed columns, in `layout.columns` order. */
  values: unknown[];
  /** WeCom's record as received; serialised only when the row is written (most are unchanged). */
  raw: unknown;
  hiddenJson: string | null;
  /** Per child field, each child's values in the field's `columns` order. */
  children: Record<string, unknown[][]>;
  hash: string;
}

/** Column orders derived once per entity: sorted, so one object serves the hash and the insert. */
export interface RecordLayout {
  key: readonly string[];
  /** Key and typed columns, sorted by name. */
  columns: readonly string[];
  keyIndexes: readonly number[];
  /** Child fields sorted by name, each with its columns sorted. */
  children: ReadonlyArray<{ field: string; spec: ChildSpec; columns: readonly string[] }>;
}

const layouts = new WeakMap<EntitySpec, RecordLayout>();

export function layoutOf(spec: EntitySpec): RecordLayout {
  let layout = layouts.get(spec);
  if (!layout) {
    const columns = [...spec.key, ...spec.columns].sort();
    layout = {
      key: spec.key,
      columns,
      keyIndexes: spec.key.map((k) => columns.indexOf(k)),
      children: Object.keys(spec.children).sort().map((field) => {
        const child = spec.children[field]!;
        return { field, spec: child, columns: [...child.columns].sort() };
      }),
    };
    layouts.set(spec, layout);
  }
  return layout;
}

export function keyText(keyValues: readonly unknown[]): string {
  return JSON.stringify(keyValues);
}

export function prepareRecord(layout: RecordLayout, record: Record<string, unknown>): PreparedRecord {
  const { values, text: rowText } = sortedRow(layout.columns, record);
  const keyValues = layout.keyIndexes.map((i) => values[i]);
  let childrenText = '';
  const children: Record<string, unknown[][]> = {};
  for (const { field, spec, columns } of layout.children) {
    const items = record[field];
    if (!Array.isArray(items)) throw new TypeError(`record ${keyText(keyValues)}: "${field}" must be an array`);
    // Duplicates from WeCom collapse on the child's key: the last one wins, in the first one's place.
    const byKey = new Map<unknown, { values: unknown[]; text: string }>();
    for (const item of items as Record<string, unknown>[]) {
      const row = sortedRow(columns, item);
      byKey.set(row.values[columns.indexOf(spec.key)], row);
    }
    const rows = [...byKey.values()];
    children[field] = rows.map((r) => r.values);
    childrenText += `${childrenText ? ',' : ''}${JSON.stringify(field)}:[${rows.map((r) => r.text).join(',')}]`;
  }
  const hidden = [...new Set((record.hidden_fields as string[] | undefined) ?? [])].sort();
  const hiddenText = JSON.stringify(hidden);
  const raw = record.raw ?? null;
  const text = `{"children":{${childrenText}},"hidden":${hiddenText},"raw":${canonicalJson(raw)},"row":${rowText}}`;
  return {
    keyValues,
    keyText: keyText(keyValues),
    values,
    raw,
    hiddenJson: hidden.length > 0 ? hiddenText : null,
    children,
    hash: hash('sha256', text, 'hex'),
  };
}

/**
 * The `columns` of `source` (sorted names; missing → null, NUL stripped) as values and as canonical
 * JSON. Typed columns hold strings and numbers, so JSON.stringify of an object with keys inserted in
 * sorted order is already canonical; anything else takes canonicalJson, whose text it must equal.
 */
function sortedRow(columns: readonly string[], source: Record<string, unknown>): { values: unknown[]; text: string } {
  const values = new Array<unknown>(columns.length);
  const object: Record<string, unknown> = {};
  let flat = true;
  for (let i = 0; i < columns.length; i++) {
    const value = stripNul(source[columns[i]!] ?? null);
    if (value !== null && typeof value === 'object') flat = false;
    values[i] = value;
    object[columns[i]!] = value;
  }
  return { values, text: flat ? JSON.stringify(object) : canonicalJson(object) };
}
