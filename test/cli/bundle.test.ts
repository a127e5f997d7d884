import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bundleEntry, freshBundle, ROOT } from '../../scripts/bundle.mjs';
import { BIN, runCli } from '../helpers/cli.ts';

/**
 * The CLI runs from its plain-JS bundle (scripts/bundle.mjs) when the bundle is fresh, and a source
 * edited after the build makes the next command rebuild it, so a checkout never runs stale code.
 */

const current = () => JSON.parse(readFileSync(join(ROOT, 'dist', 'cli', 'current.json'), 'utf8')) as { build: string; builtAt: number; inputs: string[] };

it('the bundle holds every module the CLI loads, and answers as the sources do', async () => {
  const entry = await bundleEntry('cli');
  expect(entry).toBe(join(ROOT, 'dist', 'cli', current().build, 'entry.js'));
  expect(current().inputs).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/store/open.ts', 'src/server/app.ts', 'src/sandbox/archive/index.ts']));
  const args = ['--lang', 'en', 'sync', '--help'];
  const viaBundle = spawnSync(process.execPath, [entry!, ...args], { encoding: 'utf8' });
  const viaSources = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'entry.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  expect(viaBundle.status, viaBundle.stderr).toBe(0);
  expect(viaBundle.stdout).toContain('Usage: wecom-archive sync');
  expect(viaBundle.stdout).toBe(viaSources.stdout);
});

it('a source newer than the bundle makes it stale, and the next command builds a new one', async () => {
  await bundleEntry('cli');
  const before = current();
  const source = join(ROOT, 'src', 'cli', 'entry.ts');
  const { atime, mtime } = statSync(source);
  try {
    utimesSync(source, atime, new Date(before.builtAt + 1000));
    expect(freshBundle('cli')).toBeUndefined();
    const run = await runCli(['--lang', 'en', '--help']);
    expect(run.code, run.stderr).toBe(0);
    const after = current();
    expect(after.build).not.toBe(before.build);
    expect(after.builtAt).toBeGreaterThan(before.builtAt);
  } finally {
    utimesSync(source, atime, mtime);
  }
  expect(freshBundle('cli')).toBe(join(ROOT, 'dist', 'cli', current().build, 'entry.js'));
  expect(BIN).toBe(join(ROOT, 'bin', 'wecom-archive'));
});
