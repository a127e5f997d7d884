import { createCipheriv, createHash, createHmac, type Hash } from 'node:crypto';

/**
 * The sandbox's media files: the ids that name them and the bytes behind them. An sdkfileid is
 * shaped like WeCom's (archive-sdk.md §2.5: base64 of a protobuf with a 32-hex fileid, an auth key and
 * an AES key) and, like WeCom's, works as a capability: it carries a MAC only this sandbox seed can
 * produce, so a guessed or altered id is refused (10005).
 */

export interface MediaKey {
  /** The message's index in the archive. */
  index: number;
  /** The file's position among the message's files, depth first (nested items included). */
  ordinal: number;
}

export interface MediaRequest extends MediaKey {
  seed: number;
  msgtype: string;
  /** The file's extension (jpg, amr, mp4, gif, png, pdf, …): decides its magic bytes. */
  ext: string;
  /** The size the generator wants; a byte source may return another (real images will). */
  sizeHint: number;
}

/** Magic bytes at the start of each kind of file, so type sniffing in the product sees what it expects. */
const ZIP = Buffer.from('504b0304', 'hex');
const MAGIC: Record<string, Buffer> = {
  jpg: Buffer.from('ffd8ffe000104a46494600', 'hex'),
  png: Buffer.from('89504e470d0a1a0a', 'hex'),
  gif: Buffer.from('GIF89a', 'latin1'),
  amr: Buffer.from('#!AMR\n', 'latin1'),
  mp4: Buffer.from('000000186674797069736f6d', 'hex'),
  mp3: Buffer.from('ID3', 'latin1'),
  pdf: Buffer.from('%PDF-1.7\n', 'latin1'),
  docx: ZIP, xlsx: ZIP, pptx: ZIP, zip: ZIP,
};

/** A generated file: its size and md5 are known at once, its bytes are produced only when served. */
export interface MediaFile {
  size: number;
  md5: string;
  bytes(): Buffer;
}

/**
 * Every file is the type's magic bytes, a stretch of one shared pseudo-random pool, and 32 bytes
 * unique to (seed, index, ordinal). The md5 of the pool after every 16 KB is precomputed per magic,
 * so a file's md5 costs at most 16 KB of hashing: a million-message archive would otherwise hash
 * gigabytes just to write md5sum fields.
 */
const POOL_BYTES = 4 * 1024 * 1024;
const CHECKPOINT_BYTES = 16 * 1024;
const TAIL_BYTES = 32;
let pool: Buffer | undefined;
const checkpoints = new Map<string, Hash[]>();

function poolBytes(): Buffer {
  if (!pool) {
    const key = createHash('sha256').update('wecom-archive-sandbox-media-pool').digest();
    pool = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32)).update(Buffer.alloc(POOL_BYTES));
  }
  return pool;
}

function checkpointsFor(magic: Buffer, ext: string): Hash[] {
  let states = checkpoints.get(ext);
  if (!states) {
    const body = poolBytes();
    const hash = createHash('md5').update(magic);
    states = [hash.copy()];
    for (let from = 0; from < POOL_BYTES; from += CHECKPOINT_BYTES) {
      hash.update(body.subarray(from, from + CHECKPOINT_BYTES));
      states.push(hash.copy());
    }
    checkpoints.set(ext, states);
  }
  return states;
}

/**
 * The one source of media bytes. For now: the type's magic bytes and deterministic pseudo-random
 * content of the requested size; part 2 of the archive work replaces this function with real images,
 * and everything else (md5sum and size in messages, chunks served) derives from what it returns.
 */
export function mediaFile(request: MediaRequest): MediaFile {
  const magic = MAGIC[request.ext] ?? Buffer.alloc(0);
  const tail = createHash('sha256').update(`media:${request.seed}:${request.index}:${request.ordinal}`).digest();
  const size = Math.max(magic.length + TAIL_BYTES, Math.min(request.sizeHint, POOL_BYTES + magic.length + TAIL_BYTES));
  const bodyLength = size - magic.length - TAIL_BYTES;
  const body = poolBytes();
  const at = Math.floor(bodyLength / CHECKPOINT_BYTES);
  const hash = checkpointsFor(magic, request.ext)[at].copy();
  hash.update(body.subarray(at * CHECKPOINT_BYTES, bodyLength)).update(tail);
  return {
    size,
    md5: hash.digest('hex'),
    bytes: () => Buffer.concat([magic, body.subarray(0, bodyLength), tail]),
  };
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
