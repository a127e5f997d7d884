import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { directoryRepository as repo } from './directory.repository.ts';
import { SEED_CORP, seedCompany } from './testing/seed.ts';

const ids = (rows: { userid: string }[]) => rows.map((r) => r.userid);

describeStores('directory repository', (getStore) => {
  it('lists live employees, searching name, userid, alias and position (Chinese and Latin)', async () => {
    const { db } = getStore();
    await seedCompany(db);
    const all = await repo.listEmployees(db, SEED_CORP);
    expect(ids(all)).toEqual(['lisi', 'sunba', 'wangwu', 'zhangsan', 'zhaoliu']);
    // The main department by name; a deleted one keeps its name.
    expect(all.map((e) => [e.main_department, e.main_department_name])).toEqual([[4, '华南销售组'], [6, '已撤销部门'], [5, '研发部'], [3, '华东销售组'], [2, '销售部']]);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { search: '张三' }))).toEqual(['zhangsan']);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { search: '销售' }))).toEqual(['lisi', 'zhangsan', 'zhaoliu']);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { search: 'wang wu' }))).toEqual(['wangwu']);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { search: 'ZHANG' }))).toEqual(['zhangsan']);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { search: '%' }))).toEqual([]);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { search: '钱七' }))).toEqual([]);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { search: '钱七', includeDeleted: true }))).toEqual(['qianqi']);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { status: 5 }))).toEqual(['zhaoliu']);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { limit: 2, offset: 1 }))).toEqual(['sunba', 'wangwu']);
    expect(await repo.listEmployees(db, 'wwothercorp')).toEqual([]);
  });

  it('filters by department, including sub-departments by default', async () => {
    const { db } = getStore();
    await seedCompany(db);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { departmentId: 2 }))).toEqual(['lisi', 'zhangsan', 'zhaoliu']);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { departmentId: 2, includeSubDepartments: false }))).toEqual(['zhaoliu']);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { departmentId: 1 }))).toEqual(['lisi', 'wangwu', 'zhangsan', 'zhaoliu']);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { departmentId: 5, search: '李' }))).toEqual(['lisi']);
    expect(await repo.departmentSubtree(db, SEED_CORP, 2)).toEqual([2, 3, 4]);
  });

  it('filters by member tag', async () => {
    const { db } = getStore();
    await seedCompany(db);
    expect(ids(await repo.listEmployees(db, SEED_CORP, { tagId: 1 }))).toEqual(['wangwu', 'zhangsan']);
    expect(await repo.memberTagId(db, SEED_CORP, '新人')).toBe(2);
    expect(await repo.memberTagId(db, SEED_CORP, '7')).toBe(7);
    expect(await repo.memberTagId(db, SEED_CORP, '没有这个标签')).toBeUndefined();
    expect(await repo.listMemberTags(db, SEED_CORP)).toEqual([
      { tag_id: 1, name: '重点员工', member_count: 2 }, { tag_id: 2, name: '新人', member_count: 1 },
    ]);
  });

  it('lists departments in display order with member counts', async () => {
    const { db } = getStore();
    await seedCompany(db);
    const all = await repo.listDepartments(db, SEED_CORP);
    expect(all.map((d) => [d.department_id, d.name, d.member_count])).toEqual([
      [1, '总部', 0], [5, '研发部', 2], [2, '销售部', 1], [4, '华南销售组', 1], [3, '华东销售组', 1],
    ]);
    expect((await repo.listDepartments(db, SEED_CORP, { parentId: 2 })).map((d) => d.department_id)).toEqual([4, 3]);
    expect((await repo.listDepartments(db, SEED_CORP, { search: '销售组' })).map((d) => d.department_id)).toEqual([4, 3]);
    expect((await repo.listDepartments(db, SEED_CORP, { includeDeleted: true })).map((d) => d.department_id)).toContain(6);
  });

  it('gets one employee with departments (main first), leader flags, tags and hidden fields', async () => {
    const { db } = getStore();
    await seedCompany(db);
    const lisi = await repo.getEmployee(db, SEED_CORP, 'lisi');
    expect(lisi?.departments).toEqual([
      { department_id: 4, name: '华南销售组', sort_order: 0, is_leader: false, is_main: true },
      { department_id: 5, name: '研发部', sort_order: 1, is_leader: false, is_main: false },
    ]);
    expect(lisi?.tags).toEqual([{ tag_id: 2, name: '新人' }]);
    expect(lisi?.employee).toMatchObject({ name: '李四', mobile: null, hidden: ['avatar', 'email', 'mobile'] });
    expect(lisi?.employee.raw).toEqual({ userid: 'lisi', name: '李四', department: [4, 5], position: '销售' });
    const zhangsan = await repo.getEmployee(db, SEED_CORP, 'zhangsan');
    expect(zhangsan?.departments[0]).toMatchObject({ department_id: 3, is_leader: true });
    expect((await repo.getEmployee(db, SEED_CORP, 'qianqi'))?.employee.deleted_at).toBe(1_700_000_000_000);
    expect(await repo.getEmployee(db, SEED_CORP, 'nobody')).toBeUndefined();
  });
});
