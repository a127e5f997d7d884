import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A lock file holding its owner's pid: one process on this machine at a time. A file left by a
 * process that died (kill -9) is taken over, so a crash never needs a person to clean up.
 */
export interface PidLock {
  release(): Promise<void>;
}

/** The pid of the live owner when the lock is held by someone else. */
export class PidLockBusy extends Error {
  constructor(readonly pid: number | undefined, readonly path: string) {
    super(`lock ${path} is held by process ${pid ?? '?'}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquirePidLock(path: string): Promise<PidLock> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    const owner = Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
    if ((owner !== undefined && alive(owner)) || attempt >= 2) throw new PidLockBusy(owner, path);
    // The owner is gone: its lock is stale.
    await rm(path, { force: true });
  }
}
