import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Media files on local disk, content-addressed: DATA_DIR/media/ab/cd/<sha256>. The same bytes
 * received twice (a sticker, a forwarded file) are stored once; rows record the path, so the
 * layout can change (or move to object storage) without touching how rows are read.
 */
export class MediaBlobs {
  readonly root: string;
  /** Downloads in progress (partial.ts) and the queue's lock. */
  readonly partialDir: string;

  constructor(readonly dataDir: string) {
    this.root = join(dataDir, 'media');
    this.partialDir = join(this.root, '.partial');
  }

  /** The path a row stores: relative to DATA_DIR, with forward slashes on every platform. */
  static relativePath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256 hex digest');
    return `media/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  absolutePath(relative: string): string {
    return join(this.dataDir, ...relative.split('/'));
  }

  /**
   * Moves a finished download into place; when the blob already exists with the same size the
   * download is dropped instead (same sha256, same bytes). rename() is atomic, so a reader never
   * sees half a blob, and two processes storing the same bytes both end with one whole file.
   */
  async commit(partPath: string, sha256: string, size: number): Promise<{ storedPath: string; deduplicated: boolean }> {
    const storedPath = MediaBlobs.relativePath(sha256);
    const target = this.absolutePath(storedPath);
    const existing = await stat(target).then((s) => s.size, () => -1);
    if (existing === size) {
      await rm(partPath, { force: true });
      return { storedPath, deduplicated: true };
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await rename(partPath, target);
    return { storedPath, deduplicated: false };
  }
}
