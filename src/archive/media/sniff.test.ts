import { describe, expect, it } from 'vitest';
import { OCTET_STREAM, sniffMime } from './sniff.ts';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** A zip local header for `name` with `size` stored bytes after it. */
function member(name: string, size: number, flags = 0): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(flags, 6);
  header.writeUInt32LE(size, 18);
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([header, Buffer.from(name), Buffer.alloc(size)]);
}

describe('sniffMime', () => {
  it('knows files by their first bytes, whatever they are called', () => {
    expect(sniffMime(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMime(bytes([0x89], 'PNG\r\n\x1a\n'))).toBe('image/png');
    expect(sniffMime(bytes('GIF89a'))).toBe('image/gif');
    expect(sniffMime(bytes('#!AMR\n', [0x3c]))).toBe('audio/amr');
    expect(sniffMime(bytes('#!AMR-WB\n'))).toBe('audio/amr-wb');
    expect(sniffMime(bytes([0x02], '#!SILK_V3'))).toBe('audio/silk');
    expect(sniffMime(bytes('ID3', [3, 0]))).toBe('audio/mpeg');
    expect(sniffMime(bytes([0xff, 0xfb, 0x94, 0xc4]))).toBe('audio/mpeg');
    expect(sniffMime(bytes([0, 0, 0, 0x18], 'ftypisom'))).toBe('video/mp4');
    expect(sniffMime(bytes([0, 0, 0, 0x14], 'ftypqt  '))).toBe('video/quicktime');
    expect(sniffMime(bytes([0, 0, 0, 0x20], 'ftypM4A '))).toBe('audio/mp4');
    expect(sniffMime(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffMime(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBe('audio/wav');
    expect(sniffMime(bytes('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMime(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe('application/x-ole-storage');
    expect(sniffMime(bytes('Rar!\x1a\x07\x01\x00'))).toBe('application/vnd.rar');
    expect(sniffMime(bytes([0x1f, 0x8b, 8]))).toBe('application/gzip');
  });

  it('tells Office documents from plain zips by their members', () => {
    const ooxml = 'application/vnd.openxmlformats-officedocument';
    expect(sniffMime(Buffer.concat([member('[Content_Types].xml', 40), member('_rels/.rels', 10), member('word/document.xml', 5)]))).toBe(`${ooxml}.wordprocessingml.document`);
    expect(sniffMime(Buffer.concat([member('[Content_Types].xml', 40), member('xl/workbook.xml', 5)]))).toBe(`${ooxml}.spreadsheetml.sheet`);
    expect(sniffMime(Buffer.concat([member('ppt/presentation.xml', 5)]))).toBe(`${ooxml}.presentationml.presentation`);
    expect(sniffMime(Buffer.concat([member('invoice.jpg', 100), member('notes.txt', 5)]))).toBe('application/zip');
    // Sizes after the data (streamed zip): the walk stops, the file is still a zip.
    expect(sniffMime(Buffer.concat([member('a.bin', 0, 0x0008), member('word/document.xml', 5)]))).toBe('application/zip');
  });

  it('calls anything else application/octet-stream', () => {
    expect(sniffMime(Buffer.alloc(0))).toBe(OCTET_STREAM);
    expect(sniffMime(bytes('hello world'))).toBe(OCTET_STREAM);
    expect(sniffMime(bytes([0xff, 0xd8]))).toBe(OCTET_STREAM);
    expect(sniffMime(bytes([0, 0, 0, 0x18], 'ftyp'))).toBe(OCTET_STREAM);
  });
});
