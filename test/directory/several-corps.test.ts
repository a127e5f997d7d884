import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/output.ts';
import { openStore } from '../../src/store/open.ts';
import { upsertRecords } from '../../src/store/records.ts';
import { seedCompany } from '../../src/store/testing/seed.ts';
import { mapLimit } from '../../src/util/parallel.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';

/**
 * The directory commands over a deployment of two corps sharing one store: lists cover both with
 * corpId, `--corp` narrows, an unknown `--corp` is the one config error, and a record shown by id is
 * found in whichever corp has it.
 */

const CORP_A = 'wwaaaaaaaaaaaaaaaa';
const CORP_B = 'wwbbbbbbbbbbbbbbbb';

/** Both corps get the seed company; B also has a customer and a group of its own. */
async function seedTwoCorps(database: TestDatabase): Promise<void> {
  const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
  try {
    await seedCompany(store.db, CORP_A);
    await seedCompany(store.db, CORP_B);
    await upsertRecords(store.db, 'customers', CORP_B, [
      { external_userid: 'wmOnlyInB', name: '周女士', corp_name: null, type: 1, raw: { external_userid: 'wmOnlyInB' } },
    ], 'seed-b', 1);
    await upsertRecords(store.db, 'customer_groups', CORP_B, [
      { chat_id: 'wrOnlyInB', name: '乙公司客户群', owner: 'wangwu', create_time: 1, status: 0, raw: {}, members: [], admins: [] },
    ], 'seed-b', 1);
  } finally {
    await store.close();
  }
}

/** A folder with one *.env file per corp, sharing DATA_DIR (and DATABASE_URL on PostgreSQL). */
function writeConfigFolder(database: TestDatabase): string {
  const folder = join(database.dataDir, 'config');
  mkdirSync(folder);
  for (const [file, corpId] of [['a.env', CORP_A], ['b.env', CORP_B]] as const) {
    const path = join(folder, file);
    writeFileSync(path, [`CORP_ID=${corpId}`, `DATA_DIR=${database.dataDir}`,
      ...(database.databaseUrl ? [`DATABASE_URL=${database.databaseUrl}`] : []), ''].join('\n'));
    chmodSync(path, 0o600);
  }
  return folder;
}

const json = <T>(result: CliResult): T => {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
};

const corpsOf = (rows: Array<{ corpId: string }>) => [...new Set(rows.map((r) => r.corpId))];

describeDatabases('directory commands over several corps', (getDatabase) => {
  it('list both corps with corpId, narrow with --corp, and find a record in the corp that has it', async () => {
    const database = getDatabase();
    await seedTwoCorps(database);
    const folder = writeConfigFolder(database);
    const cli = (...args: string[]) => runCli(['--config', folder, '--lang', 'en', ...args]);

    const [employees, narrowed, departments, customers, tagged, groups, onlyB, ambiguous, groupB, unknown, limited, table, oneCorpTable] = await mapLimit([
      ['employees', '--json'],
      ['employees', '--json', '--corp', CORP_B],
      ['departments', '--json', '--department', '2'],
      ['customers', '--json'],
      ['customers', '--json', '--tag', '普通客户'],
      ['groups', '--json', '--follow-user', 'wangwu'],
      ['customers', 'wmOnlyInB', '--json'],
      ['customers', 'wmCust1'],
      ['groups', 'wrOnlyInB', '--json'],
      ['employees', '--json', '--corp', 'wwzzzzzzzzzzzzzzzz'],
      ['customers', '--json', '--limit', '4'],
      ['customers', '--lang', 'zh'],
      ['customers', '--corp', CORP_A],
    ], 4, (args) => cli(...args));

    const all = json<{ ok: boolean; employees: Array<{ corpId: string; userid: string }>; truncated: boolean }>(employees);
    expect(all).toMatchObject({ ok: true, truncated: false });
    expect(all.employees.map((e) => `${e.corpId}/${e.userid}`)).toEqual([CORP_A, CORP_B].flatMap((corp) =>
      ['lisi', 'sunba', 'wangwu', 'zhangsan', 'zhaoliu'].map((userid) => `${corp}/${userid}`)));
    expect(corpsOf(json<{ employees: Array<{ corpId: string }> }>(narrowed).employees)).toEqual([CORP_B]);

    // Each corp's subtree under its department 2, with its depth and the path above it.
    const tree = json<{ departments: Array<{ corpId: string; id: number; depth: number; path: string[] }> }>(departments).departments;
    expect(tree.map((d) => [d.corpId, d.id, d.depth, d.path.join('/')])).toEqual([CORP_A, CORP_B].flatMap((corp) => [
      [corp, 2, 1, '总部'], [corp, 4, 2, '总部/销售部'], [corp, 3, 2, '总部/销售部'],
    ]));

    const listed = json<{ customers: Array<{ corpId: string; externalUserid: string }> }>(customers).customers;
    expect(listed.filter((c) => c.corpId === CORP_B).map((c) => c.externalUserid)).toEqual(['wmCust1', 'wmCust2', 'wmOnlyInB', 'woCust3']);
    expect(corpsOf(listed)).toEqual([CORP_A, CORP_B]);
    // A tag name is looked up in each corp.
    expect(json<{ customers: Array<{ corpId: string; externalUserid: string }> }>(tagged).customers.map((c) => `${c.corpId}/${c.externalUserid}`))
      .toEqual([`${CORP_A}/wmCust2`, `${CORP_B}/wmCust2`]);
    expect(json<{ groups: Array<{ corpId: string; chatId: string }> }>(groups).groups.map((g) => `${g.corpId}/${g.chatId}`))
      .toEqual([`${CORP_A}/wrGroup2`, `${CORP_B}/wrGroup2`, `${CORP_B}/wrOnlyInB`]);

    expect(json<{ ok: boolean; customer: { corpId: string; name: string } }>(onlyB)).toMatchObject({ ok: true, customer: { corpId: CORP_B, name: '周女士' } });
    expect(json<{ group: { corpId: string; name: string } }>(groupB).group).toMatchObject({ corpId: CORP_B, name: '乙公司客户群' });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(`Customer wmCust1 is in several corps: ${CORP_A}, ${CORP_B}`);

    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ ok: false, error: { code: 'config_unknown_corp' } });

    const cut = json<{ customers: Array<{ corpId: string }>; truncated: boolean }>(limited);
    expect(cut.truncated).toBe(true);
    expect(cut.customers.map((c) => c.corpId)).toEqual([CORP_A, CORP_A, CORP_A, CORP_B]);

    // The corp column only when both corps are in scope; Chinese headers under zh; 120 columns.
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/企业[^\n]*客户 ID/);
    expect(table.stdout).toContain(CORP_B);
    for (const line of table.stdout.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(120);
    expect(oneCorpTable.code, oneCorpTable.stderr).toBe(0);
    expect(oneCorpTable.stdout).not.toContain(CORP_A);
    expect(oneCorpTable.stdout).toMatch(/external_userid[^\n]*name[^\n]*type/);
  }, 120_000);

  it('say that the data folder holds nothing yet, rather than print an empty list', async () => {
    const database = getDatabase();
    const folder = writeConfigFolder(database);
    const result = await runCli(['--config', folder, '--json', 'customers']);
    // PostgreSQL always has a database to read: an empty one answers with an empty list.
    if (database.databaseUrl) {
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ ok: true, customers: [], truncated: false });
    } else {
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'store_empty' } });
    }
  }, 60_000);
});
