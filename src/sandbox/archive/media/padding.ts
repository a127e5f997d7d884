import { createCipheriv, createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Real sample files grown to the sizes the sandbox's messages declare, cheaply. A file is
 *
 *   head · filler unit 0 · … · filler unit k-1 · finish
 *
 * where head is a real file's beginning, each filler unit is something its format allows and
 * ignores (a JPEG COM segment, a PNG private chunk, an MP4 `free` box, silent MP3 frames …) and the
 * finish carries the last filler bytes, 32 bytes unique to the file and the file's end (which may
 * have to point back into it: a PDF's startxref, a zip's central directory).
 *
 * The units are the same for every file of a layout, so md5 (and crc32, for zip) after each unit is
 * computed once and kept: a file's md5 then costs hashing one finish (≤ one unit plus the end), not
 * megabytes. A million-message archive writes a million md5sum fields.
 */

export interface Finish {
  /** Filler bytes still wanted after the whole units (0 ≤ rest < unitSize); a format may round. */
  rest: number;
  /** Deterministic pseudo-random bytes to make those filler bytes from (`rest` of them). */
  random: Buffer;
  /** 32 bytes unique to this file (or to this sticker: the same sticker is the same file). */
  unique: Buffer;
  /** Bytes before the finish: head plus the whole units. */
  offset: number;
  /** Length and crc32 of the whole units (a zip entry's descriptor needs them). */
  fillerLength: number;
  fillerCrc: number;
}

export interface Layout {
  /** Names the cache of units; layouts whose units differ need different kinds. */
  kind: string;
  head: Buffer;
  unitSize: number;
  /** Filler unit made from `random` (unitSize pseudo-random bytes); the same for every file. */
  unit(random: Buffer): Buffer;
  finish(finish: Finish): Buffer;
}

export interface PaddedFile {
  size: number;
  md5: string;
  bytes(): Buffer;
}

/** The filler unit most layouts use (GIF's sub-blocks make it another size). */
export const UNIT = 16 * 1024;

/** Pseudo-random bytes shared by every layout: AES-CTR of zeros under a fixed key (fast, reproducible). */
const POOL_BYTES = 4 * 1024 * 1024;
let pool: Buffer | undefined;

function poolBytes(): Buffer {
  if (!pool) {
    const key = createHash('sha256').update('wecom-archive-sandbox-media-pool').digest();
    pool = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32)).update(Buffer.alloc(POOL_BYTES));
  }
  return pool;
}

const unitsByKind = new Map<string, Buffer[]>();

/** Units of a layout, built as far as asked (memory follows the largest file served, ≤ 4 MB a kind). */
function unitsOf(layout: Layout, count: number): Buffer[] {
  let units = unitsByKind.get(layout.kind);
  if (!units) unitsByKind.set(layout.kind, (units = []));
  const random = poolBytes();
  while (units.length < count) {
    const at = units.length * layout.unitSize;
    const unit = layout.unit(random.subarray(at, at + layout.unitSize));
    if (unit.length !== layout.unitSize) throw new Error(`${layout.kind} unit is ${unit.length} bytes, not ${layout.unitSize}`);
    units.push(unit);
  }
  return units;
}

export class PaddedSource {
  /** md5 and crc32 after 0, 1, 2 … whole units. */
  private readonly md5s: Hash[];
  private readonly crcs: number[] = [0];
  readonly maxUnits: number;
  /** What a finish adds besides its filler: so a file comes out close to the size asked for. */
  private readonly overhead: number;

  constructor(readonly layout: Layout) {
    this.md5s = [createHash('md5').update(layout.head)];
    this.maxUnits = Math.floor(POOL_BYTES / layout.unitSize) - 1;
    this.overhead = this.finishFor(0, Buffer.alloc(32)).finish.length;
  }

  /** A file close to `sizeHint` bytes (never below head plus finish), unique by `unique`. */
  file(sizeHint: number, unique: Buffer): PaddedFile {
    const filler = Math.max(0, Math.floor(sizeHint) - this.layout.head.length - this.overhead);
    const { units, finish } = this.finishFor(filler, unique);
    const md5 = this.md5s[units].copy().update(finish).digest('hex');
    const layout = this.layout;
    return {
      size: layout.head.length + units * layout.unitSize + finish.length,
      md5,
      bytes: () => Buffer.concat([layout.head, ...unitsOf(layout, units).slice(0, units), finish]),
    };
  }

  private finishFor(filler: number, unique: Buffer): { units: number; finish: Buffer } {
    const { unitSize } = this.layout;
    const units = Math.min(Math.floor(filler / unitSize), this.maxUnits);
    const rest = Math.min(filler - units * unitSize, unitSize - 1);
    this.checkpoints(units);
    const at = units * unitSize;
    const finish = this.layout.finish({
      rest,
      random: poolBytes().subarray(at, at + rest),
      unique,
      offset: this.layout.head.length + at,
      fillerLength: at,
      fillerCrc: this.crcs[units],
    });
    return { units, finish };
  }

  private checkpoints(count: number): void {
    if (this.md5s.length > count) return;
    const units = unitsOf(this.layout, count);
    const hash = this.md5s[this.md5s.length - 1].copy();
    for (let i = this.md5s.length - 1; i < count; i++) {
      hash.update(units[i]);
      this.md5s.push(hash.copy());
      this.crcs.push(crc32(units[i], this.crcs[i]));
    }
  }
}
