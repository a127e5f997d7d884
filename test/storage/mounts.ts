import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real storage faults for the storage tests: a small tmpfs (disk full) and a read-only remount. They
 * need root and mount(8). Without them a test is skipped locally, and fails under CI=true (where the
 * machine is known to allow it), so a fault test never passes by not running.
 */

export interface Tmpfs {
  dir: string;
  /** Remounts with another size (making room after a disk-full run). */
  resize(bytes: number): void;
  /** Remounts read-only (`ro: true`) or read-write. */
  readOnly(ro: boolean): void;
  unmount(): void;
}

const mounted = new Set<string>();

export function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  let probe: Tmpfs | undefined;
  try {
    probe = mountTmpfs(64 * 1024);
    return true;
  } catch {
    return false;
  } finally {
    probe?.unmount();
  }
}

/** Skips locally, fails under CI=true: call at the top of a describe that needs mounts. */
export function requireMounts(): boolean {
  if (canMount()) return true;
  if (process.env.CI === 'true') throw new Error('storage fault tests need root and mount -t tmpfs (CI=true: not skipping)');
  process.stderr.write('⚠ storage fault tests skipped: mounting a tmpfs needs root\n');
  return false;
}

export function mountTmpfs(bytes: number): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'wa-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  mounted.add(dir);
  return {
    dir,
    resize: (size) => execFileSync('mount', ['-o', `remount,size=${size}`, dir], { stdio: 'pipe' }),
    readOnly: (ro) => execFileSync('mount', ['-o', `remount,${ro ? 'ro' : 'rw'}`, dir], { stdio: 'pipe' }),
    unmount: () => unmount(dir),
  };
}

function unmount(dir: string): void {
  if (!mounted.has(dir)) return;
  execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  mounted.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Every tmpfs this process mounted and has not unmounted yet (afterAll, even after a failure). */
export function unmountAll(): void {
  for (const dir of [...mounted]) {
    try {
      unmount(dir);
    } catch {
      // Keep going: the others must still go.
    }
  }
}

/** Fills the file system holding `dir` until `leaveBytes` are free (a real full disk); returns the filler's path. */
export function fillLeaving(dir: string, leaveBytes: number): string {
  const filler = join(dir, '.filler');
  rmSync(filler, { force: true });
  const { bavail, bsize } = statfsSync(dir);
  const size = Math.max(0, bavail * bsize - leaveBytes);
  const fd = openSync(filler, 'w');
  try {
    const block = Buffer.alloc(1024 * 1024, 1);
    for (let written = 0; written < size;) {
      const n = Math.min(block.length, size - written);
      writeSync(fd, block, 0, n);
      written += n;
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

/** Lock files (leases, the media queue's, their `<lock>.<pid>` files) left in DATA_DIR: none after any run. */
export function lockFiles(dataDir: string): string[] {
  return (readdirSync(dataDir, { recursive: true }) as string[]).filter((name) => /\.lock(\.\d+)?$/.test(name));
}
