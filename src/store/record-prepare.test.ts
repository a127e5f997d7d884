import { describe, expect, it } from 'vitest';
import { ENTITIES, type EntitySpec } from './entities.ts';
import { contentHash } from './hash.ts';
import { layoutOf, prepareRecord } from './record-prepare.ts';
import { stripNul } from './sql-kit.ts';

/** The hash as the first implementation computed it, which every stored row carries. */
function referenceHash(spec: EntitySpec, record: Record<string, unknown>): string {
  const row: Record<string, unknown> = {};
  for (const column of [...spec.key, ...spec.columns]) row[column] = stripNul(record[column] ?? null);
  const children: Record<string, Record<string, unknown>[]> = {};
  for (const [field, child] of Object.entries(spec.children)) {
    const byKey = new Map<unknown, Record<string, unknown>>();
    for (const item of record[field] as Record<string, unknown>[]) {
      const c: Record<string, unknown> = {};
      for (const column of child.columns) c[column] = stripNul(item[column] ?? null);
      byKey.set(c[child.key], c);
    }
    children[field] = [...byKey.values()];
  }
  const hidden = [...new Set((record.hidden_fields as string[] | undefined) ?? [])].sort();
  return contentHash({ row, children, raw: record.raw ?? null, hidden });
}

/** sha256 of samples[0]'s canonical text, as computed when the format was set; never update it casually. */
const PINNED_EMPLOYEE_HASH = 'a68292b1da800df22b19adeb88b8e53dafec3efd09eaa500ebd126dd15acd7bc';

describe('prepareRecord', () => {
  const samples: Array<[keyof typeof ENTITIES, Record<string, unknown>]> = [
    ['employees', {
      userid: 'zhangsan', name: '张三\u0000', position: '销售', status: 1, main_department: 2, mobile: undefined,
      departments: [{ department_id: 2, sort_order: 0, is_leader: 1 }, { department_id: 3, sort_order: null }, { department_id: 2, sort_order: 9 }],
      raw: { userid: 'zhangsan', name: '张三\u0000', department: [2, 3], extattr: { attrs: [{ b: 1, a: '2' }] } },
      hidden_fields: ['mobile', 'avatar', 'email', 'mobile'],
    }],
    ['follow_relations', {
      external_userid: 'wm1', userid: 'u1', remark: 'r', createtime: 1_600_000_000_000, add_way: 1,
      tags: [{ tag_id: 't2' }, { tag_id: 't1' }, { tag_id: 't2', tag_name: 'again' }], raw: { userid: 'u1', tag_id: ['t2', 't1'] },
    }],
    ['customers', { external_userid: 'wm1', name: 'A', type: 1, raw: undefined }],
    ['departments', { department_id: 1, name: '总部', parent_id: 0, sort_order: 100, raw: { id: 1, '10': 'x', '2': 'y' } }],
    ['customer_groups', {
      chat_id: 'wr1', name: '群', owner: 'u1', status: 0, members: [{ member_id: 'u1', type: 1 }, { member_id: 'wm1', type: 2, unionid: 'x' }],
      admins: [], raw: { chat_id: 'wr1', member_list: [] },
    }],
    // A column holding something other than a string or a number takes the canonicalJson path.
    ['contact_ways', { config_id: 'c1', type: 1, scene: 2, user_ids: ['u1'] as unknown as string, raw: { config_id: 'c1' } }],
  ];

  it('hashes exactly as the first implementation did', () => {
    for (const [entity, record] of samples) {
      const spec: EntitySpec = ENTITIES[entity];
      expect(prepareRecord(layoutOf(spec), record).hash, entity).toBe(referenceHash(spec, record));
    }
  });

  it('keeps the stored hash format: a fixed record has a fixed hash', () => {
    // Every stored row carries this hash; a change here makes the next sync rewrite every record.
    const [entity, record] = samples[0]!;
    expect(prepareRecord(layoutOf(ENTITIES[entity]), record).hash).toBe(PINNED_EMPLOYEE_HASH);
  });

  it('returns the columns in layout order, children deduplicated on their key (last wins)', () => {
    const spec: EntitySpec = ENTITIES.follow_relations;
    const layout = layoutOf(spec);
    const prepared = prepareRecord(layout, samples[1]![1]);
    expect(prepared.keyValues).toEqual(['wm1', 'u1']);
    expect(Object.fromEntries(layout.columns.map((c, i) => [c, prepared.values[i]]))).toMatchObject({ external_userid: 'wm1', remark: 'r', state: null });
    const tagColumns = layout.children[0]!.columns;
    expect(prepared.children.tags!.map((values) => Object.fromEntries(tagColumns.map((c, i) => [c, values[i]]))))
      .toEqual([{ tag_id: 't2', tag_name: 'again', tag_type: null, group_name: null }, { tag_id: 't1', tag_name: null, tag_type: null, group_name: null }]);
    expect(prepared.hiddenJson).toBeNull();
  });
});
