import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../util/project-root.ts';
import { amrLayout, mp3Layout, mp4Layout } from './layouts-av.ts';
import { pdfLayout, rawLayout, zipLayout } from './layouts-doc.ts';
import { gifLayout, jpegLayout, pngLayout } from './layouts-image.ts';
import { PaddedSource, type Layout, type PaddedFile } from './padding.ts';

/** Which media file of the archive a request names (declared here, the byte source: media.ts imports it). */
export interface MediaKey {
  /** The message's index in the archive. */
  index: number;
  /** The file's position among the message's files, depth first (nested items included). */
  ordinal: number;
}

export interface MediaRequest extends MediaKey {
  seed: number;
  msgtype: string;
  /** The file's extension (jpg, amr, mp4, gif, png, pdf, …): decides which kind of real file it is. */
  ext: string;
  /** The size the generator wants; a byte source may return another (real images will). */
  sizeHint: number;
}

/**
 * Which real sample file (fixtures/media, made by make-fixtures.ts) stands behind each extension,
 * and how it is grown. Stickers are the exception to "every file unique": people send the same
 * sticker again and again, so an emotion is one of a few fixed files, byte for byte the same
 * wherever it appears (the product must store it once).
 */

const FIXTURES = join(PROJECT_ROOT, 'fixtures', 'media');

type MakeLayout = (name: string, file: Buffer) => Layout;

/** ext → sample file(s) and the layout that pads them; the first sample is the default. */
const SAMPLES: Record<string, { files: string[]; layout: MakeLayout }> = {
  jpg: { files: ['photo.jpg'], layout: jpegLayout },
  png: { files: ['sticker-1.png', 'sticker-2.png'], layout: pngLayout },
  gif: { files: ['sticker-1.gif', 'sticker-2.gif'], layout: gifLayout },
  amr: { files: ['voice.amr'], layout: amrLayout },
  mp4: { files: ['clip.mp4'], layout: mp4Layout },
  mp3: { files: ['recording.mp3'], layout: mp3Layout },
  pdf: { files: ['document.pdf'], layout: pdfLayout },
  docx: { files: ['document.docx'], layout: zipLayout },
  xlsx: { files: ['sheet.xlsx'], layout: zipLayout },
  pptx: { files: ['slides.pptx'], layout: zipLayout },
  zip: { files: ['archive.zip'], layout: zipLayout },
};
SAMPLES.jpeg = SAMPLES.jpg;

const sources = new Map<string, PaddedSource>();

function source(ext: string, variant: number): PaddedSource {
  const sample = SAMPLES[ext];
  const name = sample ? sample.files[variant % sample.files.length] : '';
  let found = sources.get(name);
  if (!found) {
    found = new PaddedSource(sample ? sample.layout(name, readFileSync(join(FIXTURES, name))) : rawLayout());
    sources.set(name, found);
  }
  return found;
}

/** Stickers per (seed, ext): few enough that a small archive repeats them. */
export const STICKER_VARIANTS = 4;
const KB = 1024;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function sampleFile(request: MediaRequest): PaddedFile {
  const ext = request.ext.toLowerCase();
  if (request.msgtype === 'emotion') {
    const pick = digest(`sticker-pick:${request.seed}:${request.index}:${request.ordinal}`);
    const variant = pick.readUInt32BE(0) % STICKER_VARIANTS;
    const identity = digest(`sticker:${request.seed}:${ext}:${variant}`);
    // A sticker's size belongs to the sticker, not to the message that sends it.
    const size = 5 * KB + (identity.readUInt32BE(0) % (145 * KB));
    return source(ext, variant).file(size, identity);
  }
  const unique = digest(`media:${request.seed}:${request.index}:${request.ordinal}`);
  return source(ext, 0).file(request.sizeHint, unique);
}
