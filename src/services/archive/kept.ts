import { mediaCounts } from '../../archive/status/status.ts';
import { SEQ_CURSOR } from '../../archive/ingest/write-page.ts';
import type { Store } from '../../store/database.ts';
import { syncStateRepository } from '../../store/index.ts';
import type { StorageError } from '../../store/storage-errors.ts';

/**
 * A pull stopped by its storage (a full disk) says what it kept: every page it committed is stored
 * with its cursor, and the media downloaded so far are on disk; the rest waits for the next run.
 * Reading these figures still works on a full disk; if it does not, the error goes up as it was.
 */
export async function withWhatWasKept(
  err: StorageError, store: Store, corpId: string, progress?: { pages: number; stored: number },
): Promise<StorageError> {
  try {
    const cursor = await syncStateRepository.getCursor(store.db, corpId, SEQ_CURSOR);
    const media = await mediaCounts(store.db, corpId);
    const data = {
      ...(progress ? { pages: progress.pages, messages: progress.stored } : {}),
      cursor: cursor ?? null, mediaDownloaded: media.downloaded, mediaPending: media.pending,
    };
    // `archive media` alone: only the media part (its messages were kept by the pull before it).
    return err.withKept({ text: progress ? KEPT : KEPT_MEDIA, data }, { ...data, cursor: cursor ?? '-' });
  } catch {
    return err;
  }
}

const KEPT = {
  zh: '已保存：本次提交 {pages} 页（{messages} 条新消息），游标在 seq {cursor}；媒体已下载 {mediaDownloaded} 个，待下载 {mediaPending} 个',
  en: 'Kept: {pages} page(s) committed this run ({messages} new messages), cursor at seq {cursor}; media: {mediaDownloaded} downloaded, {mediaPending} pending',
};

const KEPT_MEDIA = {
  zh: '已保存：媒体已下载 {mediaDownloaded} 个，待下载 {mediaPending} 个（下次运行继续）',
  en: 'Kept: media {mediaDownloaded} downloaded, {mediaPending} pending (the next run continues)',
};
