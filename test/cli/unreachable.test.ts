import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';

/** A port nothing listens on: bind, read the number, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The sandbox's own config (as `npm run demo` leaves it), for a sandbox that has since stopped. */
async function stoppedSandboxConfig(): Promise<{ file: string; port: string; seed: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wa-stopped-'));
  const sandbox = await startSandbox({ seed: 23, size: 'small', port: 0 });
  const file = join(dir, 'wecom.env');
  await sandbox.writeConfig(file);
  const port = new URL(sandbox.url).port;
  await sandbox.close();
  return { file, port, seed: 23 };
}

describe('WeCom unreachable', () => {
  it('call and doctor against a stopped sandbox say so and give the command that starts it again', async () => {
    const { file, port, seed } = await stoppedSandboxConfig();
    const command = `wecom-archive sandbox --seed ${seed} --port ${port}`;

    const call = await runCli(['call', 'department/list', '--config', file]);
    expect(call.code).toBe(2);
    expect(call.stderr).toContain(`沙箱未运行（http://127.0.0.1:${port}/cgi-bin/`);
    expect(call.stderr).toContain(`运行 \`${command}\` 重新启动`);
    expect(call.stderr).not.toMatch(/内部错误|Error:|at /);

    const json = await runCli(['call', 'department/list', '--config', file, '--json', '--lang', 'en']);
    expect(json.code).toBe(2);
    const error = (JSON.parse(json.stdout) as { ok: false; error: { code: string; what: string; fix: string } }).error;
    expect(error).toMatchObject({ code: 'wecom_refused', what: expect.stringContaining('The sandbox is not running') });
    expect(error.fix).toContain(command);

    const doctor = await runCli(['doctor', '--config', file]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('❌ 网络：企业微信 API: 沙箱未运行');
    expect(doctor.stdout).toContain(`处理: 运行 \`${command}\` 重新启动`);
  }, 120_000);

  it('names the URL, and a local API base that is not a sandbox config gets the general advice', async () => {
    const port = await closedPort();
    const dir = mkdtempSync(join(tmpdir(), 'wa-local-'));
    const file = join(dir, 'wecom.env');
    // Not written by the sandbox (no marker) and not a corp id of its shape: only the URL is known.
    writeFileSync(file, `CORP_ID=wwZZZZZZZZZZZZZZZZ\nAPP_SECRET=${'a'.repeat(43)}\nWECOM_API_BASE=http://127.0.0.1:${port}\n`, { mode: 0o600 });
    const run = await runCli(['call', 'department/list', '--config', file, '--lang', 'en']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Cannot connect to the WeCom API http://127.0.0.1:${port}/cgi-bin/gettoken (connection refused)`);
    expect(run.stderr).toContain(`If it is the local sandbox, it is not running: start it with wecom-archive sandbox --port ${port}`);
    expect(run.stderr).not.toContain('a'.repeat(43));
  });
});
