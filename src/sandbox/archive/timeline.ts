import { hash32 } from '../random.ts';

/**
 * When each archived message was sent. Message i's time is a pure function of (seed, i) and the
 * anchor, strictly increasing in i, and invertible in O(1): a pull asking "which messages lie inside
 * the 5-day window now" costs two divisions however large the archive is.
 */

export const DAY_MS = 86_400_000;
/** WeCom keeps archived messages for 5 days, counted back from the pull (archive-sdk.md §5.1). */
export const RETENTION_MS = 5 * DAY_MS;

export interface TimelineOptions {
  seed: number;
  count: number;
  /** Time of the end of the timeline (UTC ms): the last message is sent just before it. */
  end: number;
  spanMs: number;
}

/** An inclusive index range; empty when `first > last`. */
export interface IndexRange {
  first: number;
  last: number;
}

export class Timeline {
  readonly count: number;
  readonly start: number;
  readonly end: number;
  /** Mean spacing; each message sits at a jittered point of its own slot, so times never tie. */
  private readonly gap: number;
  private readonly seed: number;

  constructor(options: TimelineOptions) {
    if (options.count < 1) throw new RangeError('an archive needs at least one message');
    this.count = options.count;
    this.gap = Math.floor(options.spanMs / options.count);
    if (this.gap < 2) throw new RangeError('too many messages for the time span');
    this.seed = options.seed;
    this.end = options.end;
    this.start = options.end - this.gap * options.count;
  }

  /** Messages sent earlier than planned (`release`): index → new time, each ≤ its planned time. */
  private readonly early = new Map<number, number>();
  /** Each release: from `at` on, every index up to `through` is sent. */
  private readonly releases: Array<{ at: number; through: number }> = [];

  msgtime(index: number): number {
    return this.early.get(index) ?? this.planned(index);
  }

  private planned(index: number): number {
    return this.start + index * this.gap + (hash32(this.seed, 0x7a11, index) % (this.gap - 1));
  }

  /** The last index sent at or before `time`; -1 when none. */
  lastAtOrBefore(time: number): number {
    if (time < this.start) return -1;
    let index = Math.min(this.count - 1, Math.floor((time - this.start) / this.gap));
    while (index >= 0 && this.planned(index) > time) index--;
    for (const release of this.releases) if (release.at <= time) index = Math.max(index, release.through);
    return index;
  }

  /**
   * Sends up to `count` of the next planned messages at `now` (new messages, as a simulated event
   * makes them). Their times become `now` minus a millisecond per later message, kept strictly after
   * the message before them (so with a frozen clock a second release lands a few ms after `now`) and
   * never after their planned time. Returns the indexes released (empty when none are left).
   */
  release(count: number, now: number): IndexRange {
    const first = this.lastAtOrBefore(now) + 1;
    const last = Math.min(this.count - 1, first + count - 1);
    for (let index = first; index <= last; index++) {
      const previous = index > 0 ? this.msgtime(index - 1) : Number.NEGATIVE_INFINITY;
      this.early.set(index, Math.min(this.planned(index), Math.max(previous + 1, now - (last - index))));
    }
    if (last >= first) this.releases.push({ at: now, through: last });
    return { first, last };
  }

  /** Messages a pull can see at `now`: already sent, and not older than the retention window. */
  window(now: number): IndexRange {
    return { first: this.lastAtOrBefore(now - RETENTION_MS - 1) + 1, last: this.lastAtOrBefore(now) };
  }
}

/**
 * The default end of the timeline: the end of the (UTC) day the sandbox starts in. Runs on the same
 * day, or with the same `--now`, get identical times; with a real clock the rest of the day's
 * messages arrive as time passes, the latest ones always near now.
 */
export function defaultTimelineEnd(now: Date): number {
  return Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS;
}
