import { afterEach, expect, it } from 'vitest';
import type { CompanyView, Sandbox } from '../../src/sandbox/index.ts';
import { customersRepository } from '../../src/store/customers.repository.ts';
import { createWecomClient } from '../../src/wecom/client.ts';
import { describeStores } from '../helpers/databases.ts';
import { liveCount, startTestSandbox, syncWith } from './helpers.ts';

/**
 * What vanishes from WeCom is marked deleted, never erased, and comes back when WeCom lists it again.
 * Customers vanish here the way they do for real users: the app's visible scope shrinks, so its token
 * no longer sees some members, their customers, relations and groups.
 */

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** What an app scoped to `root` (and below) sees of the generated company. */
function visibleFrom(company: CompanyView, root: number) {
  const departments = new Set([root]);
  for (const d of company.departments()) if (departments.has(d.parentid)) departments.add(d.id);
  const employees = new Set<number>();
  for (let e = 0; e < company.counts.employees; e++) {
    if (company.employee(e).department.some((d) => departments.has(d))) employees.add(e);
  }
  let customers = 0;
  let relations = 0;
  for (let c = 0; c < company.counts.customers; c++) {
    const seen = company.followersOf(c).filter((e) => employees.has(e)).length;
    relations += seen;
    if (seen > 0) customers += 1;
  }
  let groups = 0;
  for (let g = 0; g < company.counts.groups; g++) if (employees.has(company.groupOwnerIndex(g))) groups += 1;
  return { departments: departments.size, employees: employees.size, customers, relations, groups };
}

describeStores('deletions', (getStore) => {
  it('marks deleted what a complete listing no longer has, keeps it, and revives it when it returns', async () => {
    sandbox = await startTestSandbox();
    const store = getStore();
    const { corpId, company } = sandbox;
    const summary = sandbox.summary();
    // The app alone: directory and (from 「可调用应用」) customers, both limited to its scope.
    await syncWith(store, sandbox, { kinds: ['app'] });
    expect(await liveCount(store.db, 'customers', corpId)).toBe(summary.customers);

    const root = company.departments().find((d) => d.parentid === 1)!.id;
    const expected = visibleFrom(company, root);
    expect(expected.customers).toBeLessThan(summary.customers);
    sandbox.rules.appScope = { departments: [root], users: [] };
    const narrowed = await syncWith(store, sandbox, { kinds: ['app'] });
    expect(narrowed.status).toBe('succeeded');
    const deleted = (e: keyof typeof narrowed.tally.entities) => narrowed.tally.entities[e].deleted;
    expect(deleted('customers')).toBe(summary.customers - expected.customers);
    expect(deleted('follow_relations')).toBe(summary.follow_relations - expected.relations);
    expect(deleted('employees')).toBe(summary.employees - expected.employees);
    expect(deleted('departments')).toBe(summary.departments - expected.departments);
    expect(deleted('customer_groups')).toBe(summary.groups - expected.groups);
    expect(await liveCount(store.db, 'customers', corpId)).toBe(expected.customers);
    expect(await liveCount(store.db, 'follow_relations', corpId)).toBe(expected.relations);

    // Kept, with the time, and found by their id; hidden from lists unless asked for.
    const all = await store.db.selectFrom('customers').select(['external_userid', 'deleted_at', 'name']).execute();
    expect(all.length).toBe(summary.customers);
    const gone = all.find((c) => c.deleted_at !== null)!;
    expect(gone.deleted_at).toBeGreaterThan(0);
    expect(gone.name).toBe(company.customerByExternalUserid(gone.external_userid)!.name);
    expect((await customersRepository.getCustomer(store.db, corpId, gone.external_userid))!.customer.deleted_at).toBe(gone.deleted_at);
    expect((await customersRepository.listCustomers(store.db, corpId, { search: gone.external_userid })).length).toBe(0);
    expect((await customersRepository.listCustomers(store.db, corpId, { search: gone.external_userid, includeDeleted: true })).length).toBe(1);

    // A resync that sees the same does not delete twice.
    const same = await syncWith(store, sandbox, { kinds: ['app'] });
    expect(Object.values(same.tally.entities).every((c) => c.deleted === 0 && c.inserted === 0 && c.updated === 0)).toBe(true);

    sandbox.rules.appScope = { departments: [1], users: [] };
    const restored = await syncWith(store, sandbox, { kinds: ['app'] });
    expect(restored.tally.entities.customers.updated).toBe(summary.customers - expected.customers);
    expect(restored.tally.entities.customers.inserted).toBe(0);
    expect(await liveCount(store.db, 'customers', corpId)).toBe(summary.customers);
    expect(await liveCount(store.db, 'customer_groups', corpId)).toBe(summary.groups);
  });

  it('marks deleted a tag group and a contact way removed through the API, and rewrites only a changed relation', async () => {
    sandbox = await startTestSandbox();
    const store = getStore();
    const { corpId, company } = sandbox;
    await syncWith(store, sandbox, { scopes: ['customers'] });

    const writer = createWecomClient({ corpId, apiBase: sandbox.url, secrets: { customer: sandbox.secrets.customer }, retryPolicy: 'test' });
    try {
      const group = company.corpTags()[0]!;
      await writer.call('externalcontact.delCorpTag', { group_id: [group.group_id] });
      const way = company.contactWays().find((w) => !w.is_temp)!;
      await writer.call('externalcontact.delContactWay', { config_id: way.config_id });
      const customer = company.customer(0);
      const follower = company.employee(company.followersOf(0)[0]!);
      await writer.call('externalcontact.remark', { userid: follower.userid, external_userid: customer.external_userid, remark: '改过的备注' });

      const after = await syncWith(store, sandbox, { scopes: ['customers'] });
      expect(after.tally.entities.corp_tag_groups.deleted).toBe(1);
      expect(after.tally.entities.contact_ways.deleted).toBe(1);
      // The removed group's tags vanish from relations too: exactly those relations are rewritten.
      const tagged = new Set<string>();
      for (let c = 0; c < company.counts.customers; c++) {
        for (const e of company.followersOf(c)) {
          if (company.follow(c, e)!.tagIds.some((id) => group.tag.some((t) => t.id === id))) tagged.add(`${c}:${e}`);
        }
      }
      tagged.add(`0:${follower.index}`);
      expect(after.tally.entities.follow_relations.updated).toBe(tagged.size);
      expect(after.tally.entities.customers.updated).toBe(0);
      const row = await store.db.selectFrom('corp_tag_groups').select(['deleted_at']).where('group_id', '=', group.group_id).executeTakeFirstOrThrow();
      expect(row.deleted_at).not.toBeNull();
      const detail = await customersRepository.getCustomer(store.db, corpId, customer.external_userid);
      expect(detail!.follows.find((f) => f.userid === follower.userid)!.remark).toBe('改过的备注');
    } finally {
      await writer.close();
    }
  });
});
