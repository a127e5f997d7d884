import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { runDoctor } from '../../src/doctor/doctor.ts';
import { reportText } from '../../src/doctor/report.ts';
import { openRuntime } from '../../src/services/runtime.ts';
import { DataDirError, openStore } from '../../src/store/open.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * DATA_DIR that cannot be used is the user's to fix: exit 2 naming the path, never "internal error".
 * Tested: DATA_DIR that is a regular file, and DATA_DIR under a regular file (a folder that cannot be
 * created: the way to make one unwritable for root, whom chmod does not stop). A chmod 0500 folder
 * is tested too when the tests do not run as root.
 */
function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'wa-data-dir-'));
}

function configIn(dir: string): string {
  const file = join(dir, 'wecom.env');
  // A closed port: the DATA_DIR check comes before any call, so nothing is ever asked of WeCom.
  writeFileSync(file, `CORP_ID=ww0123456789abcdef\nAPP_SECRET=${'s'.repeat(43)}\nWECOM_API_BASE=http://127.0.0.1:9\n`, { mode: 0o600 });
  return file;
}

describe('an unusable DATA_DIR', () => {
  it('a file, or a path under a file: the store refuses with a DataDirError naming the path', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(openStore({ dataDir: file })).rejects.toBeInstanceOf(DataDirError);
    const under = join(file, 'data');
    const err = (await openStore({ dataDir: under }).catch((e: unknown) => e)) as DataDirError;
    expect(err).toBeInstanceOf(DataDirError);
    expect(err.code).toBe('data_dir_unusable');
    expect(err.describe('en')).toMatchObject({ what: `The data folder DATA_DIR (${under}) is not a folder`, why: `${file} is a file` });
  });

  it('call (whose token cache lives in DATA_DIR) exits 2 naming the path, for a file and a path under a file', async () => {
    const dir = tempDir();
    const config = configIn(dir);
    const file = join(dir, 'data-file');
    writeFileSync(file, 'x');
    for (const dataDir of [file, join(file, 'sub')]) {
      const run = await runCli(['call', 'department/list', '--config', config], { env: { DATA_DIR: dataDir } });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`数据目录 DATA_DIR（${dataDir}）不是文件夹`);
      expect(run.stderr).toContain(`${file} 是一个文件`);
      expect(run.stderr).not.toMatch(/内部错误|EEXIST|ENOTDIR/);
    }
  }, 120_000);

  it('every command (through the runtime) refuses a DATA_DIR under a file; doctor reports it as a failed check', async () => {
    const dir = tempDir();
    const config = configIn(dir);
    const file = join(dir, 'data-file');
    writeFileSync(file, 'x');
    const env = { DATA_DIR: join(file, 'data') };
    await expect(openRuntime({ configPaths: [config], env })).rejects.toBeInstanceOf(DataDirError);
    const report = await runDoctor(await loadConfig({ configFile: config, env, strict: false }), { env: {} });
    expect(report.checks.find((c) => c.id === 'config.DATA_DIR')?.status).toBe('fail');
    expect(reportText(report, 'en')).toContain(`The data folder DATA_DIR (${env.DATA_DIR}) is not a folder. ${file} is a file`);
  });

  it('a folder this user cannot write (not as root: chmod does not stop root)', async () => {
    if (process.getuid?.() === 0) {
      // As root the path-under-a-file case above stands for it; say so rather than pass silently.
      expect(process.getuid()).toBe(0);
      return;
    }
    const dir = tempDir();
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const err = (await openStore({ dataDir: locked }).catch((e: unknown) => e)) as DataDirError;
    expect(err).toBeInstanceOf(DataDirError);
    expect(err.describe('en').what).toContain(`cannot write to the data folder DATA_DIR (${locked})`);
  });
});
