import { describe, expect, it } from 'vitest';
import { DAY_MS, RETENTION_MS, Timeline, defaultTimelineEnd } from './timeline.ts';

describe('archive timeline', () => {
  const end = Date.parse('2025-03-02T00:00:00Z');
  const timeline = new Timeline({ seed: 3, count: 5000, end, spanMs: 7 * DAY_MS });

  it('is strictly increasing and inside [start, end)', () => {
    let previous = -Infinity;
    for (let i = 0; i < timeline.count; i++) {
      const t = timeline.msgtime(i);
      expect(t).toBeGreaterThan(previous);
      previous = t;
    }
    expect(timeline.msgtime(0)).toBeGreaterThanOrEqual(timeline.start);
    expect(previous).toBeLessThan(end);
  });

  it('inverts exactly: lastAtOrBefore(t) is the last message sent at or before t', () => {
    for (const i of [0, 1, 17, 2500, 4999]) {
      const t = timeline.msgtime(i);
      expect(timeline.lastAtOrBefore(t)).toBe(i);
      expect(timeline.lastAtOrBefore(t - 1)).toBe(i - 1);
    }
    expect(timeline.lastAtOrBefore(timeline.start - 1)).toBe(-1);
    expect(timeline.lastAtOrBefore(end + DAY_MS)).toBe(4999);
  });

  it('holds what is sent and at most 5 days old', () => {
    const now = end - 12 * 3_600_000;
    const { first, last } = timeline.window(now);
    expect(timeline.msgtime(last)).toBeLessThanOrEqual(now);
    expect(timeline.msgtime(last + 1)).toBeGreaterThan(now);
    expect(timeline.msgtime(first)).toBeGreaterThanOrEqual(now - RETENTION_MS);
    expect(timeline.msgtime(first - 1)).toBeLessThan(now - RETENTION_MS);
  });

  it('ends the default timeline at the end of the UTC day', () => {
    expect(defaultTimelineEnd(new Date('2025-03-01T15:30:00Z'))).toBe(end);
    expect(defaultTimelineEnd(new Date('2025-03-01T00:00:00Z'))).toBe(end);
  });
});
