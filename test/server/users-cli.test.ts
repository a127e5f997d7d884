import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';

/** `users …`, `tokens create --role`, `audit` and `audit verify` as an operator runs them, on both databases. */

const CORP = 'wwuserstest0000001';

function configFile(database: TestDatabase): string {
  const folder = join(database.dataDir, 'config');
  mkdirSync(folder);
  const file = join(folder, 'wecom.env');
  writeFileSync(file, [`CORP_ID=${CORP}`, `DATA_DIR=${database.dataDir}`, ...(database.databaseUrl ? [`DATABASE_URL=${database.databaseUrl}`] : []), ''].join('\n'));
  chmodSync(file, 0o600);
  return file;
}

describeDatabases('users and audit commands', (getDatabase) => {
  it('adds, lists, changes and disables users; tokens take a role; every change is an audit row in an intact chain', async () => {
    const config = configFile(getDatabase());
    const cli = (args: string[], input?: string) => runCli([...args, '--config', config], { input });
    const json = async (args: string[], input?: string) => {
      const res = await cli([...args, '--json'], input);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
      return JSON.parse(res.stdout);
    };

    const noStdin = await cli(['users', 'add', 'admin', '--role', 'admin']);
    expect(noStdin.code).toBe(2);
    expect(noStdin.stderr).toContain('--password-stdin');
    expect(await json(['users', 'add', 'admin', '--role', 'admin', '--password-stdin'], 'first password 1\n')).toMatchObject({ user: { name: 'admin', role: 'admin', corps: [], departments: [] } });
    expect(await json(['users', 'add', 'lin', '--role', 'manager', '--department', '2', '--department', '5', '--password-stdin'], 'first password 2\n'))
      .toMatchObject({ user: { name: 'lin', role: 'manager', departments: [2, 5] } });
    expect(await json(['users', 'role', 'lin', '--role', 'auditor', '--corp', CORP])).toMatchObject({ user: { role: 'auditor', corps: [CORP], departments: [] } });
    await json(['users', 'passwd', 'lin', '--password-stdin'], 'second password 2\n');
    expect(await json(['users', 'disable', 'lin'])).toMatchObject({ user: { disabledAt: expect.any(Number) } });
    const list = await json(['users', 'list']);
    expect(list.users.map((u: { name: string }) => u.name)).toEqual(['admin', 'lin']);
    expect(JSON.stringify(list)).not.toMatch(/argon2|password/);

    expect(await json(['tokens', 'create', '--name', 'crm', '--role', 'manager', '--department', '2'])).toMatchObject({ role: 'manager', departments: [2] });

    const audit = await json(['audit', '--action', 'user.*']);
    expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(['user.disable', 'user.passwd', 'user.role', 'user.add', 'user.add']);
    expect(audit.rows[0]).toMatchObject({ actor: 'operator', target: 'lin', result: 'ok' });
    const verify = await json(['audit', 'verify']);
    expect(verify).toMatchObject({ ok: true, rows: 6, broken: null });
  }, 120_000);
});
