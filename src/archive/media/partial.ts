import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { killPoint } from '../../util/kill-points.ts';
import { SNIFF_BYTES } from './sniff.ts';

/**
 * One download in progress, kept on disk so a crash (kill -9, power loss) costs at most one chunk:
 * `<key>.part` holds the bytes received so far and `<key>.json` (the sidecar) the resume point,
 * `{offset, indexbuf}`. Order of writes: chunk appended and flushed, then the sidecar replaced
 * atomically (write + rename). So the sidecar never claims bytes the part file lacks; extra bytes
 * past its offset (a chunk written, its sidecar not) are cut off on resume and asked for again.
 *
 * The sidecar names the file only by a hash of its sdkfileid (a secret, never written in clear):
 * enough to notice that a row now points at another file and start over.
 */

interface Sidecar {
  v: 1;
  fileid: string;
  offset: number;
  indexbuf: string;
  finished: boolean;
}

const READ_BYTES = 1024 * 1024;

export function fingerprint(sdkfileid: string): string {
  return createHash('sha256').update(`sdkfileid:${sdkfileid}`).digest('hex');
}

export class PartialFile {
  md5: Hash = createHash('md5');
  sha256: Hash = createHash('sha256');
  /** The first bytes, for sniffing the type (≤ SNIFF_BYTES). */
  head: Buffer = Buffer.alloc(0);
  offset = 0;
  indexbuf = '';
  finished = false;
  /** Where this download picked up (0 when it starts from the beginning). */
  resumedFrom = 0;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly partPath: string,
    private readonly sidecarPath: string,
    private readonly fileid: string,
  ) {}

  /** Opens the download for `key`, resuming from its sidecar when it is for the same file. */
  static async open(dir: string, key: string, fileid: string): Promise<PartialFile> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const partPath = join(dir, `${key}.part`);
    const sidecarPath = join(dir, `${key}.json`);
    const saved = await readSidecar(sidecarPath);
    // The part file's size matters only with a resume point for this file (most downloads start afresh).
    const resumable = saved?.fileid === fileid && (await stat(partPath).then((s) => s.size, () => -1)) >= saved.offset;
    const handle = await open(partPath, resumable ? 'r+' : 'w+', 0o600);
    const partial = new PartialFile(handle, partPath, sidecarPath, fileid);
    if (resumable) await partial.resume(saved);
    else await rm(sidecarPath, { force: true });
    return partial;
  }

  /** Appends the next chunk and records where to continue; `nextIndexbuf` is ignored when finished. */
  async append(data: Buffer, nextIndexbuf: string, finished: boolean): Promise<void> {
    await writeFully(this.handle, data, this.offset);
    await this.handle.datasync();
    this.take(data);
    killPoint('archive.media.chunk.appended');
    this.offset += data.length;
    this.indexbuf = finished ? '' : nextIndexbuf;
    this.finished = finished;
    await this.saveSidecar();
    killPoint('archive.media.chunk.saved');
  }

  md5Hex(): string {
    return this.md5.copy().digest('hex');
  }

  sha256Hex(): string {
    return this.sha256.copy().digest('hex');
  }

  /** Starts over from byte 0 (a failed md5 check, or a resume point the SDK no longer accepts). */
  async reset(): Promise<void> {
    await this.handle.truncate(0);
    await rm(this.sidecarPath, { force: true });
    this.md5 = createHash('md5');
    this.sha256 = createHash('sha256');
    this.head = Buffer.alloc(0);
    this.offset = 0;
    this.indexbuf = '';
    this.finished = false;
    this.resumedFrom = 0;
  }

  /** Closes the part file; closing again does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  /** Forgets the download: the part file (unless already moved away) and its sidecar. */
  async discard(): Promise<void> {
    await rm(this.partPath, { force: true });
    await rm(this.sidecarPath, { force: true });
  }

  /** After the part file has been moved into the store: only the sidecar is left to remove. */
  async forgetSidecar(): Promise<void> {
    await rm(this.sidecarPath, { force: true });
  }

  private take(data: Buffer): void {
    this.md5.update(data);
    this.sha256.update(data);
    if (this.head.length < SNIFF_BYTES) {
      this.head = Buffer.concat([this.head, data.subarray(0, SNIFF_BYTES - this.head.length)]);
    }
  }

  /** Cuts the part file to the saved offset and hashes what stays, reading it back from disk. */
  private async resume(saved: Sidecar): Promise<void> {
    await this.handle.truncate(saved.offset);
    const buffer = Buffer.alloc(READ_BYTES);
    for (let at = 0; at < saved.offset;) {
      const { bytesRead } = await this.handle.read(buffer, 0, Math.min(READ_BYTES, saved.offset - at), at);
      if (bytesRead === 0) throw new Error(`partial media file shorter than its sidecar: ${this.partPath}`);
      this.take(buffer.subarray(0, bytesRead));
      at += bytesRead;
    }
    this.offset = saved.offset;
    this.indexbuf = saved.indexbuf;
    this.finished = saved.finished;
    this.resumedFrom = saved.offset;
  }

  private async saveSidecar(): Promise<void> {
    const sidecar: Sidecar = { v: 1, fileid: this.fileid, offset: this.offset, indexbuf: this.indexbuf, finished: this.finished };
    const temporary = `${this.sidecarPath}.tmp`;
    await writeFile(temporary, JSON.stringify(sidecar), { mode: 0o600 });
    await rename(temporary, this.sidecarPath);
  }
}

/**
 * Writes all of `data` at `position`. One write may take fewer bytes than asked, as a filling disk
 * does with its last free blocks: taken as done, it would leave a hole that the sidecar and the
 * in-memory sha256 (of every byte received) both vouch for, and a file stored under the right name
 * with the wrong bytes. Writing on makes the full disk throw ENOSPC here instead.
 */
async function writeFully(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let done = 0; done < data.length;) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    if (bytesWritten === 0) throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

async function readSidecar(path: string): Promise<Sidecar | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<Sidecar>;
    const valid = value.v === 1 && typeof value.fileid === 'string' && Number.isSafeInteger(value.offset) && value.offset! >= 0
      && typeof value.indexbuf === 'string' && typeof value.finished === 'boolean';
    return valid ? (value as Sidecar) : undefined;
  } catch {
    // Missing, or cut short by a crash mid-write of the temporary (the rename never happened): start over.
    return undefined;
  }
}
