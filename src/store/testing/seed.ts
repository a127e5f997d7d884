import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { RecordInput } from '../entities.ts';
import { markMissingDeleted, upsertRecords } from '../records.ts';
import { syncStateRepository } from '../sync-state.repository.ts';

/**
 * A small company for the repository tests, written through the same upsert path the sync uses.
 * Test-only: product code never imports src/store/testing.
 *
 * Departments: 1 总部 ─┬─ 2 销售部 ─┬─ 3 华东销售组
 *                      │            ├─ 4 华南销售组
 *                      │            └─ 6 已撤销部门 (deleted)
 *                      └─ 5 研发部
 */
export const SEED_CORP = 'wwseedcorp';
export const SEED_NOW = 1_700_000_000_000;

const dept = (department_id: number, name: string, parent_id: number, sort_order: number): RecordInput<'departments'> => ({
  department_id, name, parent_id, sort_order, raw: { id: department_id, name, parentid: parent_id, order: sort_order },
});

const person = (
  userid: string, name: string, departments: number[], position: string, extra: Partial<RecordInput<'employees'>> = {},
  leaderOf: number[] = [],
): RecordInput<'employees'> => ({
  userid, name, position, status: 1, main_department: departments[0],
  departments: departments.map((department_id, i) => ({ department_id, sort_order: i, is_leader: leaderOf.includes(department_id) ? 1 : 0 })),
  raw: { userid, name, department: departments, position }, hidden_fields: ['mobile', 'email', 'avatar'], ...extra,
});

const follow = (
  external_userid: string, userid: string, remark: string, tags: RecordInput<'follow_relations'>['tags'],
  extra: Partial<RecordInput<'follow_relations'>> = {},
): RecordInput<'follow_relations'> => ({
  external_userid, userid, remark, createtime: SEED_NOW - 86_400_000, add_way: 1, oper_userid: userid, tags,
  raw: { external_userid, userid, remark, tags }, ...extra,
});

const customer = (external_userid: string, name: string, corp_name: string | null, type: 1 | 2): RecordInput<'customers'> => ({
  external_userid, name, corp_name, type, raw: { external_userid, name, corp_name, type },
});

