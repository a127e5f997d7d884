import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../util/errors.ts';
import { loadDeployment } from './deployment.ts';

/** Several corps, each in its own file of today's format; the deployment keys agree across them. */

const CORP_A = 'wwaaaaaaaaaaaaaaaa';
const CORP_B = 'wwbbbbbbbbbbbbbbbb';
const dirs: string[] = [];

function folder(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wa-deployment-'));
  dirs.push(dir);
  for (const [name, lines] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`, { mode: 0o600 });
  }
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!isUserError(err)) throw new Error(`expected a UserError, got ${String(err)}`);
  return err;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadDeployment', () => {
  it('reads each *.env file of a folder as one corp, sorted by corp id, and only those files', async () => {
    const dir = folder({ 'b.env': [`CORP_ID=${CORP_B}`], 'a.env': [`CORP_ID=${CORP_A}`], 'notes.txt': ['CORP_ID=wwcccccccccccccccc'] });
    const deployment = await loadDeployment({ configPaths: [dir], env: {} });
    expect(deployment.corps.map((c) => c.corpId)).toEqual([CORP_A, CORP_B]);
    expect(deployment.files).toEqual([join(dir, 'a.env'), join(dir, 'b.env')]);
    // DATA_DIR left unset defaults beside the config files, whatever the working directory.
    expect(deployment.dataDir).toBe(join(dir, 'data'));
  });

  it('takes --config several times, and a single file keeps working as before', async () => {
    const dir = folder({ 'one/wecom.env': [`CORP_ID=${CORP_A}`, 'DATA_DIR=store'], 'two/wecom.env': [`CORP_ID=${CORP_B}`, `DATA_DIR=${join('..', 'one', 'store')}`] });
    const both = await loadDeployment({ configPaths: [join(dir, 'one/wecom.env'), join(dir, 'two/wecom.env')], env: {} });
    expect(both.corps.map((c) => c.corpId)).toEqual([CORP_A, CORP_B]);
    // Relative paths resolve against each file's folder, so both name the same store.
    expect(both.dataDir).toBe(join(dir, 'one', 'store'));
    const single = await loadDeployment({ configPaths: [join(dir, 'one/wecom.env')], env: {} });
    expect(single.corps.map((c) => c.corpId)).toEqual([CORP_A]);
  });

  it('refuses deployment keys that differ, naming the key and both files, with secrets redacted', async () => {
    const dir = folder({
      'a.env': [`CORP_ID=${CORP_A}`, 'DATABASE_URL=postgres://archive:s3cretPassw0rd@db1/archive'],
      'b.env': [`CORP_ID=${CORP_B}`, 'DATABASE_URL=postgres://archive:s3cretPassw0rd@db2/archive'],
    });
    const err = await failure(loadDeployment({ configPaths: [dir], env: {} }));
    expect(err.code).toBe('config_deployment_mismatch');
    const text = Object.values(err.describe('en')).join('\n');
    expect(text).toContain('DATABASE_URL');
    expect(text).toContain(join(dir, 'a.env'));
    expect(text).toContain(join(dir, 'b.env'));
    expect(text).toContain('db1');
    expect(text).not.toContain('s3cretPassw0rd');
  });

  it('refuses the language differing too, and accepts a deployment key set once in the environment', async () => {
    const dir = folder({ 'a.env': [`CORP_ID=${CORP_A}`, 'WECOM_ARCHIVE_LANG=en'], 'b.env': [`CORP_ID=${CORP_B}`] });
    expect((await failure(loadDeployment({ configPaths: [dir], env: {} }))).code).toBe('config_deployment_mismatch');
    const fine = folder({ 'a.env': [`CORP_ID=${CORP_A}`], 'b.env': [`CORP_ID=${CORP_B}`] });
    const deployment = await loadDeployment({ configPaths: [fine], env: { DATABASE_URL: 'postgres://u@h/d', WECOM_ARCHIVE_LANG: 'en' } });
    expect(deployment).toMatchObject({ databaseUrl: 'postgres://u@h/d', lang: 'en' });
  });

  it('refuses one corp in two files, an empty folder, and a missing file', async () => {
    const twice = folder({ 'a.env': [`CORP_ID=${CORP_A}`], 'b.env': [`CORP_ID=${CORP_A}`] });
    const duplicate = await failure(loadDeployment({ configPaths: [twice], env: {} }));
    expect(duplicate.code).toBe('config_duplicate_corp');
    expect(Object.values(duplicate.describe('en')).join('\n')).toContain(join(twice, 'b.env'));
    const empty = folder({});
    expect((await failure(loadDeployment({ configPaths: [empty], env: {} }))).code).toBe('config_folder_empty');
    expect((await failure(loadDeployment({ configPaths: [join(empty, 'nope.env')], env: {} }))).code).toBe('config_file_missing');
  });
});
