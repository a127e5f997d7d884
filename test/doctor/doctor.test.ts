import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.ts';
import { reportText, type CheckResult } from '../../src/doctor/report.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { archiveExtension } from '../../src/sandbox/archive/index.ts';
import { DEFAULT_LIMITS, DEFAULT_RULES } from '../../src/sandbox/options.ts';
import { runCli } from '../helpers/cli.ts';
import { sandboxConfig } from '../helpers/sandbox-config.ts';

let sandbox: Sandbox;
// With its archive, so the config it writes has keys and FINANCE_SDK_PATH, as a real set-up does.
beforeAll(async () => { sandbox = await startSandbox({ seed: 11, size: 'small', extensions: [archiveExtension()] }); });
afterAll(async () => { await sandbox.close(); });
beforeEach(() => {
  Object.assign(sandbox.rules, structuredClone(DEFAULT_RULES));
  Object.assign(sandbox.limits, structuredClone(DEFAULT_LIMITS));
  sandbox.setFaults({});
});

async function doctor(overrides: Record<string, string> = {}, without: string[] = [], target = sandbox) {
  const { config, env } = await sandboxConfig(target, overrides, without);
  const report = await runDoctor(config, { env, clientOptions: { retryPolicy: 'test' } });
  const byId = (id: string) => report.checks.find((c) => c.id === id) as CheckResult;
  return { report, byId, text: (lang: 'zh' | 'en') => reportText(report, lang) };
}

