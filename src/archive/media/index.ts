/**
 * Media of the chat archive: the download queue over message_media (queue.ts), one item's chunked,
 * resumable, verified download (download.ts), the content-addressed files under DATA_DIR/media
 * (blobs.ts) and the MIME type sniffed from the bytes (sniff.ts).
 *
 *   const summary = await downloadPendingMedia({ db: store.db, corpId, dataDir: config.dataDir, source: pool });
 */
export { downloadPendingMedia, type MediaItemEvent, type MediaItemRef, type MediaQueueOptions, type MediaSummary } from './queue.ts';
export type { MediaSource } from './download.ts';
export { MediaBlobs } from './blobs.ts';
export { sniffMime, OCTET_STREAM } from './sniff.ts';
export { MEDIA_TEXT, renderMediaSummary, renderProblem, formatBytes } from './texts.ts';
