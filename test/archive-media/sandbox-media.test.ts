import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sniffMime } from '../../src/archive/media/sniff.ts';
import { CHUNK_BYTES, mediaFile } from '../../src/sandbox/archive/media.ts';
import { readAmr, readGif, readJpeg, readMp3, readMp4, readPdf, readPng, readZip } from './formats.ts';

// The sandbox serves real files: every kind read back by a strict parser, at sizes from the bare
// sample to several 512 KB chunks, with size and md5 exactly those the messages declare. A video
// is H.264 and starts with a keyframe (NAL type 5, IDR).

const OOXML = 'application/vnd.openxmlformats-officedocument';
const KINDS = [
  { msgtype: 'image', ext: 'jpg', mime: 'image/jpeg', check: (b: Buffer) => expect(readJpeg(b).segments).toBeGreaterThan(3) },
  { msgtype: 'emotion', ext: 'gif', mime: 'image/gif', check: (b: Buffer) => expect(readGif(b).images).toBe(1) },
  { msgtype: 'emotion', ext: 'png', mime: 'image/png', check: (b: Buffer) => expect(readPng(b).chunks).toContain('IDAT') },
  { msgtype: 'voice', ext: 'amr', mime: 'audio/amr', check: (b: Buffer) => expect(readAmr(b).frames).toBeGreaterThanOrEqual(50) },
  { msgtype: 'video', ext: 'mp4', mime: 'video/mp4', check: (b: Buffer) => expect(readMp4(b)).toMatchObject({ codec: 'avc1', firstNalType: 5 }) },
  { msgtype: 'meeting_voice_call', ext: 'mp3', mime: 'audio/mpeg', check: (b: Buffer) => expect(readMp3(b)).toMatchObject({ id3v1: true }) },
  { msgtype: 'file', ext: 'pdf', mime: 'application/pdf', check: (b: Buffer) => expect(readPdf(b).objects).toBe(5) },
  { msgtype: 'file', ext: 'docx', mime: `${OOXML}.wordprocessingml.document`, check: (b: Buffer) => expect(readZip(b).names).toContain('word/document.xml') },
  { msgtype: 'file', ext: 'xlsx', mime: `${OOXML}.spreadsheetml.sheet`, check: (b: Buffer) => expect(readZip(b).names).toContain('xl/workbook.xml') },
  { msgtype: 'voip_doc_share', ext: 'pptx', mime: `${OOXML}.presentationml.presentation`, check: (b: Buffer) => expect(readZip(b).names).toContain('ppt/presentation.xml') },
  { msgtype: 'file', ext: 'zip', mime: 'application/zip', check: (b: Buffer) => expect(readZip(b).names).toEqual(['invoice-001.jpg', 'invoice-002.pdf', 'padding.bin']) },
];

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('sandbox media files', () => {
  for (const kind of KINDS) {
    it(`${kind.ext} (${kind.msgtype}): a valid file at every size, md5 and size as declared`, () => {
      const sizes = kind.msgtype === 'emotion' ? [1] : [0, 20_000, 16 * 1024 * 7 + 5, 3 * CHUNK_BYTES + 12_345];
      for (const [n, sizeHint] of sizes.entries()) {
        const file = mediaFile({ seed: 3, index: 40 + n, ordinal: 1, msgtype: kind.msgtype, ext: kind.ext, sizeHint });
        const bytes = file.bytes();
        expect(bytes.length).toBe(file.size);
        expect(md5(bytes)).toBe(file.md5);
        kind.check(bytes);
        expect(sniffMime(bytes.subarray(0, 64 * 1024))).toBe(kind.mime);
        // Within a unit of filler of what was asked: the generator's sizes stay meaningful.
        if (sizeHint > 20_000) expect(Math.abs(file.size - sizeHint)).toBeLessThan(17 * 1024);
      }
    });
  }

  it('grows large files over three or more 512 KB chunks', () => {
    const file = mediaFile({ seed: 3, index: 9, ordinal: 0, msgtype: 'video', ext: 'mp4', sizeHint: 2_500_000 });
    expect(Math.ceil(file.size / CHUNK_BYTES)).toBeGreaterThanOrEqual(4);
    readMp4(file.bytes());
  });

  it('makes every file unique to (seed, message, position) except stickers, which repeat', () => {
    const image = (seed: number, index: number, ordinal: number) => mediaFile({ seed, index, ordinal, msgtype: 'image', ext: 'jpg', sizeHint: 50_000 }).md5;
    expect(new Set([image(1, 1, 0), image(1, 2, 0), image(1, 1, 1), image(2, 1, 0)]).size).toBe(4);
    expect(image(1, 1, 0)).toBe(image(1, 1, 0));
    for (const ext of ['gif', 'png']) {
      const stickers = Array.from({ length: 60 }, (_, index) => mediaFile({ seed: 1, index, ordinal: 0, msgtype: 'emotion', ext, sizeHint: index * 1000 }));
      const distinct = new Map(stickers.map((s) => [s.md5, s.size]));
      expect(distinct.size).toBeGreaterThan(1);
      expect(distinct.size).toBeLessThanOrEqual(4);
    }
  });

  it('serves bytes with no recognisable type for an extension it has no sample of', () => {
    const file = mediaFile({ seed: 1, index: 1, ordinal: 0, msgtype: 'file', ext: 'xyz', sizeHint: 40_000 });
    expect(file.size).toBe(40_000);
    expect(sniffMime(file.bytes())).toBe('application/octet-stream');
  });
});
