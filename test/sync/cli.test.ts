import { afterEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { displayWidth } from '../../src/cli/output.ts';
import { mapLimit } from '../../src/util/parallel.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { createTestDatabase, describeStores } from '../helpers/databases.ts';
import { startTestSandbox, writeConfig } from './helpers.ts';
import { HOSTILE_NAMES } from '../../src/sandbox/hostile.ts';

/** The CLI faces of the sync: `sync --json`, then the list commands with filters and formats. */

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const json = <T>(result: CliResult): T => {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
};

/** CSV data rows (the BOM and the header line dropped). */
const csvRows = (result: CliResult): string[] => {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.startsWith('\uFEFF')).toBe(true);
  return result.stdout.slice(1).split('\r\n').filter(Boolean).slice(1);
};

describeStores('sync and list commands', (_getStore, dialect) => {
  it('syncs, then lists and shows records with filters, as a table, JSON or CSV', async () => {
    sandbox = await startTestSandbox();
    const { company } = sandbox;
    const database = await createTestDatabase(dialect);
    try {
      const config = writeConfig(database.dataDir, sandbox, database);
      const cli = (...args: string[]) => runCli([...args, '--config', config, '--lang', 'en']);

      type CorpSync = { corpId: string; run: { status: string }; entities: Record<string, { inserted: number }>; requests: { total: number } };
      const synced = json<{ ok: boolean; corps: CorpSync[] }>(await cli('sync', '--json'));
      expect(synced.ok).toBe(true);
      const summary = synced.corps.find((c) => c.corpId === sandbox!.corpId)!;
      expect(summary.entities.customers!.inserted).toBe(company.counts.customers);
      expect(summary.requests.total).toBeGreaterThan(0);

      const department = company.departments().find((d) => d.parentid === 1)!;
      const inSubtree = new Set([department.id]);
      for (const d of company.departments()) if (inSubtree.has(d.parentid)) inSubtree.add(d.id);
      const tag = company.memberTags()[0]!;
      const seller = company.employee(company.followersOf(0)[0]!);
      const customer = company.customer(0);
      const corpTag = company.corpTags()[0]!.tag[0]!;
      const group = company.group(0);

      const [employees, tagged, departments, followed, byTag, limited, detail, table, groups, groupDetail, groupsCsv, missing] = await mapLimit([
        ['employees', '--json', '--department', String(department.id)],
        ['employees', '--csv', '--tag', tag.tagname],
        ['departments', '--json'],
        ['customers', '--json', '--follow-user', seller.userid],
        ['customers', '--json', '--tag', corpTag.name],
        ['customers', '--json', '--limit', '7'],
        ['customers', customer.external_userid, '--json'],
        ['customers', customer.external_userid],
        ['groups', '--json', '--follow-user', group.ownerUserid],
        ['groups', group.chat_id, '--json'],
        ['groups', '--csv'],
        ['customers', 'wmNoSuchCustomer'],
      ], 4, (args) => cli(...args));

      const expectedMembers = [...Array(company.counts.employees).keys()].map((e) => company.employee(e))
        .filter((e) => e.department.some((d) => inSubtree.has(d))).map((e) => e.userid).sort();
      const listed = json<{ ok: boolean; employees: Array<{ corpId: string; userid: string }>; truncated: boolean }>(employees);
      expect(listed.ok).toBe(true);
      expect(listed.truncated).toBe(false);
      expect(listed.employees.map((e) => e.userid).sort()).toEqual(expectedMembers);
      expect(new Set(listed.employees.map((e) => e.corpId))).toEqual(new Set([sandbox.corpId]));
      expect(csvRows(tagged).map((line) => line.split(',')[0]).sort()).toEqual([...tag.userids].sort());
      expect(json<{ departments: unknown[] }>(departments).departments.length).toBe(company.counts.departments);
      expect(json<{ customers: Array<{ externalUserid: string }> }>(followed).customers.map((c) => c.externalUserid).sort())
        .toEqual(company.customersOf(seller.index).map((c) => company.customer(c).external_userid).sort());

      const withTag = new Set<string>();
      for (let c = 0; c < company.counts.customers; c++) {
        if (company.followersOf(c).some((e) => company.follow(c, e)!.tagIds.includes(corpTag.id))) withTag.add(company.customer(c).external_userid);
      }
      expect(json<{ customers: Array<{ externalUserid: string }> }>(byTag).customers.map((c) => c.externalUserid).sort()).toEqual([...withTag].sort());
      const cut = json<{ customers: unknown[]; truncated: boolean }>(limited);
      expect(cut.customers.length).toBe(7);
      expect(cut.truncated).toBe(true);

      const shown = json<{ customer: { name: string }; follows: Array<{ userid: string; remark: string; tags: Array<{ tagId: string; name: string }> }> }>(detail);
      expect(shown.customer.name).toBe(customer.name);
      const followers = company.followersOf(0).map((e) => company.follow(0, e)!);
      expect(shown.follows.map((f) => f.userid).sort()).toEqual(followers.map((f) => f.userid).sort());
      for (const f of followers) {
        const got = shown.follows.find((x) => x.userid === f.userid)!;
        expect(got.remark).toBe(f.remark);
        expect(got.tags.map((t) => t.tagId).sort()).toEqual([...f.tagIds].sort());
        for (const t of got.tags) expect(t.name).toBe(company.corpTags().flatMap((g) => g.tag).find((x) => x.id === t.tagId)!.name);
      }
      expect(table.code).toBe(0);
      expect(table.stdout).toContain(customer.name);
      expect(table.stdout).toContain(company.employee(company.followersOf(0)[0]!).name);

      expect(json<{ groups: Array<{ chatId: string }> }>(groups).groups.map((g) => g.chatId)).toContain(group.chat_id);
      const members = json<{ group: { name: string }; members: Array<{ memberId: string }> }>(groupDetail);
      expect(members.group.name).toBe(group.name);
      expect(members.members.map((m) => m.memberId).sort()).toEqual([...group.memberUserids, ...group.memberCustomerIds].sort());
      expect(csvRows(groupsCsv).length).toBe(company.counts.groups);

      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('No customer wmNoSuchCustomer');

      // Tables: headers and coded values in the user's language, departments named, a cut announced, 120 columns.
      const [zhTable, zhTree, zhSync] = await Promise.all([
        runCli(['customers', '--limit', '3', '--config', config]),
        runCli(['employees', '--config', config, '--lang', 'zh']),
        runCli(['sync', 'directory', '--config', config]),
      ]);
      // The sync summary names what it synced in Chinese too (a resync: everything unchanged).
      expect(zhSync.code, zhSync.stderr).toBe(0);
      for (const row of ['部门', '成员', '成员标签']) expect(zhSync.stdout).toMatch(new RegExp(`│ ${row} +│ 0 +│ 0 +│ [1-9]`));
      expect(zhSync.stdout).not.toMatch(/departments|employees|member_tags/);
      expect(zhTable.code, zhTable.stderr).toBe(0);
      expect(zhTable.stdout).toMatch(/客户 ID[^\n]*名称[^\n]*类型/);
      expect(zhTable.stdout).toMatch(/微信|企业微信/);
      expect(zhTable.stderr).toContain('只显示了前 3 条');
      expect(zhTree.stdout).toContain(company.departments().find((d) => d.id === company.employee(0).mainDepartment)!.name);
      for (const out of [zhTable.stdout, zhTree.stdout, table.stdout]) {
        for (const line of out.split('\n').filter((l) => /^[┌│├└]/.test(l))) expect(displayWidth(line), line).toBeLessThanOrEqual(120);
      }

      // The sandbox plants hostile customer names (src/sandbox/hostile.ts): the whole list prints
      // without one terminal escape or bidi override, and no CSV cell starts a formula.
      const hostile = Array.from({ length: company.counts.customers }, (_, i) => company.customer(i).name)
        .filter((name) => (HOSTILE_NAMES as readonly string[]).includes(name));
      expect(hostile.length).toBeGreaterThan(0);
      const [all, allCsv] = await Promise.all([cli('customers', '--limit', '100000'), cli('customers', '--limit', '100000', '--csv')]);
      expect(all.code, all.stderr).toBe(0);
      expect(all.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(all.stdout).toContain('\\x1b[31m');
      expect(csvRows(allCsv).filter((line) => /^[^,]*,"?=/.test(line))).toEqual([]);
    } finally {
      await database.drop();
    }
  }, 240_000);
});
