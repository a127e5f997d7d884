import { DeleteQueryNode, InsertQueryNode, UpdateQueryNode, type KyselyPlugin } from 'kysely';
import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import type { RecordInput } from './entities.ts';
import { markMissingDeleted, upsertRecords } from './records.ts';
import { syncStateRepository } from './sync-state.repository.ts';

const CORP = 'wwcorp1';

function employee(userid: string, name: string, departments: number[] = [1]): RecordInput<'employees'> {
  return {
    userid, name, position: '销售', status: 1, main_department: departments[0],
    departments: departments.map((id, i) => ({ department_id: id, sort_order: i, is_leader: 0 })),
    raw: { userid, name, department: departments, position: '销售', status: 1 },
    hidden_fields: ['mobile', 'avatar', 'email'],
  };
}

/** Counts the write statements a piece of code issues through `db` (dialect-independent "wrote nothing"). */
function writeSpy(): KyselyPlugin & { writes: number } {
  const spy = {
    writes: 0,
    transformQuery(args: Parameters<KyselyPlugin['transformQuery']>[0]) {
      if (InsertQueryNode.is(args.node) || UpdateQueryNode.is(args.node) || DeleteQueryNode.is(args.node)) spy.writes += 1;
      return args.node;
    },
    transformResult: async (args: Parameters<KyselyPlugin['transformResult']>[0]) => args.result,
  };
  return spy;
}

