import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../util/errors.ts';

/**
 * One media queue per DATA_DIR at a time: two runs would append to the same partial files. A lock
 * file holds the owner's pid; one left by a process that died (kill -9) is taken over.
 */

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireQueueLock(dir: string): Promise<{ release(): Promise<void> }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'queue.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if ((Number.isSafeInteger(pid) && pid > 0 && alive(pid)) || attempt >= 2) {
      throw new UserError('archive_media_busy', {
        what: { zh: '另一个媒体下载正在运行（进程 {pid}）。', en: 'Another media download is running (process {pid}).' },
        fix: {
          zh: '等它结束后再运行；如果确认没有其他下载在运行，删除 {path} 后重试。',
          en: 'Run again once it has finished; if you are sure no other download runs, delete {path} and retry.',
        },
        vars: { pid: Number.isSafeInteger(pid) && pid > 0 ? pid : '?', path },
      });
    }
    // The owner is gone: its lock is stale.
    await rm(path, { force: true });
  }
}
