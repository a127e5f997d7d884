import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../helpers/cli.ts';

// `archive keygen` in a deployment of several corps sharing one DATA_DIR: each corp gets its own key
// files and versions (corp a's v1 is not corp b's v1), and the command asks which corp.

const run = (args: string[], cwd: string) => promisify(execFile)(process.execPath, [BIN, '--lang', 'en', ...args], { cwd, env: cleanEnv() })
  .then(({ stdout }) => ({ code: 0, stdout }), (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }));

describe('archive keygen with several corps', () => {
  it('stores each corp\'s keys under its own name and versions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygen-corps-'));
    const corps = join(dir, 'corps');
    mkdirSync(corps);
    const [a, b] = ['wwaaaaaaaaaaaaaaaa', 'wwbbbbbbbbbbbbbbbb'];
    writeFileSync(join(corps, 'a.env'), `CORP_ID=${a}\nDATA_DIR=${join(dir, 'data')}\n`, { mode: 0o600 });
    writeFileSync(join(corps, 'b.env'), `CORP_ID=${b}\nDATA_DIR=${join(dir, 'data')}\n`, { mode: 0o600 });

    const ambiguous = await run(['--json', 'archive', 'keygen', '--config', corps], dir);
    expect(ambiguous.code).toBe(2);
    expect(JSON.parse(ambiguous.stdout).error.code).toBe('config_corp_required');

    const first = JSON.parse((await run(['--json', '--corp', a, 'archive', 'keygen', '--config', corps], dir)).stdout);
    const other = JSON.parse((await run(['--json', '--corp', b, 'archive', 'keygen', '--config', corps], dir)).stdout);
    const again = JSON.parse((await run(['--json', '--corp', a, 'archive', 'keygen', '--config', corps], dir)).stdout);
    expect(first).toMatchObject({ ok: true, corpId: a, version: 1, privateKeyPath: join(dir, 'data', 'keys', `archive-${a}-v1.pem`) });
    expect(other).toMatchObject({ ok: true, corpId: b, version: 1, privateKeyPath: join(dir, 'data', 'keys', `archive-${b}-v1.pem`) });
    expect(again).toMatchObject({ corpId: a, version: 2 });
    for (const key of [first, other, again]) expect(statSync(key.privateKeyPath).mode & 0o777).toBe(0o600);
  }, 60_000);
});
