import { crc32 } from 'node:zlib';
import { UNIT, type Layout } from './padding.ts';

/**
 * Where documents take filler: PDF comment lines before the cross-reference table (whose offset the
 * end then gives anew), a stored `padding.bin` entry in a zip (docx, xlsx, pptx, zip) before its
 * central directory (rewritten to point past it), and plain bytes for kinds we know nothing of.
 */

const BASE64ISH = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');

/** `%…\n` comment lines of at most 128 bytes covering exactly `length` bytes (a lone byte is a newline). */
function commentLines(random: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let at = 0; at < length; at += 128) {
    const line = Math.min(128, length - at);
    if (line === 1) {
      out[at] = 0x0a;
      continue;
    }
    out[at] = 0x25;
    for (let i = 1; i < line - 1; i++) out[at + i] = BASE64ISH[random[at + i] & 63];
    out[at + line - 1] = 0x0a;
  }
  return out;
}

export function pdfLayout(kind: string, file: Buffer): Layout {
  const text = file.toString('latin1');
  const startxref = text.lastIndexOf('startxref');
  const xref = Number(/startxref\s+(\d+)/.exec(text.slice(startxref))?.[1]);
  if (!text.startsWith('%PDF-') || startxref < 0 || text.slice(xref, xref + 4) !== 'xref') throw new Error(`${kind}: not a PDF with an xref table`);
  // Objects sit before the table, so their offsets hold; only startxref moves.
  const table = file.subarray(xref, startxref);
  return {
    kind: 'pdf',
    head: file.subarray(0, xref),
    unitSize: UNIT,
    unit: (random) => commentLines(random, UNIT),
    finish: ({ rest, random, unique, offset }) => {
      const filler = Buffer.concat([commentLines(random, rest), Buffer.from(`%${unique.toString('hex')}\n`, 'latin1')]);
      const end = Buffer.from(`startxref\n${offset + filler.length}\n%%EOF\n`, 'latin1');
      return Buffer.concat([filler, table, end]);
    },
  };
}

const PADDING_NAME = Buffer.from('padding.bin', 'latin1');
const DOS_DATE = 0x21; // 1980-01-01, as the fixtures' entries

/** The end of central directory record: where the central directory starts and how many entries. */
function endOfDirectory(file: Buffer): { at: number; entries: number; cdSize: number; cdOffset: number } {
  for (let at = file.length - 22; at >= Math.max(0, file.length - 22 - 65535); at--) {
    if (file.readUInt32LE(at) === 0x06054b50) {
      return { at, entries: file.readUInt16LE(10 + at), cdSize: file.readUInt32LE(at + 12), cdOffset: file.readUInt32LE(at + 16) };
    }
  }
  throw new Error('no end of central directory');
}

/**
 * A zip grows by one stored entry with a data descriptor (flag bit 3): its local header can be
 * written before its size and crc are known, so it belongs to the head, and the descriptor, the
 * central directory and its end record follow in the finish.
 */
export function zipLayout(kind: string, file: Buffer): Layout {
  if (file.readUInt32LE(0) !== 0x04034b50) throw new Error(`${kind}: not a zip`);
  const eocd = endOfDirectory(file);
  const directory = file.subarray(eocd.cdOffset, eocd.cdOffset + eocd.cdSize);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0008, 6);
  local.writeUInt16LE(DOS_DATE, 12);
  local.writeUInt16LE(PADDING_NAME.length, 26);
  return {
    kind: 'raw',
    head: Buffer.concat([file.subarray(0, eocd.cdOffset), local, PADDING_NAME]),
    unitSize: UNIT,
    unit: (random) => random,
    finish: ({ random, unique, offset, fillerLength, fillerCrc }) => {
      const tail = Buffer.concat([random, unique]);
      const crc = crc32(tail, fillerCrc);
      const size = fillerLength + tail.length;
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(size, 8);
      descriptor.writeUInt32LE(size, 12);
      const entry = Buffer.alloc(46);
      entry.writeUInt32LE(0x02014b50, 0);
      entry.writeUInt16LE(20, 4);
      entry.writeUInt16LE(20, 6);
      entry.writeUInt16LE(0x0008, 8);
      entry.writeUInt16LE(DOS_DATE, 14);
      entry.writeUInt32LE(crc, 16);
      entry.writeUInt32LE(size, 20);
      entry.writeUInt32LE(size, 24);
      entry.writeUInt16LE(PADDING_NAME.length, 28);
      entry.writeUInt32LE(eocd.cdOffset, 42);
      const cdOffset = offset + tail.length + descriptor.length;
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(eocd.entries + 1, 8);
      end.writeUInt16LE(eocd.entries + 1, 10);
      end.writeUInt32LE(directory.length + entry.length + PADDING_NAME.length, 12);
      end.writeUInt32LE(cdOffset, 16);
      return Buffer.concat([tail, descriptor, directory, entry, PADDING_NAME, end]);
    },
  };
}

/** Kinds without a sample: bytes with nothing to sniff, as an unknown attachment would be. */
export function rawLayout(): Layout {
  return {
    kind: 'raw',
    head: Buffer.alloc(0),
    unitSize: UNIT,
    unit: (random) => random,
    finish: ({ random, unique }) => Buffer.concat([random, unique]),
  };
}
