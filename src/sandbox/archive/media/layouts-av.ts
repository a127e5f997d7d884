import { UNIT, type Layout } from './padding.ts';

/**
 * Where sound and video take filler: more AMR frames, more silent MP3 frames closed by an ID3v1
 * tag, and MP4 `free` boxes after the movie. Players read every one of them as what it is.
 */

/** AMR-NB 12.2 kbit/s frames: a 0x3C header byte and 31 bytes of payload (any payload decodes). */
const AMR_FRAME = 32;

function amrFrames(random: Buffer): Buffer {
  const frames = Math.floor(random.length / AMR_FRAME);
  const out = Buffer.from(random.subarray(0, frames * AMR_FRAME));
  for (let f = 0; f < frames; f++) out[f * AMR_FRAME] = 0x3c;
  return out;
}

export function amrLayout(kind: string, file: Buffer): Layout {
  if (file.toString('latin1', 0, 6) !== '#!AMR\n' || (file.length - 6) % AMR_FRAME !== 0) throw new Error(`${kind}: not 12.2 kbit/s AMR`);
  return {
    kind: 'amr',
    head: file,
    unitSize: UNIT,
    unit: amrFrames,
    // The unique bytes ride in one more frame's payload; the file stays whole frames.
    finish: ({ random, unique }) => Buffer.concat([amrFrames(random), Buffer.from([0x3c]), unique.subarray(0, 31)]),
  };
}

/** MPEG-1 Layer III, 48 kHz, 128 kbit/s, mono: 384-byte frames; all-zero side info is silence. */
const MP3_FRAME = 384;
const SILENT_FRAME = Buffer.alloc(MP3_FRAME);
SILENT_FRAME.set([0xff, 0xfb, 0x94, 0xc4]);
const MP3_FRAMES_PER_UNIT = 42;
/** Every MP3 unit is the same silence: one buffer serves them all. */
let silentUnit: Buffer | undefined;

function silence(frames: number): Buffer {
  return Buffer.concat(Array.from({ length: frames }, () => SILENT_FRAME));
}

/** ID3v1: 128 bytes at the very end; the file's unique bytes go in its comment field. */
function id3v1(unique: Buffer): Buffer {
  const tag = Buffer.alloc(128);
  tag.write('TAG', 0, 'latin1');
  tag.write('wecom-archive sandbox', 3, 'latin1');
  tag.write('WeCom sandbox', 33, 'latin1');
  tag.write('meeting recordings', 63, 'latin1');
  tag.write('2025', 93, 'latin1');
  tag.write(unique.toString('hex').slice(0, 28), 97, 'latin1');
  tag[126] = 1;
  tag[127] = 12;
  return tag;
}

export function mp3Layout(kind: string, file: Buffer): Layout {
  if (file.toString('latin1', 0, 3) !== 'ID3') throw new Error(`${kind}: not an MP3 with an ID3v2 tag`);
  return {
    kind: 'mp3',
    head: file,
    unitSize: MP3_FRAME * MP3_FRAMES_PER_UNIT,
    unit: () => (silentUnit ??= silence(MP3_FRAMES_PER_UNIT)),
    finish: ({ rest, unique }) => Buffer.concat([silence(Math.floor(rest / MP3_FRAME)), id3v1(unique)]),
  };
}

function freeBox(data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length + 8);
  header.write('free', 4, 'latin1');
  return Buffer.concat([header, data]);
}

/** MP4: top-level `free` boxes after mdat, so no offset inside the movie moves. */
export function mp4Layout(kind: string, file: Buffer): Layout {
  if (file.toString('latin1', 4, 8) !== 'ftyp') throw new Error(`${kind}: not an MP4`);
  return {
    kind: 'mp4',
    head: file,
    unitSize: UNIT,
    unit: (random) => freeBox(random.subarray(0, UNIT - 8)),
    finish: ({ random, unique }) => freeBox(Buffer.concat([random, unique])),
  };
}
