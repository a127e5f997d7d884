/**
 * The MIME type of a downloaded file, from its first bytes (magic numbers), never from the name or
 * the message type: WeCom's `fileext` is whatever the sender's file was called, and a mislabelled
 * file must not be served as something it is not. Unknown bytes are application/octet-stream.
 */

export const OCTET_STREAM = 'application/octet-stream';

/** How many leading bytes sniffing may look at (zip member names sit a little way in). */
export const SNIFF_BYTES = 64 * 1024;

const OOXML = 'application/vnd.openxmlformats-officedocument';

interface Magic {
  /** Bytes at `offset` (latin1 string or byte array). */
  bytes: string | number[];
  offset?: number;
  mime: string;
}

/** In order: more specific signatures before the ones they start with. */
const MAGICS: Magic[] = [
  { bytes: [0xff, 0xd8, 0xff], mime: 'image/jpeg' },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], mime: 'image/png' },
  { bytes: 'GIF87a', mime: 'image/gif' },
  { bytes: 'GIF89a', mime: 'image/gif' },
  { bytes: 'BM', mime: 'image/bmp' },
  { bytes: '#!AMR-WB\n', mime: 'audio/amr-wb' },
  { bytes: '#!AMR\n', mime: 'audio/amr' },
  // WeChat-family voice is often SILK v3 (with or without a leading 0x02).
  { bytes: '#!SILK_V3', mime: 'audio/silk' },
  { bytes: '\x02#!SILK_V3', mime: 'audio/silk' },
  { bytes: 'ID3', mime: 'audio/mpeg' },
  { bytes: 'OggS', mime: 'audio/ogg' },
  { bytes: 'fLaC', mime: 'audio/flac' },
  { bytes: '%PDF-', mime: 'application/pdf' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], mime: 'application/x-ole-storage' },
  { bytes: 'Rar!\x1a\x07', mime: 'application/vnd.rar' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], mime: 'application/x-7z-compressed' },
  { bytes: [0x1f, 0x8b], mime: 'application/gzip' },
  { bytes: [0x1a, 0x45, 0xdf, 0xa3], mime: 'video/webm' },
];

function startsWith(head: Buffer, magic: Magic): boolean {
  const expected = typeof magic.bytes === 'string' ? Buffer.from(magic.bytes, 'latin1') : Buffer.from(magic.bytes);
  const at = magic.offset ?? 0;
  return head.length >= at + expected.length && head.subarray(at, at + expected.length).equals(expected);
}

/** ISO BMFF (`ftyp` at 4): the major brand tells MP4 video, M4A audio, QuickTime and HEIC apart. */
function isoMedia(head: Buffer): string | undefined {
  if (head.length < 12 || head.toString('latin1', 4, 8) !== 'ftyp') return undefined;
  const brand = head.toString('latin1', 8, 12);
  if (brand === 'qt  ') return 'video/quicktime';
  if (brand === 'M4A ' || brand === 'M4B ') return 'audio/mp4';
  if (brand === 'heic' || brand === 'heix' || brand === 'mif1') return 'image/heic';
  if (brand.startsWith('3gp')) return 'video/3gpp';
  return 'video/mp4';
}

/** RIFF containers: WAVE, WEBP, AVI. */
function riff(head: Buffer): string | undefined {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF') return undefined;
  const form = head.toString('latin1', 8, 12);
  return form === 'WAVE' ? 'audio/wav' : form === 'WEBP' ? 'image/webp' : form === 'AVI ' ? 'video/x-msvideo' : undefined;
}

/** MPEG audio without an ID3 tag: a frame sync (11 set bits) with a valid layer. */
function mpegAudio(head: Buffer): string | undefined {
  if (head.length < 2 || head[0] !== 0xff || (head[1] & 0xe0) !== 0xe0) return undefined;
  const layer = (head[1] >> 1) & 0x03;
  if (layer === 0) return undefined;
  // ADTS AAC uses layer bits 00, caught above; layer I–III are MPEG audio.
  return 'audio/mpeg';
}

/**
 * A zip is an Office document when its members say so: walks the local headers in `head` (names of
 * members written with sizes up front) looking for word/, xl/ or ppt/.
 */
function zipKind(head: Buffer): string {
  let at = 0;
  while (at + 30 <= head.length && head.readUInt32LE(at) === 0x04034b50) {
    const flags = head.readUInt16LE(at + 6);
    const packed = head.readUInt32LE(at + 18);
    const nameLength = head.readUInt16LE(at + 26);
    const extraLength = head.readUInt16LE(at + 28);
    const name = head.toString('utf8', at + 30, Math.min(head.length, at + 30 + nameLength));
    if (name.startsWith('word/')) return `${OOXML}.wordprocessingml.document`;
    if (name.startsWith('xl/')) return `${OOXML}.spreadsheetml.sheet`;
    if (name.startsWith('ppt/')) return `${OOXML}.presentationml.presentation`;
    // Sizes come after the data (bit 3): the next header cannot be found from here.
    if (flags & 0x0008) break;
    at += 30 + nameLength + extraLength + packed;
  }
  return 'application/zip';
}

export function sniffMime(head: Buffer): string {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return zipKind(head);
  for (const magic of MAGICS) if (startsWith(head, magic)) return magic.mime;
  return isoMedia(head) ?? riff(head) ?? mpegAudio(head) ?? OCTET_STREAM;
}
