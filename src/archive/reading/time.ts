import type { Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { formatTime } from '../../util/time.ts';

/**
 * Times people type for the reading commands, read in Asia/Shanghai (display: util/time.ts). China
 * has kept UTC+8 without daylight saving since 1991, so typed dates are read with a fixed +08:00.
 */

export { ARCHIVE_TIME_ZONE, formatClock, formatTime } from '../../util/time.ts';

const OFFSET = '+08:00';

/**
 * A stored msgtime people can be shown: WeCom's examples (and a client that failed to stamp one)
 * carry `msgtime: 0`, which is no time at all, not 1970-01-01. Negative values are no better.
 */
export function knownTime(ms: number | null | undefined): number | null {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : null;
}

/** What a table or a line shows for a message without a time. */
export const UNKNOWN_TIME: Text = { zh: '时间未知', en: 'unknown time' };

/** China time text, or null when the time is unknown (what the JSON's `…Text` fields carry). */
export function timeText(ms: number | null | undefined): string | null {
  const known = knownTime(ms);
  return known === null ? null : formatTime(known);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A `--from`/`--to` bound as epoch ms. `2026-11-20` is the whole day: its first millisecond as a
 * start, its last as an end (so `--from D --to D` is that day); `2026-11-20 14:03` likewise covers
 * its minute. ISO times with a zone (`…Z`, `…+08:00`) are taken as written.
 */
export function parseTimeBound(text: string, edge: 'start' | 'end', option: string): number {
  const value = text.trim();
  if (WITH_ZONE.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  const m = LOCAL.exec(value);
  if (m) {
    const [, y, mo, d, h, mi, s] = m;
    const start = Date.parse(`${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}${OFFSET}`);
    // Date.parse accepts 2026-02-30 as 2026-03-02 on some engines: the round trip catches it.
    if (Number.isFinite(start) && formatTime(start).startsWith(`${y}-${mo}-${d}`)) {
      if (edge === 'start') return start;
      const span = h === undefined ? 86_400_000 : s === undefined ? 60_000 : 1_000;
      return start + span - 1;
    }
  }
  throw new UserError('archive_bad_time', {
    what: { zh: '{option} 不是有效的时间：{value}', en: '{option} is not a valid time: {value}' },
    fix: {
      zh: '写成 2026-11-20、2026-11-20 14:03 或 2026-11-20 14:03:05（北京时间），或带时区的 ISO 时间',
      en: 'Write 2026-11-20, 2026-11-20 14:03 or 2026-11-20 14:03:05 (China time, Asia/Shanghai), or an ISO time with a zone',
    },
    vars: { option, value },
  });
}

/** Both bounds of a range; a start after the end is a mistake worth saying. */
export function parseTimeRange(from?: string, to?: string): { since?: number; until?: number } {
  const since = from === undefined ? undefined : parseTimeBound(from, 'start', '--from');
  const until = to === undefined ? undefined : parseTimeBound(to, 'end', '--to');
  if (since !== undefined && until !== undefined && since > until) {
    throw new UserError('archive_bad_range', {
      what: { zh: '--from {from} 晚于 --to {to}', en: '--from {from} is after --to {to}' },
      fix: { zh: '交换两个时间', en: 'Swap the two times' },
      vars: { from: from!, to: to! },
    });
  }
  return { since, until };
}
