import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureStandinSdk } from '../../src/archive/sdk/standin-path.ts';

const SCRIPT = new URL('../../scripts/build-native.mjs', import.meta.url).pathname;

describe('scripts/build-native.mjs', () => {
  it('does not rebuild an up-to-date library', () => {
    const path = ensureStandinSdk();
    const before = statSync(path).mtimeMs;
    const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/Built/);
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it('without a C compiler, says what to install in both languages and exits 0', () => {
    const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { PATH: '/nonexistent', npm_lifecycle_event: 'postinstall' } });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('未找到 C 编译器');
    expect(run.stderr).toContain('No C compiler found');
    expect(run.stderr).toContain('apt-get install gcc');
    expect(run.stderr).toContain('build-essential');
  });
});
