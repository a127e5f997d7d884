import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { groupsRepository as repo } from './groups.repository.ts';
import { SEED_CORP, seedCompany } from './testing/seed.ts';

const ids = (rows: { chat_id: string }[]) => rows.map((r) => r.chat_id);

describeStores('groups repository', (getStore) => {
  it('lists live groups by chat_id, searching name, chat_id and notice, and those a member owns or is in', async () => {
    const { db } = getStore();
    await seedCompany(db);
    const all = await repo.listGroups(db, SEED_CORP);
    expect(all.map((g) => [g.corp_id, g.chat_id, g.name, g.members])).toEqual([
      [SEED_CORP, 'wrGroup1', '华东客户交流群', 3], [SEED_CORP, 'wrGroup2', '研发支持群', 2]]);
    expect(ids(await repo.listGroups(db, SEED_CORP, { includeDeleted: true }))).toEqual(['wrGroup1', 'wrGroup2', 'wrGroup3']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { search: '华东' }))).toEqual(['wrGroup1']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { search: '新品' }))).toEqual(['wrGroup1']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { search: 'WRGROUP2' }))).toEqual(['wrGroup2']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { followUser: 'wangwu' }))).toEqual(['wrGroup2']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { followUser: 'lisi' }))).toEqual(['wrGroup1']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { followUser: 'zhangsan', includeDeleted: true }))).toEqual(['wrGroup1', 'wrGroup3']);
    expect(ids(await repo.listGroups(db, SEED_CORP, { followUser: 'nobody' }))).toEqual([]);
  });

  it('gets a group with members (employees, then customers, by join time), names resolved, owner and admins flagged', async () => {
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
