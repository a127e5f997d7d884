import { link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { killPoint } from './kill-points.ts';

/**
 * A lock file holding its owner's pid: one process on this machine at a time. A file left by a
 * process that died (kill -9) is taken over, so a crash never needs a person to clean up; so is the
 * private `<lock>.<pid>` file of one killed before it linked it into place.
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
  // The pid is written to a private file first and linked into place: the lock appears with its
  // owner already in it, so nobody can read it empty and take it for stale.
  const mine = `${path}.${process.pid}`;
  await removeDeadOwnersFiles(path);
  try {
    // Inside the try: on a full disk the file is created empty and the write fails; it goes too.
    await writeFile(mine, String(process.pid), { mode: 0o600 }).catch((err: NodeJS.ErrnoException) => {
      err.path ??= mine; // a failed write names no file by itself
      throw err;
    });
    killPoint('lock.written');
    for (let attempt = 0; ; attempt += 1) {
      try {
        await link(mine, path);
        return { release: () => releaseIfOurs(path) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      await takeOverIfStale(path, attempt);
    }
  } finally {
    await rm(mine, { force: true });
  }
}

/**
 * Removes the `<lock>.<pid>` files of processes that are gone: one killed between writing its file
 * and linking it (or before its clean-up ran) would otherwise leave it in the folder forever. A live
 * process's file is left alone: it is on its way to becoming the lock.
 */
async function removeDeadOwnersFiles(path: string): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(names.map(async (name) => {
    if (!name.startsWith(prefix)) return;
    const suffix = name.slice(prefix.length);
    if (!/^\d+$/.test(suffix)) return;
    const pid = Number(suffix);
    if (pid === process.pid || alive(pid)) return;
    await rm(join(dirname(path), name), { force: true });
  }));
}

/** Throws PidLockBusy while the owner lives; removes a dead owner's lock so the next try wins it. */
async function takeOverIfStale(path: string, attempt: number): Promise<void> {
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  const owner = Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  if ((owner !== undefined && alive(owner)) || attempt >= 2) throw new PidLockBusy(owner, path);
  // The owner is gone: its lock is stale.
  await rm(path, { force: true });
}

/** Only the owner's release removes the lock: one taken over by another process stays. */
async function releaseIfOurs(path: string): Promise<void> {
  const owner = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (owner === String(process.pid)) await rm(path, { force: true });
}
