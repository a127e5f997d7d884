import { mkdtempSync, writeFileSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.ts';
import { ASKED_KEYS, CONFIG_KEYS, isConfigKey } from './keys.ts';
import { ConfigError, loadConfig } from './load.ts';
import { parseEnvFile } from './parse.ts';

const secret = () => randomBytes(40).toString('base64url').slice(0, 43);
const tmp = () => mkdtempSync(join(tmpdir(), 'wa-config-'));

function writeFile(dir: string, name: string, text: string, mode = 0o600): string {
  const file = join(dir, name);
  writeFileSync(file, text, { mode });
  return file;
}

describe('the users\' config format', () => {
  it('reads comments, quotes, export prefixes and trailing comments', () => {
    const { entries, problems } = parseEnvFile([
      '# WeCom API parameters',
      'CORP_ID=ww0000000000000000            # the corp id',
      'export APP_AGENT_ID="1000002"',
      "APP_SECRET='abc # not a comment'",
      'DATA_DIR=./my data # spaces kept',
      'WECOM_PROXY="http://u:p\\"q@h:1" # escaped quote',
      '',
      'this is not a line',
    ].join('\n'));
    expect(entries.map((e) => [e.key, e.value])).toEqual([
      ['CORP_ID', 'ww0000000000000000'],
      ['APP_AGENT_ID', '1000002'],
      ['APP_SECRET', 'abc # not a comment'],
      ['DATA_DIR', './my data'],
      ['WECOM_PROXY', 'http://u:p"q@h:1'],
    ]);
    expect(problems).toEqual([{ line: 8, text: 'this is not a line' }]);
  });
});

describe('loadConfig', () => {
  it('reads ./wecom.env, lets the environment win, and resolves paths against the file', async () => {
    const dir = tmp();
    const fileSecret = secret();
    const envSecret = secret();
    writeFile(dir, 'wecom.env', `CORP_ID=ww0123456789abcdef\nAPP_SECRET=${fileSecret}\nCONTACTS_SECRET=${secret()}\nDATA_DIR=store\n`);
    const config = await loadConfig({ cwd: dir, env: { APP_SECRET: envSecret } });
    expect(config.secrets.app).toBe(envSecret);
    expect(config.raw.APP_SECRET.source).toBe('env');
    expect(config.raw.CONTACTS_SECRET.source).toBe('file');
    expect(config.dataDir).toBe(join(dir, 'store'));
    expect(config.apiBase).toBe('https://qyapi.weixin.qq.com');
    expect(Object.keys(config.secrets).sort()).toEqual(['app', 'contacts']);
  });

  it('reads the client-side limits and rejects values that are not positive integers', async () => {
    const dir = tmp();
    const good = writeFile(dir, 'limits.env', 'WECOM_RATE_LIMIT_PER_MINUTE=3000\nWECOM_CONCURRENCY=2\n');
    expect((await loadConfig({ configFile: good, env: {} })).limits).toEqual({ perMinute: 3000, perHour: undefined, concurrency: 2 });
    const bad = writeFile(dir, 'bad-limits.env', 'WECOM_CONCURRENCY=0\n');
    const error = (await loadConfig({ configFile: bad, env: {} }).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems.map((p) => p.key)).toEqual(['WECOM_CONCURRENCY']);
  });

  it('builds Config from the key table: fields typed by their reader, path keys relative to the file, defaults', async () => {
    const dir = tmp();
    const file = writeFile(dir, 'table.env', [
      'APP_AGENT_ID=1000002', 'FINANCE_SDK_PATH=sdk/libWeWorkFinanceSdk_C.so', 'ARCHIVE_PRIVATE_KEY_3=keys/v3.pem',
      'WECOM_API_BASE=http://127.0.0.1:9/', 'WECOM_ARCHIVE_LANG=fr', 'REDIS_URL=redis://h:6379',
    ].join('\n'));
    const config = await loadConfig({ configFile: file, env: {}, strict: false });
    expect(config.appAgentId).toBe(1000002);
    expect(config.financeSdkPath).toBe(join(dir, 'sdk/libWeWorkFinanceSdk_C.so'));
    expect(config.archivePrivateKeys).toEqual({ 3: join(dir, 'keys/v3.pem') });
    expect(config.apiBase).toBe('http://127.0.0.1:9');
    expect(config.redisUrl).toBe('redis://h:6379');
    // An unusable value is reported and the field keeps its default.
    expect(config.lang).toBe('zh');
    expect(config.problems.map((p) => p.key)).toContain('WECOM_ARCHIVE_LANG');
    expect(config.corpId).toBeUndefined();
  });

  it('names its keys in one table: init asks the rows marked asked, in table order; callbacks and versions are keys too', () => {
    expect(ASKED_KEYS).toEqual(['CORP_ID', 'APP_SECRET', 'APP_AGENT_ID', 'CUSTOMER_SECRET', 'CONTACTS_SECRET', 'CHAT_ARCHIVE_SECRET',
      'WECOM_PROXY', 'DATA_DIR', 'DATABASE_URL']);
    expect(CONFIG_KEYS.filter((spec) => spec.path).map((spec) => spec.key)).toEqual(['ARCHIVE_PRIVATE_KEY_<ver>', 'FINANCE_SDK_PATH', 'DATA_DIR']);
    expect(['ARCHIVE_PRIVATE_KEY_12', 'CONTACTS_CALLBACK_AES_KEY', 'DATA_DIR'].every(isConfigKey)).toBe(true);
    expect(['ARCHIVE_PRIVATE_KEY_<ver>', 'ARCHIVE_PRIVATE_KEY_x', 'DATA_DIRS'].some(isConfigKey)).toBe(false);
  });

  it('does not read ./wecom.env when --config is given', async () => {
    const dir = tmp();
    writeFile(dir, 'wecom.env', 'CORP_ID=ww1111111111111111\n');
    const other = writeFile(dir, 'other.env', 'CORP_ID=ww2222222222222222\n');
    const config = await loadConfig({ cwd: dir, configFile: other, env: {} });
    expect(config.corpId).toBe('ww2222222222222222');
  });

  it('reports every invalid value at once, naming each key', async () => {
    const dir = tmp();
    const file = writeFile(dir, 'bad.env', 'CORP_ID=12345\nAPP_SECRET="short"\nAPP_AGENT_ID=abc\nARCHIVE_PRIVATE_KEY_3=./missing.pem\n');
    const error = await loadConfig({ configFile: file, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key).sort()).toEqual(['APP_AGENT_ID', 'APP_SECRET', 'ARCHIVE_PRIVATE_KEY_3', 'CORP_ID']);
    const why = (error as ConfigError).describe('en').why ?? '';
    expect(why).toContain('43 letters');
    expect(why).not.toContain('short');
  });

  it('accepts a readable PEM private key and rejects a public key', async () => {
    const dir = tmp();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFile(dir, 'k1.pem', privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    writeFile(dir, 'pub.pem', publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const good = writeFile(dir, 'good.env', 'ARCHIVE_PRIVATE_KEY_1=k1.pem\n');
    expect((await loadConfig({ configFile: good, env: {} })).archivePrivateKeys).toEqual({ 1: join(dir, 'k1.pem') });
    const bad = writeFile(dir, 'bad.env', 'ARCHIVE_PRIVATE_KEY_2=pub.pem\n');
    const error = (await loadConfig({ configFile: bad, env: {} }).catch((e: unknown) => e)) as ConfigError;
    expect(error.describe('en').why).toContain('is a public key, not a private key');
  });

  it('warns when the file is readable by others', async () => {
    const dir = tmp();
    const file = writeFile(dir, 'open.env', 'CORP_ID=ww0123456789abcdef\n', 0o644);
    const config = await loadConfig({ configFile: file, env: {} });
    expect(config.problems).toEqual([expect.objectContaining({ severity: 'warning', vars: expect.objectContaining({ mode: '0644' }) })]);
  });
});

describe('config show and init (CLI)', () => {
  it('init writes a 0600 file from flags and config show never prints a secret', async () => {
    const dir = tmp();
    const appSecret = secret();
    const init = await runCli(['init', '--set', 'CORP_ID=ww0123456789abcdef', '--set', `APP_SECRET=${appSecret}`,
      '--set', 'WECOM_PROXY=http://user:hunter2pass@127.0.0.1:3128'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(statSync(join(dir, 'wecom.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'wecom.env'), 'utf8')).toContain(`APP_SECRET=${appSecret}`);

    const show = await runCli(['config', 'show', '--json'], { cwd: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).not.toContain(appSecret);
    expect(show.stdout).not.toContain('hunter2pass');
    const report = JSON.parse(show.stdout);
    expect(report).toMatchObject({ ok: true, truncated: false, corps: [{ corpId: 'ww0123456789abcdef', file: join(dir, 'wecom.env') }] });
    const values = report.corps[0].values as Array<{ key: string; value: string; source: string }>;
    expect(values.find((v) => v.key === 'APP_SECRET')).toEqual({ key: 'APP_SECRET', value: `${appSecret.slice(0, 4)}…(43)`, source: 'file' });

    const again = await runCli(['init', '--set', 'CORP_ID=ww0123456789abcdef', '--lang', 'en'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(again.stderr).not.toMatch(/\n\s+at /);
  });

  it('shows every corp of a folder of configs, each under its file; --corp narrows to one', async () => {
    const dir = tmp();
    const corps = mkdtempSync(join(dir, 'corps-'));
    writeFile(corps, 'a.env', `CORP_ID=ww000000000000000a\nAPP_SECRET=${secret()}\nDATA_DIR=${dir}\n`);
    writeFile(corps, 'b.env', `CORP_ID=ww000000000000000b\nCUSTOMER_SECRET=${secret()}\nDATA_DIR=${dir}\n`);
    const all = await runCli(['config', 'show', '--config', corps, '--lang', 'en'], { cwd: dir });
    expect(all.code).toBe(0);
    expect(all.stdout).toContain(`ww000000000000000a  ${join(corps, 'a.env')}`);
    expect(all.stdout).toContain(`ww000000000000000b  ${join(corps, 'b.env')}`);
    const one = JSON.parse((await runCli(['config', 'show', '--config', corps, '--corp', 'ww000000000000000b', '--json'], { cwd: dir })).stdout);
    expect(one.corps.map((c: { corpId: string }) => c.corpId)).toEqual(['ww000000000000000b']);
    expect(one.corps[0].values.map((v: { key: string }) => v.key)).toEqual(['CORP_ID', 'CUSTOMER_SECRET', 'WECOM_API_BASE', 'DATA_DIR', 'BACKUP_MAX_AGE_DAYS',
      'SERVER_HOST', 'SERVER_PORT', 'TRUST_PROXY', 'SYNC_INTERVAL_HOURS', 'RECONCILE_INTERVAL_HOURS', 'ARCHIVE_POLL_SECONDS', 'WORKER_NICE', 'WECOM_ARCHIVE_LANG']);
  });

  it('prints config errors in Chinese by default and English on request, exit code 1', async () => {
    const dir = tmp();
    writeFile(dir, 'wecom.env', 'CORP_ID=nope\n');
    const zh = await runCli(['config', 'show'], { cwd: dir });
    expect(zh.code).toBe(1);
    expect(zh.stdout).toContain('不像企业 ID');
    const en = await runCli(['config', 'show'], { cwd: dir, env: { WECOM_ARCHIVE_LANG: 'en' } });
    expect(en.stdout).toContain('does not look like a corp id');
  });

  it('takes the language from the config file, refuses an unknown one, and exits 2 on usage errors', async () => {
    const dir = tmp();
    writeFile(dir, 'wecom.env', 'WECOM_ARCHIVE_LANG=en\nCORP_ID=nope\n');
    const fromFile = await runCli(['config', 'show'], { cwd: dir });
    expect(fromFile.stdout).toContain('does not look like a corp id');
    const bad = await runCli(['config', 'show', '--lang', 'fr'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unsupported language: fr');
    const usage = await runCli(['frobnicate'], { cwd: dir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown command 'frobnicate'");
    expect(usage.stderr).toContain('See wecom-archive --help');
  });
});
