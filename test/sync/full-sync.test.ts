import { afterEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import type { EntityName } from '../../src/store/entities.ts';
import { syncStateRepository } from '../../src/store/sync-state.repository.ts';
import { SENSITIVE_USER_FIELDS } from '../../src/sync/map-directory.ts';
import { WecomMissingCredentialError } from '../../src/wecom/errors.ts';
import { describeStores } from '../helpers/databases.ts';
import { canonicalDump, liveCount, startTestSandbox, SUMMARY_OF, syncWith } from './helpers.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describeStores('full sync', (getStore) => {
  it('stores exactly what the sandbox holds, records the run, and a resync without changes writes nothing', async () => {
    sandbox = await startTestSandbox();
    const store = getStore();
    const summary = sandbox.summary();

    const first = await syncWith(store, sandbox);
    expect(first.status).toBe('succeeded');
    for (const [entity, key] of Object.entries(SUMMARY_OF)) {
      expect(await liveCount(store.db, entity as EntityName, sandbox.corpId), entity).toBe(summary[key!]);
      expect(first.tally.entities[entity as EntityName].inserted, entity).toBe(summary[key!]);
    }
    expect(first.tally.entities.member_tags.inserted).toBeGreaterThan(0);
    expect(first.tally.entities.corp_tag_groups.inserted).toBeGreaterThan(0);
    expect(first.tally.entities.contact_ways.inserted).toBe(summary.contact_ways);

    const before = await canonicalDump(store.db, sandbox.corpId);
    const updatedAt = await store.db.selectFrom('follow_relations').select((eb) => eb.fn.max('updated_at').as('t')).executeTakeFirstOrThrow();
    const second = await syncWith(store, sandbox);
    expect(second.status).toBe('succeeded');
    for (const [entity, counts] of Object.entries(second.tally.entities)) {
      expect({ entity, inserted: counts.inserted, updated: counts.updated, deleted: counts.deleted })
        .toEqual({ entity, inserted: 0, updated: 0, deleted: 0 });
      expect(counts.unchanged, entity).toBe(first.tally.entities[entity as EntityName].inserted);
    }
    expect(await canonicalDump(store.db, sandbox.corpId)).toEqual(before);
    expect(await store.db.selectFrom('follow_relations').select((eb) => eb.fn.max('updated_at').as('t')).executeTakeFirstOrThrow()).toEqual(updatedAt);

    // Each run in the history, with its counts; no checkpoint left behind once a pass is complete.
    const runs = await syncStateRepository.listRuns(store.db, sandbox.corpId);
    expect(runs.map((r) => [r.id, r.status])).toEqual([[second.runId, 'succeeded'], [first.runId, 'succeeded']]);
    expect(runs[1]!.counts['customers.inserted']).toBe(summary.customers);
    expect(runs[1]!.counts.requests).toBeGreaterThan(0);
    expect(runs[0]!.counts['customers.unchanged']).toBe(summary.customers);
    expect(runs[0]!.finishedAt).toBeGreaterThanOrEqual(runs[0]!.startedAt);
    expect(await syncStateRepository.listCursors(store.db, sandbox.corpId)).toEqual([]);
  });

  it('records the member fields the app may not see, and fills them once it may', async () => {
    sandbox = await startTestSandbox();
    const store = getStore();
    await syncWith(store, sandbox, { scopes: ['directory'] });
    const hidden = await store.db.selectFrom('employees').select(['userid', 'mobile', 'email', 'avatar', 'gender', 'hidden_fields', 'name']).execute();
    expect(hidden.length).toBe(sandbox.summary().employees);
    for (const e of hidden) {
      expect(JSON.parse(e.hidden_fields!)).toEqual([...SENSITIVE_USER_FIELDS].sort());
      expect([e.mobile, e.email, e.avatar, e.gender]).toEqual([null, null, null, null]);
      expect(e.name).toBe(sandbox.company.employeeByUserid(e.userid)!.name);
    }

    // An app created before 2022-06-20 sees them: the same members, now complete.
    sandbox.rules.appSensitiveFields = true;
    const again = await syncWith(store, sandbox, { scopes: ['directory'] });
    expect(again.tally.entities.employees.updated).toBe(hidden.length);
    const shown = await store.db.selectFrom('employees').select(['userid', 'mobile', 'hidden_fields']).execute();
    for (const e of shown) {
      expect(e.hidden_fields).toBeNull();
      expect(e.mobile).toBe(sandbox.company.employeeByUserid(e.userid)!.mobile);
    }
  });

  it('with only the contact-sync secret, syncs the directory as ids and says what it could not see', async () => {
    sandbox = await startTestSandbox(); // contact sync from a new IP: 48009 on detail reads
    const store = getStore();
    const result = await syncWith(store, sandbox, { kinds: ['contacts'] });
    // Customers and groups need the customer-contact secret or the app: those streams fail, plainly.
    expect(result.status).toBe('partial');
    expect(result.failures.map((f) => f.scope).sort()).toEqual(['customers', 'groups']);
    for (const failure of result.failures) expect(failure.error).toBeInstanceOf(WecomMissingCredentialError);
    expect(result.tally.skipped).toEqual(['member_tags']);

    const summary = sandbox.summary();
    const departments = await store.db.selectFrom('departments').select(['department_id', 'name', 'parent_id', 'hidden_fields']).execute();
    expect(departments.length).toBe(summary.departments);
    for (const d of departments) {
      expect(d.name).toBeNull();
      expect(d.parent_id).toBe(sandbox.company.department(d.department_id)!.parentid);
      expect(JSON.parse(d.hidden_fields!)).toEqual(expect.arrayContaining(['name', 'name_en']));
    }
    const employees = await store.db.selectFrom('employees').select(['userid', 'name', 'hidden_fields']).execute();
    expect(employees.length).toBe(summary.employees);
    for (const e of employees) {
      expect(e.name).toBeNull();
      expect(JSON.parse(e.hidden_fields!)).toEqual(expect.arrayContaining(['name', 'mobile', 'position', 'status']));
    }
    const memberships = await store.db.selectFrom('employee_departments').select(['userid', 'department_id']).execute();
    const expected = employees.flatMap((e) => sandbox!.company.employeeByUserid(e.userid)!.department.map((d) => `${e.userid}|${d}`));
    expect(memberships.map((m) => `${m.userid}|${m.department_id}`).sort()).toEqual(expected.sort());
  });
});
