import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Strict structural readers for the file kinds the sandbox serves: each walks the whole file the way
 * a decoder would and throws on anything out of place (a bad CRC, a box or frame that overruns,
 * bytes after the end). What they return is for assertions.
 */

function fail(kind: string, why: string): never {
  throw new Error(`${kind}: ${why}`);
}

export function readJpeg(b: Buffer): { segments: number; comments: number } {
  if (b[0] !== 0xff || b[1] !== 0xd8) fail('jpeg', 'no SOI');
  let at = 2;
  let segments = 0;
  let comments = 0;
  for (;;) {
    if (b[at] !== 0xff) fail('jpeg', `no marker at ${at}`);
    const marker = b[at + 1];
    if (marker === 0xd9) {
      if (at + 2 !== b.length) fail('jpeg', `${b.length - at - 2} bytes after EOI`);
      return { segments, comments };
    }
    const length = b.readUInt16BE(at + 2);
    if (at + 2 + length > b.length) fail('jpeg', `segment at ${at} overruns`);
    segments++;
    if (marker === 0xfe) comments++;
    at += 2 + length;
    if (marker === 0xda) {
      // Entropy-coded data: up to a marker that is neither a stuffed 00 nor a restart.
      while (at < b.length && !(b[at] === 0xff && b[at + 1] !== 0x00 && (b[at + 1] < 0xd0 || b[at + 1] > 0xd7))) at++;
    }
  }
}

export function readPng(b: Buffer): { chunks: string[] } {
  if (!b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) fail('png', 'no signature');
  const chunks: string[] = [];
  for (let at = 8; at < b.length;) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > b.length) fail('png', `${type} overruns`);
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== b.readUInt32BE(at + 8 + length)) fail('png', `${type} CRC`);
    chunks.push(type);
    at += 12 + length;
    if (type === 'IEND' && at !== b.length) fail('png', 'bytes after IEND');
  }
  if (chunks[0] !== 'IHDR' || chunks.at(-1) !== 'IEND') fail('png', 'IHDR … IEND expected');
  return { chunks };
}

function skipSubBlocks(b: Buffer, at: number): number {
  while (b[at] !== 0) {
    at += 1 + b[at];
    if (at >= b.length) fail('gif', 'sub-blocks overrun');
  }
  return at + 1;
}

export function readGif(b: Buffer): { images: number; comments: number } {
  if (b.toString('latin1', 0, 6) !== 'GIF89a') fail('gif', 'no GIF89a header');
  const flags = b[10];
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  let images = 0;
  let comments = 0;
  for (;;) {
    const block = b[at];
    if (block === 0x3b) {
      if (at + 1 !== b.length) fail('gif', 'bytes after the trailer');
      return { images, comments };
    }
    if (block === 0x21) {
      if (b[at + 1] === 0xfe) comments++;
      at = skipSubBlocks(b, at + 2);
    } else if (block === 0x2c) {
      const local = b[at + 9];
      at += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0) + 1;
      at = skipSubBlocks(b, at);
      images++;
    } else fail('gif', `unknown block ${block} at ${at}`);
  }
}

export function readAmr(b: Buffer): { frames: number } {
  if (b.toString('latin1', 0, 6) !== '#!AMR\n' || (b.length - 6) % 32 !== 0) fail('amr', 'not whole 12.2 kbit/s frames');
  for (let at = 6; at < b.length; at += 32) if (b[at] !== 0x3c) fail('amr', `frame header at ${at}`);
  return { frames: (b.length - 6) / 32 };
}

export function readMp3(b: Buffer): { frames: number; id3v1: boolean } {
  if (b.toString('latin1', 0, 3) !== 'ID3') fail('mp3', 'no ID3v2');
  const tagSize = (b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9];
  const id3v1 = b.toString('latin1', b.length - 128, b.length - 125) === 'TAG';
  const end = b.length - (id3v1 ? 128 : 0);
  let frames = 0;
  for (let at = 10 + tagSize; at < end; at += 384) {
    if (b.readUInt32BE(at) !== 0xfffb94c4 || at + 384 > end) fail('mp3', `frame at ${at}`);
    frames++;
  }
  return { frames, id3v1 };
}

/**
 * An MP4 whose boxes tile the file, with an H.264 track (avc1) and its first sample inside an mdat:
 * found through stco (a plain file) or, in a fragmented one (moof + mdat, as Chromium records), through
 * the first moof's trun data offset. The sample is AVCC: a 4-byte NAL length, then the NAL unit.
 */
