import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';
import { sandboxConfig } from '../helpers/sandbox-config.ts';

/** `wecom-archive call` as a user runs it: the real CLI in a child process, against the sandbox. */
let sandbox: Sandbox;
let file: string;
let env: Record<string, string>;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 31, size: 'small' });
  ({ file, env } = await sandboxConfig(sandbox));
});
afterAll(() => sandbox.close());

const call = (...args: string[]) => runCli(['--config', file, ...args], { env });
const noSecrets = (text: string) => {
  for (const secret of Object.values(sandbox.secrets)) expect(text).not.toContain(secret);
};

describe('wecom-archive call', () => {
  it('calls an endpoint by catalogue name with --param and prints the JSON answer', async () => {
    const member = sandbox.company.employee(0);
    const result = await call('call', 'user.get', '--param', `userid=${member.userid}`);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ errcode: 0, userid: member.userid, name: member.name });
  });

  it('accepts a path, JSON values with key:=, a --body object, and picks the right secret (contacts for user/list_id)', async () => {
    const result = await call('call', 'user/list_id', '--body', '{"cursor":""}', '--param', 'limit:=2');
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.dept_user).toHaveLength(2);
    expect(answer.next_cursor).toBeTruthy();
  });

  it('gettoken fills corp and secret from the config and prints the token redacted', async () => {
    const result = await call('call', 'gettoken', '--credential', 'archive');
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.access_token).toMatch(/…\(\d+\)$/);
    noSecrets(result.stdout + result.stderr);
  });

  it('a forced wrong credential shows the WeCom error with its fix, exit code 2, no secret printed', async () => {
    const result = await call('--lang', 'en', 'call', 'msgaudit.getPermitUserList', '--credential', 'app');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('errcode 48002');
    expect(result.stderr).toContain('CHAT_ARCHIVE_SECRET');
    noSecrets(result.stdout + result.stderr);
  });

  it('--json prints errors as JSON too', async () => {
    const result = await call('--json', '--lang', 'en', 'call', 'user.get', '--param', 'userid=nobody-here');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'wecom_api_error' } });
  });

  it('an unknown endpoint or malformed input is a readable error before any call', async () => {
    const before = sandbox.stats().calls;
    const unknown = await call('--lang', 'en', 'call', 'user.getx');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No endpoint user.getx');
    const badBody = await call('--lang', 'en', 'call', 'user.get', '--body', '[1,2]');
    expect(badBody.stderr).toContain('--body must be a JSON object');
    const badParam = await call('--lang', 'en', 'call', 'user.get', '--param', 'userid');
    expect(badParam.stderr).toContain('key=value');
    expect(sandbox.stats().calls).toEqual(before);
  });
});
