import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { MediaBlobs } from '../archive/media/index.ts';
import { mediaRepository } from '../store/media.repository.ts';
import { UserError } from '../util/errors.ts';
import type { Runtime } from './runtime.ts';
import { withMediaAccess } from './content-access.ts';

/**
 * A message's stored file, for the web UI and API clients: a message's own media (path '') or a
 * nested item's (`item[2]`, `item[1].item[0]`), streamed from the blob store with what was sniffed
 * of it. Only types a browser shows inline keep their content type; everything else is
 * application/octet-stream, so a stored HTML or SVG file can never run on the service's origin.
 */

export interface MediaFileInput {
  corpId: string;
  msgid: string;
  /** '' for the message's own file. */
  path?: string;
}

export interface MediaFile {
  stream: Readable;
  size: number;
  /** The type to serve it as (see INLINE_TYPES). */
  contentType: string;
  /** The name it had in WeCom (files), else `<msgid>.<ext>`. */
  filename: string;
  sha256: string | null;
}

/** Types served as they are: pictures, sound and video a page may show; never markup or script. */
const INLINE_TYPES = /^(image\/(jpeg|png|gif|webp|bmp)|audio\/(amr|amr-wb|mpeg|mp4|ogg|wav|silk)|video\/(mp4|webm|quicktime)|application\/pdf)$/;

/** A stored media file, for a caller allowed to see its conversation, with a purpose: audited as `media.open`. */
export function openMediaFile(rt: Runtime, input: MediaFileInput): Promise<MediaFile> {
  return withMediaAccess(rt, input, () => openStoredFile(rt, input));
}

async function openStoredFile(rt: Runtime, input: MediaFileInput): Promise<MediaFile> {
  const config = rt.corp(input.corpId);
  const path = input.path ?? '';
  const store = await rt.readStore();
  const row = (await mediaRepository.listMedia(store.db, input.corpId, input.msgid)).find((item) => item.item_path === path);
  if (!row) throw new MediaNotFoundError(input.msgid, path);
  if (!row.stored_path || (row.status !== 'downloaded' && row.status !== 'md5_mismatch')) throw new MediaNotStoredError(input.msgid, row.status);
  const file = new MediaBlobs(config.dataDir).absolutePath(row.stored_path);
  const size = await stat(file).then((s) => s.size, () => -1);
  if (size < 0) throw new MediaNotStoredError(input.msgid, 'missing_blob');
  const mime = (row.mime ?? '').toLowerCase().split(';')[0]!.trim();
  return {
    stream: createReadStream(file),
    size,
    contentType: INLINE_TYPES.test(mime) ? mime : 'application/octet-stream',
    filename: row.filename ?? `${input.msgid}${path ? `-${path.replace(/[^\w]+/g, '_')}` : ''}.${extensionOf(mime, row.media_type)}`,
    sha256: row.sha256,
  };
}

function extensionOf(mime: string, mediaType: string | null): string {
  const known: Record<string, string> = {
    'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'audio/amr': 'amr', 'audio/amr-wb': 'amr', 'audio/mpeg': 'mp3', 'video/mp4': 'mp4',
  };
  return known[mime] ?? (mediaType === 'voice' ? 'amr' : 'bin');
}

export class MediaNotFoundError extends UserError {
  constructor(msgid: string, path: string) {
    super('media_not_found', {
      what: { zh: '消息 {msgid} 没有媒体文件{where}', en: 'Message {msgid} has no media file{where}' },
      fix: { zh: 'path 为空表示消息本身的文件；嵌套项用 item[0] 这样的路径', en: 'An empty path is the message\'s own file; nested items use paths such as item[0]' },
      vars: { msgid, where: path ? ` (${path})` : '' },
    });
  }
}

export class MediaNotStoredError extends UserError {
  constructor(msgid: string, status: string) {
    super('media_not_stored', {
      what: { zh: '消息 {msgid} 的媒体文件未保存（{status}）', en: 'The media of message {msgid} is not stored ({status})' },
      why: {
        zh: 'pending 表示尚未下载；expired 表示企业微信已不再保存；missing 表示企业微信找不到它；failed 表示多次下载失败',
        en: 'pending: not downloaded yet; expired: WeCom no longer keeps it; missing: WeCom does not know it; failed: the download failed repeatedly',
      },
      fix: { zh: '运行 wecom-archive archive media 下载待下载的文件', en: 'Run wecom-archive archive media to download pending files' },
      vars: { msgid, status },
    });
  }
}