/** A port nothing listens on: bind, read the number, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('doctor against the sandbox', () => {
  it('passes a complete set-up and says which set-up it is', async () => {
    const { report, byId, text } = await doctor();
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.ok).toBe(true);
    for (const id of ['app.token', 'app.department_list', 'app.visible_scope', 'app.user_list', 'app.user_get',
      'contacts.token', 'contacts.user_list_id', 'customer.token', 'customer.follow_users', 'customer.one_customer',
      'archive.token', 'archive.permit_users']) {
      expect(byId(id)?.status, id).toBe('pass');
    }
    // The contact-sync secret's 48009 on details is expected when APP_SECRET reads the directory.
    expect(byId('contacts.user_get')).toMatchObject({ status: 'pass', errcode: 48009 });
    expect(text('en')).toContain('set-up B');
    for (const secret of Object.values(sandbox.secrets)) expect(text('zh')).not.toContain(secret);
  });

  it('48009: recognises the contact-sync secret used as APP_SECRET and says to create a self-built app', async () => {
    const { report, byId, text } = await doctor({ APP_SECRET: sandbox.secrets.contacts });
    expect(report.ok).toBe(false);
    expect(byId('app.department_list')).toMatchObject({ status: 'fail', errcode: 48009 });
    expect(text('zh')).toContain('通讯录同步助手');
    expect(text('en')).toMatch(/Create an app under Admin console → App Management → Self-built/);
    expect(report.advice.map((a) => a.en).join()).toContain('Recommended set-up A');
  });

  it('48002: an app secret as CHAT_ARCHIVE_SECRET, and an app not allowed for customers', async () => {
    sandbox.rules.appCustomerAllowed = false;
    const { byId, text } = await doctor({ CHAT_ARCHIVE_SECRET: sandbox.secrets.app }, ['CUSTOMER_SECRET']);
    expect(byId('archive.permit_users')).toMatchObject({ status: 'fail', errcode: 48002 });
    expect(byId('customer.follow_users')).toMatchObject({ status: 'fail', errcode: 48002, credential: 'app' });
    expect(text('en')).toContain('Copy the Secret from Management Tools → Chat Archive into CHAT_ARCHIVE_SECRET');
    expect(text('en')).toContain('Apps allowed to call');
  });

  it('60011: a visible scope without the member reports the scope and how to widen it', async () => {
    sandbox.rules.appScope = { departments: [], users: [sandbox.company.employee(0).userid] };
    const { byId, text } = await doctor();
    expect(byId('app.visible_scope').status).toBe('warn');
    expect(byId('app.user_list')).toMatchObject({ status: 'fail', errcode: 60011 });
    expect(text('zh')).toContain('可见范围');
  });

  it('60020: names the exact IP to add to the trusted IPs', async () => {
    sandbox.rules.trustedIps = ['203.0.113.0/24'];
    const { byId, text } = await doctor();
    expect(byId('app.token')).toMatchObject({ status: 'fail', errcode: 60020 });
    expect(byId('contacts.token')).toMatchObject({ status: 'fail', errcode: 60020 });
    expect(text('en')).toMatch(/127\.0\.0\.1/);
    // The archive and customer secrets are not subject to the app's trusted IPs.
    expect(byId('archive.token').status).toBe('pass');
  });

  it('40001: a wrong secret is named by its config key, and 40013 a wrong corp id', async () => {
    const wrong = 'x'.repeat(43);
    const bad = await doctor({ CUSTOMER_SECRET: wrong });
    expect(bad.byId('customer.token')).toMatchObject({ status: 'fail', errcode: 40001 });
    expect(bad.text('en')).toContain('CUSTOMER_SECRET');
    expect(bad.text('en')).not.toContain(wrong);

    const corp = await doctor({ CORP_ID: 'ww0000000000000000' });
    expect(corp.byId('app.token')).toMatchObject({ status: 'fail', errcode: 40013 });
    expect(corp.text('en')).toContain('CORP_ID');
  });

  it('asks WeCom once for a wrong secret, and never again through another check', async () => {
    const before = sandbox.stats().errcodes['token.get']?.['40001'] ?? 0;
    const { byId, report } = await doctor({ APP_SECRET: 'y'.repeat(43) }, ['CUSTOMER_SECRET']);
    expect(byId('app.token')).toMatchObject({ status: 'fail', errcode: 40001 });
    expect(byId('customer.token').status).toBe('skip');
    expect((sandbox.stats().errcodes['token.get']?.['40001'] ?? 0) - before).toBe(1);
    expect(report.checks.filter((c) => c.errcode === 40001)).toHaveLength(1);
  });

  it('the contact-sync secret in both places is not called a working directory', async () => {
    const { byId } = await doctor({ APP_SECRET: sandbox.secrets.contacts });
    expect(byId('app.department_list').errcode).toBe(48009);
    expect(byId('contacts.user_get')).toMatchObject({ status: 'warn', errcode: 48009 });
  });

  it('a config error names its key, and a bad API base stops before any call', async () => {
    const { byId, report, text } = await doctor({ APP_SECRET: 'abc', WECOM_API_BASE: 'not a url' });
    expect(byId('config.APP_SECRET').status).toBe('fail');
    expect(text('en')).toContain('APP_SECRET: A secret is 43 letters');
    expect(report.checks.some((c) => c.id.startsWith('network.'))).toBe(false);
  });

  it('45009: reports the rate limit at once instead of waiting out the window', async () => {
    // Its own sandbox: an exceeded window stays banned until it ends, as on WeCom.
    const limited = await startSandbox({ seed: 12, limits: { perEndpoint: { 'department.list': { perMinute: 1 } } } });
    try {
      const token = await (await fetch(`${limited.url}/cgi-bin/gettoken?corpid=${limited.corpId}&corpsecret=${limited.secrets.app}`)).json() as { access_token: string };
      await fetch(`${limited.url}/cgi-bin/department/list?access_token=${token.access_token}`);
      const { byId } = await doctor({}, [], limited);
      expect(byId('app.department_list')).toMatchObject({ status: 'fail', errcode: 45009 });
      expect(byId('archive.permit_users').status).toBe('pass');
    } finally {
      await limited.close();
    }
  });

  it('an unreachable API and a wrong proxy each get their own cause', async () => {
    const port = await closedPort();
    const api = await doctor({ WECOM_API_BASE: `http://127.0.0.1:${port}` });
    expect(api.byId('network.api').status).toBe('fail');
    expect(api.text('en')).toMatch(/connection refused/i);
    expect(api.report.checks.some((c) => c.id === 'app.token')).toBe(false);

    const proxy = await doctor({ WECOM_PROXY: `http://user:pw-secret@127.0.0.1:${port}` });
    expect(proxy.byId('network.proxy').status).toBe('fail');
    expect(proxy.byId('network.api').status).toBe('fail');
    expect(proxy.text('en')).toMatch(/proxy/i);
    expect(proxy.text('en')).not.toContain('pw-secret');

    const bad = await runDoctor((await sandboxConfig(sandbox)).config, { env: { HTTPS_PROXY: 'not a url', HTTP_PROXY: 'not a url' } });
    expect(bad.checks.find((c) => c.id === 'network.proxy_setting')).toMatchObject({ status: 'fail' });
    expect(reportText(bad, 'en')).toContain('HTTP_PROXY is not a usable proxy URL');

    const bypass = await runDoctor((await sandboxConfig(sandbox)).config, { env: { HTTP_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: '127.0.0.1' } });
    expect(bypass.checks.some((c) => c.id === 'network.proxy')).toBe(false);
    expect(bypass.checks.find((c) => c.id === 'network.api')?.status).toBe('pass');
  });
});

describe('doctor CLI', () => {
  it('prints JSON in the documented shape, in English on request, and exits non-zero on failure', async () => {
    const { file, env } = await sandboxConfig(sandbox, { APP_SECRET: sandbox.secrets.contacts });
    const run = await runCli(['doctor', '--json', '--lang', 'en', '--config', file], { env });
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { ok: boolean; checks: Array<Record<string, unknown>> };
    expect(out.ok).toBe(false);
    const check = out.checks.find((c) => c.id === 'app.department_list')!;
    expect(Object.keys(check)).toEqual(expect.arrayContaining(['id', 'credential', 'status', 'errcode', 'message', 'fix']));
    expect(check).toMatchObject({ credential: 'app', status: 'fail', errcode: 48009 });
    expect(String(check.fix)).toContain('Self-built');
    for (const secret of Object.values(sandbox.secrets)) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('prints the checklist in Chinese by default with ✅ lines, exit 0 when healthy', async () => {
    const { file, env } = await sandboxConfig(sandbox);
    const run = await runCli(['doctor', '--config', file], { env });
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('✅ 自建应用：读取部门列表');
  });
});
