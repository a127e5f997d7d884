import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { groupsRepository as repo } from './groups.repository.ts';
import { SEED_CORP, seedCompany } from './testing/seed.ts';

const ids = (rows: { chat_id: string }[]) => rows.map((r) => r.chat_id);

describeStores('groups repository', (getStore) => {
  it('lists live groups, newest first, with filters', async () => {
    const { db } = getStore();
    await seedCompany(db);
    const all = await repo.listGroups(db, SEED_CORP);
    expect(all.map((g) => [g.chat_id, g.name, g.member_count])).toEqual([['wrGroup2', '研发支持群', 2], ['wrGroup1', '华东客户交流群', 3]]);
    expect(ids(await repo.listGroups(db, SEED_CORP, { includeDeleted: true }))).toEqual(['wrGroup3', 'wrGroup2', 'wrGroup1']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { search: '华东' }))).toEqual(['wrGroup1']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { search: '新品' }))).toEqual(['wrGroup1']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { owner: 'wangwu' }))).toEqual(['wrGroup2']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { memberId: 'wmCust1' }))).toEqual(['wrGroup1']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { status: 1 }))).toEqual(['wrGroup2']);
  });

  it('gets a group with members in join order, names resolved, owner and admins flagged', async () => {
    const { db } = getStore();
    await seedCompany(db);
    const detail = await repo.getGroup(db, SEED_CORP, 'wrGroup1');
    expect(detail?.group).toMatchObject({ chat_id: 'wrGroup1', name: '华东客户交流群', owner: 'zhangsan', owner_name: '张三', notice: '每周五发布新品' });
    expect(detail?.admins).toEqual(['lisi']);
    expect(detail?.members.map((m) => [m.member_id, m.type, m.display_name, m.is_owner, m.is_admin])).toEqual([
      ['zhangsan', 1, '张三', true, false],
      ['lisi', 1, '小李', false, true],
      ['wmCust1', 2, '陈先生', false, false],
    ]);
    expect(await repo.getGroup(db, SEED_CORP, 'wrNope')).toBeUndefined();
  });
});
