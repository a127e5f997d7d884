import { crc32 } from 'node:zlib';
import { UNIT, type Layout } from './padding.ts';

/**
 * Where pictures take filler and stay valid pictures: JPEG comment segments right after the JFIF
 * header, PNG private ancillary chunks before IEND, GIF comment extensions before the trailer.
 * Decoders skip all three by their lengths.
 */

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** Comment text for formats whose comments should be text: letters drawn from the random bytes. */
export function letters(random: Buffer): Buffer {
  const out = Buffer.alloc(random.length);
  for (let i = 0; i < random.length; i++) out[i] = 0x61 + (random[i] % 26);
  return out;
}

/** JPEG: COM segments (FF FE, 2-byte length including itself) after SOI and the APPn headers. */
export function jpegLayout(kind: string, file: Buffer): Layout {
  if (file[0] !== 0xff || file[1] !== 0xd8) throw new Error(`${kind}: not a JPEG`);
  let at = 2;
  while (file[at] === 0xff && file[at + 1] >= 0xe0 && file[at + 1] <= 0xef) at += 2 + file.readUInt16BE(at + 2);
  const end = file.subarray(at);
  const segment = (data: Buffer) => Buffer.concat([Buffer.from([0xff, 0xfe]), u16(data.length + 2), data]);
  return {
    kind: 'jpeg',
    head: file.subarray(0, at),
    unitSize: UNIT,
    unit: (random) => segment(random.subarray(0, UNIT - 4)),
    finish: ({ random, unique }) => {
      const data = Buffer.concat([random, unique]);
      const parts: Buffer[] = [];
      for (let from = 0; from < data.length; from += 65533) parts.push(segment(data.subarray(from, from + 65533)));
      return Buffer.concat([...parts, end]);
    },
  };
}

/** PNG: `waRc` chunks (ancillary, private, safe to copy) before IEND, each with its CRC. */
export function pngLayout(kind: string, file: Buffer): Layout {
  const iend = file.subarray(file.length - 12);
  if (file.readUInt32BE(0) !== 0x89504e47 || iend.toString('latin1', 4, 8) !== 'IEND') throw new Error(`${kind}: not a PNG ending in IEND`);
  const type = Buffer.from('waRc', 'latin1');
  const chunk = (data: Buffer) => Buffer.concat([u32(data.length), type, data, u32(crc32(data, crc32(type)))]);
  return {
    kind: 'png',
    head: file.subarray(0, file.length - 12),
    unitSize: UNIT,
    unit: (random) => chunk(random.subarray(0, UNIT - 12)),
    finish: ({ random, unique }) => Buffer.concat([chunk(Buffer.concat([random, unique])), iend]),
  };
}

/** GIF: comment extensions (21 FE, sub-blocks of ≤ 255 bytes, 00) before the 3B trailer. */
export function gifLayout(kind: string, file: Buffer): Layout {
  if (file.toString('latin1', 0, 4) !== 'GIF8' || file[file.length - 1] !== 0x3b) throw new Error(`${kind}: not a GIF`);
  const comment = (text: Buffer) => {
    const parts: Buffer[] = [Buffer.from([0x21, 0xfe])];
    for (let from = 0; from < text.length; from += 255) {
      const block = text.subarray(from, from + 255);
      parts.push(Buffer.from([block.length]), block);
    }
    parts.push(Buffer.from([0]));
    return Buffer.concat(parts);
  };
  // 63 full sub-blocks: 2 + 63 × 256 + 1 bytes.
  const unitSize = 2 + 63 * 256 + 1;
  return {
    kind: 'gif',
    head: file.subarray(0, file.length - 1),
    unitSize,
    unit: (random) => comment(letters(random.subarray(0, 63 * 255))),
    finish: ({ random, unique }) => Buffer.concat([comment(Buffer.concat([letters(random), Buffer.from(unique.toString('hex'), 'latin1')])), Buffer.from([0x3b])]),
  };
}