export function readMp4(b: Buffer): { boxes: string[]; codec: string; firstNalType: number } {
  const boxes: Array<{ type: string; from: number; to: number }> = [];
  for (let at = 0; at < b.length;) {
    const size = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (size < 8 || at + size > b.length) fail('mp4', `${type} box size`);
    boxes.push({ type, from: at, to: at + size });
    at += size;
  }
  const types = boxes.map((box) => box.type);
  if (types[0] !== 'ftyp' || !types.includes('moov') || !types.includes('mdat')) fail('mp4', `boxes ${types.join(',')}`);
  const moov = boxes.find((box) => box.type === 'moov')!;
  const codec = b.indexOf('avc1', moov.from, 'latin1') > 0 && b.indexOf('avc1', moov.from, 'latin1') < moov.to ? 'avc1' : 'unknown';
  const stco = b.indexOf('stco', moov.from, 'latin1');
  let offset: number;
  if (stco > 0 && stco < moov.to && b.readUInt32BE(stco + 8) > 0) offset = b.readUInt32BE(stco + 12);
  else {
    const moof = boxes.find((box) => box.type === 'moof') ?? fail('mp4', 'no stco entry and no moof');
    const trun = b.indexOf('trun', moof.from, 'latin1');
    if (trun < 0 || trun >= moof.to || !(b.readUInt32BE(trun + 4) & 1)) fail('mp4', 'no trun data offset');
    offset = moof.from + b.readInt32BE(trun + 12);
  }
  const mdat = boxes.find((box) => box.type === 'mdat' && offset >= box.from + 8 && offset < box.to) ?? fail('mp4', 'first sample outside every mdat');
  const nalLength = b.readUInt32BE(offset);
  if (nalLength === 0 || offset + 4 + nalLength > mdat.to) fail('mp4', `first NAL length ${nalLength}`);
  return { boxes: types, codec, firstNalType: b[offset + 4]! & 0x1f };
}

export function readPdf(b: Buffer): { objects: number } {
  const text = b.toString('latin1');
  if (!text.startsWith('%PDF-1.') || !text.endsWith('%%EOF\n')) fail('pdf', 'header or %%EOF');
  const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
  if (text.slice(xref, xref + 5) !== 'xref\n') fail('pdf', 'startxref does not point at the xref table');
  const entries = [...text.slice(xref).matchAll(/^(\d{10}) (\d{5}) ([nf]) $/gm)];
  let objects = 0;
  entries.forEach(([, offset, , use], n) => {
    if (use !== 'n') return;
    if (!text.startsWith(`${n} 0 obj`, Number(offset))) fail('pdf', `object ${n} not at ${Number(offset)}`);
    objects++;
  });
  return { objects };
}

/** Every member's CRC checked against its (inflated) data; members and directory tile the file. */
export function readZip(b: Buffer): { names: string[] } {
  const eocd = b.length - 22;
  if (b.readUInt32LE(eocd) !== 0x06054b50) fail('zip', 'no end of central directory at the end');
  const count = b.readUInt16LE(eocd + 10);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (cdOffset + b.readUInt32LE(eocd + 12) !== eocd) fail('zip', 'central directory does not end at its end record');
  const names: string[] = [];
  let expectLocal = 0;
  for (let at = cdOffset, i = 0; i < count; i++) {
    if (b.readUInt32LE(at) !== 0x02014b50) fail('zip', `central entry ${i}`);
    const [flags, method, crc, packed] = [b.readUInt16LE(at + 8), b.readUInt16LE(at + 10), b.readUInt32LE(at + 16), b.readUInt32LE(at + 20)];
    const nameLength = b.readUInt16LE(at + 28);
    const name = b.toString('utf8', at + 46, at + 46 + nameLength);
    const local = b.readUInt32LE(at + 42);
    if (local !== expectLocal || b.readUInt32LE(local) !== 0x04034b50) fail('zip', `${name}: local header not where expected`);
    const dataAt = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const packedData = b.subarray(dataAt, dataAt + packed);
    const data = method === 8 ? inflateRawSync(packedData) : packedData;
    if (crc32(data) !== crc) fail('zip', `${name}: CRC`);
    expectLocal = dataAt + packed;
    if (flags & 0x0008) {
      if (b.readUInt32LE(expectLocal) !== 0x08074b50 || b.readUInt32LE(expectLocal + 4) !== crc) fail('zip', `${name}: data descriptor`);
      expectLocal += 16;
    }
    names.push(name);
    at += 46 + nameLength + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
  }
  if (expectLocal !== cdOffset) fail('zip', 'gap between members and directory');
  return { names };
}
