import { join } from 'node:path';
import { UserError } from '../../util/errors.ts';
import { acquirePidLock, PidLockBusy, type PidLock } from '../../util/pid-lock.ts';

/**
 * One media queue per corp at a time: two runs would append to the same partial files. Partial files
 * are named by corp (queue.ts itemKey), so the queues of different corps run side by side (a watch
 * of several corps downloads for each at once).
 */
export async function acquireQueueLock(dir: string, corpId: string): Promise<PidLock> {
  const path = join(dir, `queue-${corpId.replace(/[^\w.-]/g, '_')}.lock`);
  try {
    return await acquirePidLock(path);
  } catch (err) {
    if (!(err instanceof PidLockBusy)) throw err;
    throw new UserError('archive_media_busy', {
      what: { zh: '另一个媒体下载正在运行（进程 {pid}）。', en: 'Another media download is running (process {pid}).' },
      fix: {
        zh: '等它结束后再运行；如果确认没有其他下载在运行，删除 {path} 后重试。',
        en: 'Run again once it has finished; if you are sure no other download runs, delete {path} and retry.',
      },
      vars: { pid: err.pid ?? '?', path },
    });
  }
}