export async function seedCompany(db: Kysely<Database>, corpId = SEED_CORP): Promise<void> {
  const run = 'seed-run';
  await syncStateRepository.ensureCorp(db, corpId, '种子公司');
  await upsertRecords(db, 'departments', corpId, [
    dept(1, '总部', 0, 100), dept(2, '销售部', 1, 90), dept(3, '华东销售组', 2, 80), dept(4, '华南销售组', 2, 85),
    dept(5, '研发部', 1, 95), dept(6, '已撤销部门', 2, 10),
  ], run, SEED_NOW);
  await markMissingDeleted(db, 'departments', corpId, { seenKeys: [1, 2, 3, 4, 5].map((department_id) => ({ department_id })) }, SEED_NOW);

  await upsertRecords(db, 'employees', corpId, [
    person('zhangsan', '张三', [3], '销售经理', {}, [3]),
    person('lisi', '李四', [4, 5], '销售'),
    person('wangwu', '王五', [5], '工程师', { alias: 'Wang Wu' }),
    person('zhaoliu', '赵六', [2], '销售总监', { status: 5 }),
    person('qianqi', '钱七', [3], '销售'),
    person('sunba', '孙八', [6], '行政'),
  ], run, SEED_NOW);
  await markMissingDeleted(db, 'employees', corpId, {
    seenKeys: ['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'sunba'].map((userid) => ({ userid })),
  }, SEED_NOW);
  await upsertRecords(db, 'member_tags', corpId, [
    { tag_id: 1, name: '重点员工', users: [{ userid: 'zhangsan' }, { userid: 'wangwu' }, { userid: 'qianqi' }], departments: [], raw: {} },
    { tag_id: 2, name: '新人', users: [{ userid: 'lisi' }], departments: [{ department_id: 5 }], raw: {} },
  ], run, SEED_NOW);

  await upsertRecords(db, 'corp_tag_groups', corpId, [
    { group_id: 'grpLevel', name: '客户等级', sort_order: 10, raw: {},
      tags: [{ tag_id: 'tagA', name: '重要客户', sort_order: 2 }, { tag_id: 'tagB', name: '普通客户', sort_order: 1 }] },
    { group_id: 'grpSource', name: '来源', sort_order: 20, raw: {}, tags: [{ tag_id: 'tagC', name: '展会', sort_order: 1 }] },
  ], run, SEED_NOW);
  await upsertRecords(db, 'customers', corpId, [
    customer('wmCust1', '陈先生', '阿里巴巴', 1), customer('wmCust2', '刘女士', null, 1),
    customer('woCust3', 'Alice', 'Acme Ltd', 2), customer('wmCust4', '已删除客户', null, 1),
  ], run, SEED_NOW);
  await markMissingDeleted(db, 'customers', corpId, { seenKeys: ['wmCust1', 'wmCust2', 'woCust3'].map((external_userid) => ({ external_userid })) }, SEED_NOW);
  await upsertRecords(db, 'follow_relations', corpId, [
    follow('wmCust1', 'zhangsan', '老客户陈总', [{ tag_id: 'tagA' }, { tag_id: 'etPersonal1', tag_type: 2, tag_name: '爱喝茶', group_name: null }],
      { description: '每月回访', remark_mobiles: JSON.stringify(['13800000001']) }),
    follow('wmCust1', 'lisi', '陈总的助理对接', []),
    follow('wmCust1', 'zhaoliu', '已交接', [{ tag_id: 'tagB' }]),
    follow('wmCust2', 'lisi', 'VIP', [{ tag_id: 'tagB' }, { tag_id: 'tagC' }], { remark_corp_name: '刘氏贸易' }),
    follow('woCust3', 'wangwu', 'hello world', []),
    follow('wmCust4', 'zhangsan', '已删除', []),
  ], run, SEED_NOW);
  await markMissingDeleted(db, 'follow_relations', corpId, {
    seenKeys: [['wmCust1', 'zhangsan'], ['wmCust1', 'lisi'], ['wmCust2', 'lisi'], ['woCust3', 'wangwu']]
      .map(([external_userid, userid]) => ({ external_userid: external_userid!, userid: userid! })),
  }, SEED_NOW + 1);

  const member = (member_id: string, type: 1 | 2, join_time: number, group_nickname = '') => ({ member_id, type, join_time, group_nickname, join_scene: 1 });
  await upsertRecords(db, 'customer_groups', corpId, [
    { chat_id: 'wrGroup1', name: '华东客户交流群', owner: 'zhangsan', create_time: SEED_NOW - 3_000, notice: '每周五发布新品', status: 0, raw: {},
      members: [member('zhangsan', 1, 1), member('wmCust1', 2, 3), member('lisi', 1, 2, '小李')], admins: [{ userid: 'lisi' }] },
    { chat_id: 'wrGroup2', name: '研发支持群', owner: 'wangwu', create_time: SEED_NOW - 2_000, notice: null, status: 1, raw: {},
      members: [member('wangwu', 1, 1), member('woCust3', 2, 2)], admins: [] },
    { chat_id: 'wrGroup3', name: '已解散的群', owner: 'zhangsan', create_time: SEED_NOW - 1_000, status: 0, raw: {}, members: [], admins: [] },
  ], run, SEED_NOW);
  await markMissingDeleted(db, 'customer_groups', corpId, { seenKeys: [{ chat_id: 'wrGroup1' }, { chat_id: 'wrGroup2' }] }, SEED_NOW);

  await upsertRecords(db, 'contact_ways', corpId, [
    { config_id: 'cw1', type: 1, scene: 2, remark: '展会二维码', state: 'expo2026', skip_verify: 1, user_ids: JSON.stringify(['zhangsan']), party_ids: JSON.stringify([3]), raw: {} },
    { config_id: 'cw2', type: 2, scene: 2, remark: '官网', state: 'site', user_ids: JSON.stringify(['lisi', 'wangwu']), raw: {} },
  ], run, SEED_NOW);
}
