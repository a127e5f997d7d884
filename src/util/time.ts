/**
 * Times as the people using the product read them: always Asia/Shanghai, whatever zone the server
 * runs in (servers often run in UTC; WeCom and its users are in China). Display goes through Intl
 * with the zone named, which ignores the process's TZ.
 */

export const ARCHIVE_TIME_ZONE = 'Asia/Shanghai';

const FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: ARCHIVE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/** `2026-11-20 14:03:05` in Asia/Shanghai. */
export function formatTime(ms: number): string {
  const parts: Record<string, string> = {};
  for (const part of FORMAT.formatToParts(new Date(ms))) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** `14:03:05`, for a time shown beside another of the same day. */
export function formatClock(ms: number): string {
  return formatTime(ms).slice(11);
}