describeStores('upsertRecords', (getStore) => {
  async function setup() {
    const { db } = getStore();
    await syncStateRepository.ensureCorp(db, CORP);
    return db;
  }

  it('inserts new records with their children and bookkeeping', async () => {
    const db = await setup();
    const counts = await upsertRecords(db, 'employees', CORP, [employee('zhangsan', '张三', [2, 3]), employee('lisi', '李四')], 'run-1', 1000);
    expect(counts).toEqual({ inserted: 2, updated: 0, undeleted: 0, unchanged: 0 });
    const row = await db.selectFrom('employees').selectAll().where('userid', '=', 'zhangsan').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ corp_id: CORP, name: '张三', status: 1, main_department: 2, first_seen_at: 1000, updated_at: 1000, deleted_at: null, run_id: 'run-1', mobile: null });
    expect(JSON.parse(row.hidden_fields!)).toEqual(['avatar', 'email', 'mobile']);
    expect(JSON.parse(row.raw_json)).toEqual({ userid: 'zhangsan', name: '张三', department: [2, 3], position: '销售', status: 1 });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    const depts = await db.selectFrom('employee_departments').select(['department_id', 'sort_order']).where('userid', '=', 'zhangsan').orderBy('department_id').execute();
    expect(depts).toEqual([{ department_id: 2, sort_order: 0 }, { department_id: 3, sort_order: 1 }]);
  });

  it('writes nothing on a resync that brings no change', async () => {
    const db = await setup();
    const records = [employee('zhangsan', '张三', [2, 3]), employee('lisi', '李四')];
    await upsertRecords(db, 'employees', CORP, records, 'run-1', 1000);
    const spy = writeSpy();
    // Keys in another order, same content: the canonical hash must not care.
    const reordered = records.map((r) => Object.fromEntries(Object.entries(r).reverse()) as typeof r);
    const counts = await upsertRecords(db.withPlugin(spy), 'employees', CORP, reordered, 'run-2', 2000);
    expect(counts).toEqual({ inserted: 0, updated: 0, undeleted: 0, unchanged: 2 });
    expect(spy.writes).toBe(0);
    const rows = await db.selectFrom('employees').select(['updated_at', 'run_id']).execute();
    expect(rows).toEqual([{ updated_at: 1000, run_id: 'run-1' }, { updated_at: 1000, run_id: 'run-1' }]);
  });

  it('rewrites only changed records, bumping updated_at and replacing children', async () => {
    const db = await setup();
    await upsertRecords(db, 'employees', CORP, [employee('zhangsan', '张三', [2, 3]), employee('lisi', '李四')], 'run-1', 1000);
    const counts = await upsertRecords(db, 'employees', CORP, [employee('zhangsan', '张三', [4]), employee('lisi', '李四')], 'run-2', 2000);
    expect(counts).toEqual({ inserted: 0, updated: 1, undeleted: 0, unchanged: 1 });
    const rows = await db.selectFrom('employees').select(['userid', 'first_seen_at', 'updated_at', 'run_id', 'main_department']).orderBy('userid').execute();
    expect(rows).toEqual([
      { userid: 'lisi', first_seen_at: 1000, updated_at: 1000, run_id: 'run-1', main_department: 1 },
      { userid: 'zhangsan', first_seen_at: 1000, updated_at: 2000, run_id: 'run-2', main_department: 4 },
    ]);
    const depts = await db.selectFrom('employee_departments').select('department_id').where('userid', '=', 'zhangsan').execute();
    expect(depts).toEqual([{ department_id: 4 }]);
  });

  it('treats a change in hidden fields or raw JSON alone as a change', async () => {
    const db = await setup();
    await upsertRecords(db, 'employees', CORP, [employee('zhangsan', '张三')], 'run-1', 1000);
    const visible = { ...employee('zhangsan', '张三'), hidden_fields: [] };
    expect((await upsertRecords(db, 'employees', CORP, [visible], 'run-2', 2000)).updated).toBe(1);
    const row = await db.selectFrom('employees').select('hidden_fields').executeTakeFirstOrThrow();
    expect(row.hidden_fields).toBeNull();
    const rawOnly = { ...visible, raw: { ...(visible.raw as object), extattr: { attrs: [] } } };
    expect((await upsertRecords(db, 'employees', CORP, [rawOnly], 'run-3', 3000)).updated).toBe(1);
  });

  it('soft-deletes what a complete listing missed, and revives it when it comes back', async () => {
    const db = await setup();
    await upsertRecords(db, 'employees', CORP, [employee('a', 'A'), employee('b', 'B'), employee('c', 'C')], 'run-1', 1000);
    const result = await markMissingDeleted(db, 'employees', CORP, { seenKeys: [{ userid: 'a' }, employee('c', 'C')], runId: 'run-2' }, 2000);
    expect(result).toEqual({ deleted: 1 });
    const b = await db.selectFrom('employees').select(['deleted_at', 'updated_at', 'run_id']).where('userid', '=', 'b').executeTakeFirstOrThrow();
    expect(b).toEqual({ deleted_at: 2000, updated_at: 1000, run_id: 'run-2' });
    // Already deleted: a second sweep changes nothing.
    expect(await markMissingDeleted(db, 'employees', CORP, { seenKeys: [{ userid: 'a' }, { userid: 'c' }] }, 2500)).toEqual({ deleted: 0 });

    const back = await upsertRecords(db, 'employees', CORP, [employee('b', 'B')], 'run-3', 3000);
    expect(back).toEqual({ inserted: 0, updated: 0, undeleted: 1, unchanged: 0 });
    const revived = await db.selectFrom('employees').select(['deleted_at', 'updated_at', 'run_id']).where('userid', '=', 'b').executeTakeFirstOrThrow();
    expect(revived).toEqual({ deleted_at: null, updated_at: 1000, run_id: 'run-3' });

    await markMissingDeleted(db, 'employees', CORP, { seenKeys: [] }, 4000);
    const changedBack = await upsertRecords(db, 'employees', CORP, [employee('c', 'C2')], 'run-4', 5000);
    expect(changedBack.updated).toBe(1);
    const c = await db.selectFrom('employees').select(['deleted_at', 'updated_at', 'name']).where('userid', '=', 'c').executeTakeFirstOrThrow();
    expect(c).toEqual({ deleted_at: null, updated_at: 5000, name: 'C2' });
  });

  it('limits a sweep to its scope, on composite keys', async () => {
    const db = await setup();
    const follow = (external_userid: string, userid: string, tags: string[] = []): RecordInput<'follow_relations'> => ({
      external_userid, userid, remark: `${userid}的客户`, createtime: 1_600_000_000_000, add_way: 1,
      tags: tags.map((tag_id) => ({ tag_id })), raw: { userid, external_userid, tag_id: tags },
    });
    await upsertRecords(db, 'follow_relations', CORP, [
      follow('wm1', 'u1', ['t1', 't2', 't1']), follow('wm2', 'u1'), follow('wm1', 'u2'), follow('wm3', 'u2'),
    ], 'run-1', 1000);
    const tags = await db.selectFrom('follow_relation_tags').select('tag_id').where('external_userid', '=', 'wm1').where('userid', '=', 'u1').orderBy('tag_id').execute();
    expect(tags).toEqual([{ tag_id: 't1' }, { tag_id: 't2' }]);

    const swept = await markMissingDeleted(db, 'follow_relations', CORP, { seenKeys: [{ external_userid: 'wm1', userid: 'u1' }], scope: { userid: 'u1' } }, 2000);
    expect(swept).toEqual({ deleted: 1 });
    const live = await db.selectFrom('follow_relations').select(['external_userid', 'userid']).where('deleted_at', 'is', null).orderBy('userid').orderBy('external_userid').execute();
    expect(live).toEqual([{ external_userid: 'wm1', userid: 'u1' }, { external_userid: 'wm1', userid: 'u2' }, { external_userid: 'wm3', userid: 'u2' }]);

    const listScope = await markMissingDeleted(db, 'follow_relations', CORP, { seenKeys: [], scope: { userid: ['u2', 'nobody'] } }, 3000);
    expect(listScope).toEqual({ deleted: 2 });
  });

  it('keeps corps apart and collapses duplicate keys in a batch (last wins)', async () => {
    const db = await setup();
    await syncStateRepository.ensureCorp(db, 'wwcorp2');
    await upsertRecords(db, 'employees', CORP, [employee('a', 'first'), employee('a', 'second')], 'run-1', 1000);
    await upsertRecords(db, 'employees', 'wwcorp2', [employee('a', 'other corp')], 'run-1', 1000);
    await markMissingDeleted(db, 'employees', 'wwcorp2', { seenKeys: [] }, 2000);
    const rows = await db.selectFrom('employees').select(['corp_id', 'name', 'deleted_at']).orderBy('corp_id').execute();
    expect(rows).toEqual([{ corp_id: CORP, name: 'second', deleted_at: null }, { corp_id: 'wwcorp2', name: 'other corp', deleted_at: 2000 }]);
  });

  it('strips NUL characters, which PostgreSQL cannot store', async () => {
    const db = await setup();
    await upsertRecords(db, 'employees', CORP, [employee('a', 'A\u0000B')], 'run-1', 1000);
    const row = await db.selectFrom('employees').select(['name', 'raw_json']).executeTakeFirstOrThrow();
    expect(row.name).toBe('AB');
    expect(JSON.parse(row.raw_json).name).toBe('A\u0000B');
  });

  it('splits large batches into statements below the parameter limit', async () => {
    const db = await setup();
    const many = Array.from({ length: 1_234 }, (_, i) => employee(`user${i}`, `员工${i}`, [1, 2]));
    expect(await upsertRecords(db, 'employees', CORP, many, 'run-1', 1000)).toEqual({ inserted: 1_234, updated: 0, undeleted: 0, unchanged: 0 });
    const spy = writeSpy();
    expect((await upsertRecords(db.withPlugin(spy), 'employees', CORP, many, 'run-2', 2000)).unchanged).toBe(1_234);
    expect(spy.writes).toBe(0);
    const swept = await markMissingDeleted(db, 'employees', CORP, { seenKeys: many.slice(0, 100) }, 3000);
    expect(swept.deleted).toBe(1_134);
    const { n } = await db.selectFrom('employee_departments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(n).toBe(2_468);
  });
});
