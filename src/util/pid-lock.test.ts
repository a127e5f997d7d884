import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { acquirePidLock } from './pid-lock.ts';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'pid-lock-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

/** Runs acquirePidLock in a process of its own that SIGKILLs itself at the given kill point. */
function acquireAndDieAt(path: string, point: string): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
    const { acquirePidLock } = await import(${JSON.stringify(new URL('./pid-lock.ts', import.meta.url).pathname)});
    await acquirePidLock(process.env.LOCK_PATH);
  `], { env: { ...process.env, LOCK_PATH: path, WECOM_ARCHIVE_KILL_AT: `${point}:1` }, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

it('removes the private file of an owner killed between writing it and linking it into place', async () => {
  const path = join(dir, 'locks', 'archive-wwcorp.lock');
  expect(await acquireAndDieAt(path, 'lock.written')).toBe('SIGKILL');
  // The killed process left its `<lock>.<pid>` file and no lock.
  const left = await readdir(join(dir, 'locks'));
  expect(left).toHaveLength(1);
  expect(left[0]).toMatch(/^archive-wwcorp\.lock\.\d+$/);

  const lock = await acquirePidLock(path);
  await lock.release();
  expect(await readdir(join(dir, 'locks'))).toEqual([]);
});

it('leaves the files of other locks in the folder alone', async () => {
  const path = join(dir, 'locks', 'a.lock');
  expect(await acquireAndDieAt(join(dir, 'locks', 'b.lock'), 'lock.written')).toBe('SIGKILL');
  const lock = await acquirePidLock(path);
  await lock.release();
  expect((await readdir(join(dir, 'locks'))).every((name) => name.startsWith('b.lock.'))).toBe(true);
});
