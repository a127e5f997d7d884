import { createHash, createHmac } from 'node:crypto';
import { sampleFile, type MediaKey, type MediaRequest } from './media/catalogue.ts';

/**
 * The sandbox's media files: the ids that name them and the bytes behind them. An sdkfileid is
 * shaped like WeCom's (archive-sdk.md §2.5: base64 of a protobuf with a 32-hex fileid, an auth key and
 * an AES key) and, like WeCom's, works as a capability: it carries a MAC only this sandbox seed can
 * produce, so a guessed or altered id is refused (10005).
 */

/** A generated file: its size and md5 are known at once, its bytes are produced only when served. */
export interface MediaFile {
  size: number;
  md5: string;
  bytes(): Buffer;
}

/**
 * The one source of media bytes: a real file of the extension's kind (a JPEG photo, GIF/PNG
 * stickers, AMR voice, an MP4 clip, an MP3 recording, PDF and Office documents, a zip), grown to
 * about the requested size with filler its format ignores and made unique to (seed, index,
 * ordinal), except stickers, which repeat (media/catalogue.ts). md5sum and size in messages and the
 * chunks served all derive from what this returns; the md5 costs at most one 16 KB unit of hashing.
 */
export function mediaFile(request: MediaRequest): MediaFile {
  return sampleFile(request);
}

/** Varint-and-length fields, as protobuf encodes them: enough to look like WeCom's ids. */
function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

function field(tag: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag, bytes.length]), bytes]);
}

export class MediaLibrary {
  private readonly macKey: Buffer;
  private readonly recent = new Map<string, Buffer>();
  private recentBytes = 0;
  private static readonly RECENT_LIMIT = 32 * 1024 * 1024;

  constructor(private readonly seed: number) {
    this.macKey = createHash('sha256').update(`wecom-archive-sandbox-media:${seed}`).digest();
  }

  sdkfileid(key: MediaKey): string {
    const mac = createHmac('sha256', this.macKey).update(`${key.index}.${key.ordinal}`).digest();
    return Buffer.concat([
      field(0x0a, Buffer.from(mac.subarray(0, 16).toString('hex'), 'latin1')),
      field(0x12, Buffer.from(mac.subarray(16, 32).toString('base64'), 'latin1')),
      field(0x1a, Buffer.from(createHash('md5').update(mac).digest('hex'), 'latin1')),
      Buffer.from([0x20, ...varint(key.index), 0x28, ...varint(key.ordinal)]),
    ]).toString('base64');
  }

  /** The file an id names, or undefined when this sandbox never issued it. */
  decode(sdkfileid: string): MediaKey | undefined {
    if (typeof sdkfileid !== 'string' || sdkfileid.length > 400) return undefined;
    const bytes = Buffer.from(sdkfileid, 'base64');
    let pos = 0;
    for (let i = 0; i < 3; i++) pos += 2 + (bytes[pos + 1] ?? 0);
    const numbers: number[] = [];
    for (const tag of [0x20, 0x28]) {
      if (bytes[pos++] !== tag) return undefined;
      let value = 0;
      let scale = 1;
      while (pos < bytes.length) {
        const byte = bytes[pos++];
        value += (byte & 0x7f) * scale;
        scale *= 128;
        if (byte < 0x80) break;
      }
      numbers.push(value);
    }
    const key = { index: numbers[0], ordinal: numbers[1] };
    return this.sdkfileid(key) === sdkfileid ? key : undefined;
  }

  /** The file's size and md5 (cheap), as the message declares them. */
  describe(request: Omit<MediaRequest, 'seed'>): MediaFile {
    return mediaFile({ ...request, seed: this.seed });
  }

  /** The file's bytes, kept for a while: a download asks for the same file once per 512 KB chunk. */
  bytes(request: Omit<MediaRequest, 'seed'>): Buffer {
    const cacheKey = `${request.index}.${request.ordinal}`;
    const cached = this.recent.get(cacheKey);
    if (cached) return cached;
    const bytes = this.describe(request).bytes();
    this.recent.set(cacheKey, bytes);
    this.recentBytes += bytes.length;
    for (const [oldKey, old] of this.recent) {
      if (this.recentBytes <= MediaLibrary.RECENT_LIMIT || this.recent.size <= 1) break;
      this.recent.delete(oldKey);
      this.recentBytes -= old.length;
    }
    return bytes;
  }
}

/** GetMediaData serves at most 512 KB per call (archive-sdk.md §1.4). */
export const CHUNK_BYTES = 512 * 1024;

export interface Chunk {
  data: Buffer;
  /** Empty when this chunk finishes the file. */
  outindexbuf: string;
  finished: boolean;
}

/** One chunk for an indexbuf ('' for the first call, else `Range:bytes=a-b`); undefined if malformed. */
export function chunkOf(bytes: Buffer, indexbuf: string): Chunk | undefined {
  let from = 0;
  if (indexbuf) {
    const match = /^Range:bytes=(\d+)-(\d+)$/.exec(indexbuf);
    if (!match) return undefined;
    from = Number(match[1]);
    if (from > Number(match[2]) || (from >= bytes.length && bytes.length > 0)) return undefined;
  }
  const to = Math.min(from + CHUNK_BYTES, bytes.length);
  const finished = to >= bytes.length;
  return {
    data: bytes.subarray(from, to),
    outindexbuf: finished ? '' : `Range:bytes=${to}-${to + CHUNK_BYTES - 1}`,
    finished,
  };
}
