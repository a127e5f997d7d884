import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { customersRepository as repo } from './customers.repository.ts';
import { SEED_CORP, SEED_NOW, seedCompany } from './testing/seed.ts';

const ids = (rows: { external_userid: string }[]) => rows.map((r) => r.external_userid);

describeStores('customers repository', (getStore) => {
  it('lists live customers with follower counts', async () => {
    const { db } = getStore();
    await seedCompany(db);
    const rows = await repo.listCustomers(db, SEED_CORP);
    expect(rows.map((r) => [r.corp_id, r.external_userid, r.name, r.followers])).toEqual([
      [SEED_CORP, 'wmCust1', '陈先生', 2], [SEED_CORP, 'wmCust2', '刘女士', 1], [SEED_CORP, 'woCust3', 'Alice', 1],
    ]);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { includeDeleted: true }))).toContain('wmCust4');
  });

  it('searches names, ids, corp names and what live followers wrote (remark, description, remark corp name)', async () => {
    const { db } = getStore();
    await seedCompany(db);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { search: '陈' }))).toEqual(['wmCust1']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { search: '老客户' }))).toEqual(['wmCust1']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { search: '阿里' }))).toEqual(['wmCust1']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { search: '刘氏' }))).toEqual(['wmCust2']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { search: 'acme' }))).toEqual(['woCust3']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { search: 'wmcust' }))).toEqual(['wmCust1', 'wmCust2']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { search: '每月回访' }))).toEqual(['wmCust1']);
    // The removed relation's remark no longer finds the customer.
    expect(ids(await repo.listCustomers(db, SEED_CORP, { search: '已交接' }))).toEqual([]);
  });

  it('filters by follow user, by tags (id or name) and by a follower\'s department subtree, over live relations only', async () => {
    const { db } = getStore();
    await seedCompany(db);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { followUser: 'lisi' }))).toEqual(['wmCust1', 'wmCust2']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { followUser: 'zhaoliu' }))).toEqual([]);
    // tagB is on wmCust1 only through zhaoliu's removed relation.
    expect(ids(await repo.listCustomers(db, SEED_CORP, { tagIds: ['tagB'] }))).toEqual(['wmCust2']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { tagIds: ['tagA', 'tagC'] }))).toEqual(['wmCust1', 'wmCust2']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { tagIds: [] }))).toEqual([]);
    expect(await repo.corpTagIds(db, SEED_CORP, '普通客户')).toEqual(['tagB']);
    expect(await repo.corpTagIds(db, SEED_CORP, 'tagC')).toEqual(['tagC']);
    expect(await repo.corpTagIds(db, SEED_CORP, '没有这个标签')).toEqual(['没有这个标签']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { tagIds: await repo.corpTagIds(db, SEED_CORP, '没有这个标签') }))).toEqual([]);
    // 2 销售部 and below: zhangsan (3) and lisi (4) follow wmCust1 and wmCust2; wangwu (5 研发部) follows woCust3.
    expect(ids(await repo.listCustomers(db, SEED_CORP, { departmentId: 2 }))).toEqual(['wmCust1', 'wmCust2']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { departmentId: 3 }))).toEqual(['wmCust1']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { departmentId: 5, tagIds: ['tagC'] }))).toEqual(['wmCust2']);
    expect(ids(await repo.listCustomers(db, SEED_CORP, { limit: 1, offset: 1 }))).toEqual(['wmCust2']);
  });

  it('gets a customer by exact id with its live follow relations (removed ones on request), remarks and named tags', async () => {
    const { db } = getStore();
    await seedCompany(db);
    expect(await repo.getCustomer(db, SEED_CORP, 'wmcust1')).toBeUndefined();
    const detail = await repo.getCustomer(db, SEED_CORP, 'wmCust1');
    expect(detail?.customer).toMatchObject({ external_userid: 'wmCust1', name: '陈先生', corp_name: '阿里巴巴', type: 1, deleted_at: null });
    expect(detail?.customer.raw).toEqual({ external_userid: 'wmCust1', name: '陈先生', corp_name: '阿里巴巴', type: 1 });
    expect(detail?.customer.hidden_fields).toEqual([]);
    expect(detail?.follows.map((f) => [f.userid, f.employee_name, f.remark, f.deleted_at])).toEqual([
      ['lisi', '李四', '陈总的助理对接', null], ['zhangsan', '张三', '老客户陈总', null],
    ]);
    const all = await repo.getCustomer(db, SEED_CORP, 'wmCust1', { includeDeleted: true });
    expect(all?.follows.map((f) => [f.userid, f.deleted_at])).toEqual([['lisi', null], ['zhangsan', null], ['zhaoliu', SEED_NOW + 1]]);
    const zhangsan = detail!.follows.find((f) => f.userid === 'zhangsan')!;
    expect(zhangsan).toMatchObject({ description: '每月回访', remark_mobiles: ['13800000001'], add_way: 1, oper_userid: 'zhangsan', createtime: SEED_NOW - 86_400_000 });
    expect(zhangsan.tags).toEqual([
      { tag_id: 'etPersonal1', type: 2, name: '爱喝茶', group_name: null },
      { tag_id: 'tagA', type: null, name: '重要客户', group_name: '客户等级' },
    ]);
  });

  it('lists the tag library and contact ways in order', async () => {
    const { db } = getStore();
    await seedCompany(db);
    expect(await repo.listCorpTags(db, SEED_CORP)).toEqual([
      { group_id: 'grpSource', name: '来源', sort_order: 20, tags: [{ tag_id: 'tagC', name: '展会', sort_order: 1 }] },
      { group_id: 'grpLevel', name: '客户等级', sort_order: 10, tags: [
        { tag_id: 'tagA', name: '重要客户', sort_order: 2 }, { tag_id: 'tagB', name: '普通客户', sort_order: 1 }] },
    ]);
    const ways = await repo.listContactWays(db, SEED_CORP, { search: '展会' });
    expect(ways.map((w) => [w.config_id, w.state, w.user_ids, w.party_ids, w.skip_verify])).toEqual([['cw1', 'expo2026', ['zhangsan'], [3], 1]]);
    expect((await repo.listContactWays(db, SEED_CORP)).map((w) => w.config_id)).toEqual(['cw1', 'cw2']);
  });
});
