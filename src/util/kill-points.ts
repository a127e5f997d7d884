/**
 * Named points where a test may kill the process for real, to prove that a kill -9 anywhere, then a
 * restart, ends in exactly the data of an uninterrupted run (DESIGN.md "Crash safety").
 * `WECOM_ARCHIVE_KILL_AT=page.written:3` makes the process SIGKILL itself the third time it passes
 * `page.written`; several points may be given, comma-separated. Unset (always, outside tests), each
 * point costs one Map lookup. Shared by the directory/customer sync and the archive puller.
 */

export const KILL_POINTS = [
  // --- sync (src/sync) ---
  /** A page has come back from WeCom; nothing of it is written yet. */
  'page.fetched',
  /** Inside a page's transaction: its rows are written, its checkpoint not yet. */
  'page.written',
  /** A page and its checkpoint have committed. */
  'page.committed',
  /** Inside the transaction that closes a complete listing: deletions marked, not committed. */
  'listing.swept',
  /** A whole unit (a listing, the tag library…) is committed and marked done. */
  'unit.done',
  // --- archive puller (src/archive/ingest) ---
  /** GetChatData returned a page of envelopes; nothing decrypted or written. */
  'archive.page.fetched',
  /** The page is decrypted and parsed; its transaction has not begun. */
  'archive.page.decrypted',
  /** Inside the page's transaction: messages, media, conversations written; seq cursor not yet. */
  'archive.page.written',
  /** The page and its cursor have committed. */
  'archive.page.committed',
  /** Inside a retry batch's transaction: re-decrypted messages updated, not committed. */
  'archive.retry.written',
  // --- media queue (src/archive/media) ---
  /** A media chunk is appended to the partial file; its resume point (sidecar) not yet saved. */
  'archive.media.chunk.appended',
  /** A media chunk and its resume point are saved. */
  'archive.media.chunk.saved',
  // --- pid locks (src/util/pid-lock.ts) ---
  /** The owner's private `<lock>.<pid>` file is written; not yet linked into place as the lock. */
  'lock.written',
] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

const ENV_KEY = 'WECOM_ARCHIVE_KILL_AT';

let plan: Map<string, number> | undefined;
const passes = new Map<string, number>();

function parsePlan(value: string | undefined): Map<string, number> {
  const parsed = new Map<string, number>();
  for (const part of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, count] = part.split(':');
    if (!(KILL_POINTS as readonly string[]).includes(name!) || !/^\d+$/.test(count ?? '')) {
      throw new TypeError(`${ENV_KEY}: expected <point>:<n> with point one of ${KILL_POINTS.join(', ')}; got "${part}"`);
    }
    parsed.set(name!, Number(count));
  }
  return parsed;
}

/** Passes a kill point: kills this process (SIGKILL, no clean-up) on the planned pass. */
export function killPoint(name: KillPoint): void {
  plan ??= parsePlan(process.env[ENV_KEY]);
  const target = plan.get(name);
  if (target === undefined) return;
  const n = (passes.get(name) ?? 0) + 1;
  passes.set(name, n);
  if (n === target) process.kill(process.pid, 'SIGKILL');
}
