import { SDK_CODE } from '../../wecom/errcodes.ts';
import type { CompanyView } from '../company/view.ts';
import { sealMessage, type ChatDataItem, type KeyRotation } from './envelope.ts';
import { ArchiveFaults } from './faults.ts';
import { ArchiveGenerator } from './generator.ts';
import type { ArchiveKeyPair } from './keys.ts';
import { chunkOf, type Chunk } from './media.ts';
import { RETENTION_MS, Timeline, type IndexRange } from './timeline.ts';

/**
 * The sandbox's chat archive as WeCom's server would hold it at the sandbox clock: what a pull can
 * fetch now (sent already, and inside the 5-day window, archive-sdk.md §5), sealed per message, and
 * the media of those messages. HTTP lives in routes.ts; this is the behaviour.
 */

/** GetChatData returns at most 1000 messages per call (§1.4). */
export const MAX_LIMIT = 1000;

/** Return codes of GetMediaData the sandbox produces (§1.5). */
export const MEDIA_RC = { badRequest: SDK_CODE.PARAMETER_ERROR, unknownFile: SDK_CODE.FILEID_ERROR, expired: SDK_CODE.DATA_EXPIRED } as const;

export interface SandboxArchiveOptions {
  company: CompanyView;
  seed: number;
  timeline: Timeline;
  keys: ArchiveKeyPair[];
  rotations: KeyRotation[];
  now: () => Date;
  faults?: ArchiveFaults;
}

export class SandboxArchive {
  readonly generator: ArchiveGenerator;
  readonly timeline: Timeline;
  readonly faults: ArchiveFaults;
  readonly keys: ReadonlyMap<number, ArchiveKeyPair>;
  readonly rotations: readonly KeyRotation[];
  private readonly seed: number;
  private readonly now: () => Date;

  constructor(options: SandboxArchiveOptions) {
    this.seed = options.seed;
    this.timeline = options.timeline;
    this.generator = new ArchiveGenerator(options.company, options.timeline, options.seed);
    this.keys = new Map(options.keys.map((pair) => [pair.version, pair]));
    this.rotations = options.rotations;
    this.now = options.now;
    this.faults = options.faults ?? new ArchiveFaults();
  }

  /** Indexes a pull can see at the sandbox clock. */
  window(): IndexRange {
    return this.timeline.window(this.now().getTime());
  }

  /** Messages available now. */
  availableCount(): number {
    const { first, last } = this.window();
    return Math.max(0, last - first + 1);
  }

  /**
   * Messages with seq > `afterSeq` inside the window, at most `limit` (an exclusive cursor, §5.2);
   * a cursor older than the window starts at the window's first message (§5.1).
   */
  pull(afterSeq: bigint, limit: number): ChatDataItem[] {
    const { first, last } = this.window();
    const from = afterSeq >= BigInt(this.timeline.count) ? this.timeline.count : Math.max(first, Number(afterSeq));
    const to = Math.min(last, from + Math.min(limit, MAX_LIMIT) - 1);
    const items: ChatDataItem[] = [];
    for (let index = from; index <= to; index++) items.push(this.seal(index));
    return items;
  }

  /** New messages, sent now (a simulated event): the next pull gets them. Seqs are index + 1. */
  append(count: number): { firstSeq: number; lastSeq: number; added: number } {
    const { first, last } = this.timeline.release(count, this.now().getTime());
    return { firstSeq: first + 1, lastSeq: last + 1, added: Math.max(0, last - first + 1) };
  }

  seal(index: number): ChatDataItem {
    const message = this.generator.message(index);
    const fault = this.faults.messageFault(message.seq, message.msgid);
    return sealMessage(message, this.seed, this.keys, this.rotations, fault);
  }

  /** One chunk of a file, or the return code GetMediaData would give. */
  mediaChunk(sdkfileid: string, indexbuf: string): Chunk | { rc: number } {
    const key = this.generator.media.decode(sdkfileid);
    if (!key || key.index >= this.timeline.count) return { rc: MEDIA_RC.unknownFile };
    const now = this.now().getTime();
    const msgtime = this.timeline.msgtime(key.index);
    // A file of a message not sent yet does not exist; one older than the window has expired (§5.1).
    if (key.index > this.timeline.lastAtOrBefore(now)) return { rc: MEDIA_RC.unknownFile };
    if (msgtime < now - RETENTION_MS) return { rc: MEDIA_RC.expired };
    const item = this.generator.message(key.index).media[key.ordinal];
    if (!item) return { rc: MEDIA_RC.unknownFile };
    const { msgtype, ext, sizeHint } = item;
    const bytes = this.generator.media.bytes({ index: key.index, ordinal: key.ordinal, msgtype, ext, sizeHint });
    return chunkOf(bytes, indexbuf) ?? { rc: MEDIA_RC.badRequest };
  }
}
