import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeDatabases, type TestDatabase } from '../../../test/helpers/databases.ts';
import { loadDeployment } from '../../config/deployment.ts';
import { openStore } from '../../store/open.ts';
import { upsertRecords } from '../../store/records.ts';
import { SEED_NOW, seedCompany } from '../../store/testing/seed.ts';
import { runtimeOf, type Runtime } from '../runtime.ts';
import { getCustomer, getGroup, listCustomers, listDepartments, listEmployees, listGroups } from './index.ts';

/** The directory services over the seed company (src/store/testing/seed.ts), as every face calls them. */

/** The seed's own corp id is no valid CORP_ID for a config file: the company is seeded under this one. */
const CORP = 'wwseedcorp00000000';

async function seeded(database: TestDatabase, extra: (db: Parameters<typeof seedCompany>[0]) => Promise<void> = async () => {}): Promise<Runtime> {
  const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
  try {
    await seedCompany(store.db, CORP);
    await extra(store.db);
  } finally {
    await store.close();
  }
  const folder = join(database.dataDir, 'config');
  mkdirSync(folder);
  const file = join(folder, 'corp.env');
  writeFileSync(file, [`CORP_ID=${CORP}`, `DATA_DIR=${database.dataDir}`, ...(database.databaseUrl ? [`DATABASE_URL=${database.databaseUrl}`] : []), ''].join('\n'));
  chmodSync(file, 0o600);
  return runtimeOf(await loadDeployment({ configPaths: [folder], env: {} }));
}

const tree = (rows: Array<{ id: number; depth: number; path: string[] }>) => rows.map((d) => `${d.id}:${d.depth}:${d.path.join('/')}`);

describeDatabases('directory services', (getDatabase) => {
  it('list departments as a tree, depth first in WeCom order, with depth and path; subtree, search, deleted, limit', async () => {
    // 7 and 8 point at each other (bad data): shown as tops rather than lost or looping.
    const rt = await seeded(getDatabase(), (db) => upsertRecords(db, 'departments', CORP, [
      { department_id: 7, name: '环七', parent_id: 8, sort_order: 1, raw: {} }, { department_id: 8, name: '环八', parent_id: 7, sort_order: 1, raw: {} },
    ], 'seed-run', SEED_NOW).then(() => undefined));
    try {
      const all = await listDepartments(rt, {});
      expect(all.ok).toBe(true);
      expect(tree(all.departments)).toEqual(['1:0:', '5:1:总部', '2:1:总部', '4:2:总部/销售部', '3:2:总部/销售部', '7:0:', '8:1:环七']);
      expect(all.departments[0]).toMatchObject({ corpId: CORP, id: 1, name: '总部', parentId: 0, memberCount: 0, hiddenFields: [], deletedAt: null });
      expect(tree((await listDepartments(rt, { department: 2 })).departments)).toEqual(['2:1:总部', '4:2:总部/销售部', '3:2:总部/销售部']);
      expect(tree((await listDepartments(rt, { department: 2, includeDeleted: true })).departments))
        .toEqual(['2:1:总部', '4:2:总部/销售部', '3:2:总部/销售部', '6:2:总部/销售部']);
      expect(tree((await listDepartments(rt, { search: '销售组' })).departments)).toEqual(['4:2:总部/销售部', '3:2:总部/销售部']);
      const cut = await listDepartments(rt, { limit: 2 });
      expect([tree(cut.departments), cut.truncated]).toEqual([['1:0:', '5:1:总部'], true]);
      expect((await listDepartments(rt, { limit: 7 })).truncated).toBe(false);
    } finally {
      await rt.close();
    }
  });

  it('list employees with their main department by name (or only its id), tag names, camelCase rows', async () => {
    const rt = await seeded(getDatabase(), (db) => upsertRecords(db, 'employees', CORP, [
      { userid: 'zhouqi', name: '周七', main_department: 99, departments: [{ department_id: 99, sort_order: 0, is_leader: 0 }], status: 1, raw: {} },
    ], 'seed-run', SEED_NOW).then(() => undefined));
    try {
      const { employees, truncated } = await listEmployees(rt, { search: '周七' });
      expect(truncated).toBe(false);
      expect(employees).toEqual([expect.objectContaining({ corpId: CORP, userid: 'zhouqi', mainDepartment: 99, mainDepartmentName: null })]);
      const lisi = (await listEmployees(rt, { tag: '新人' })).employees;
      expect(lisi).toEqual([expect.objectContaining({ userid: 'lisi', mainDepartment: 4, mainDepartmentName: '华南销售组', hiddenFields: ['avatar', 'email', 'mobile'], mobile: null })]);
      expect((await listEmployees(rt, { tag: '没有这个标签' })).employees).toEqual([]);
      expect((await listEmployees(rt, { department: 2, limit: 2 })).employees.map((e) => e.userid)).toEqual(['lisi', 'zhangsan']);
      expect((await listEmployees(rt, { department: 2, limit: 2 })).truncated).toBe(true);
    } finally {
      await rt.close();
    }
  });

  it('list customers and groups, and show one of each in camelCase with follows, tags, members and admins', async () => {
    const rt = await seeded(getDatabase());
    try {
      expect((await listCustomers(rt, { search: '刘氏' })).customers).toEqual([expect.objectContaining({ externalUserid: 'wmCust2', followerCount: 1, corpId: CORP })]);
      expect((await listCustomers(rt, { tag: '重要客户', followUser: 'zhangsan' })).customers.map((c) => c.externalUserid)).toEqual(['wmCust1']);
      const detail = await getCustomer(rt, { id: 'wmCust1' });
      expect(detail.customer).toMatchObject({ corpId: CORP, externalUserid: 'wmCust1', name: '陈先生', corpName: '阿里巴巴', type: 1 });
      const zhangsan = detail.follows.find((f) => f.userid === 'zhangsan')!;
      expect(zhangsan).toMatchObject({ employeeName: '张三', remark: '老客户陈总', description: '每月回访', addWay: 1, addedAt: SEED_NOW - 86_400_000, remarkMobiles: ['13800000001'] });
      expect(zhangsan.tags).toEqual([
        { tagId: 'etPersonal1', name: '爱喝茶', groupName: null, type: 2 }, { tagId: 'tagA', name: '重要客户', groupName: '客户等级', type: null },
      ]);
      expect(detail.consent).toEqual([]);
      expect((await getCustomer(rt, { id: 'wmCust1', includeDeleted: true })).follows.map((f) => f.userid)).toContain('zhaoliu');
      await expect(getCustomer(rt, { id: 'wmcust1' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(getCustomer(rt, { id: 'wmCust1', corp: 'wwzzzzzzzzzzzzzzzz' })).rejects.toMatchObject({ code: 'config_unknown_corp' });

      expect((await listGroups(rt, { followUser: 'lisi' })).groups).toEqual([expect.objectContaining({ chatId: 'wrGroup1', memberCount: 3, createdAt: SEED_NOW - 3_000 })]);
      const group = await getGroup(rt, { id: 'wrGroup1' });
      expect(group.group).toMatchObject({ chatId: 'wrGroup1', owner: 'zhangsan', ownerName: '张三', notice: '每周五发布新品' });
      expect(group.admins).toEqual(['lisi']);
      expect(group.members.map((m) => [m.memberId, m.displayName, m.isOwner, m.isAdmin])).toEqual([
        ['zhangsan', '张三', true, false], ['lisi', '小李', false, true], ['wmCust1', '陈先生', false, false],
      ]);
    } finally {
      await rt.close();
    }
  });
});
