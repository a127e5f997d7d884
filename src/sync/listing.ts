import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { killPoint } from '../util/kill-points.ts';
import { WecomApiError } from '../wecom/errors.ts';
import type { KeyValues } from './checkpoint.ts';
import type { StreamContext } from './context.ts';
import { stopIfAborted } from './interrupt.ts';

/**
 * One complete listing (a cursor chain, or a fixed set of pages), written page by page and
 * resumable after a kill:
 * - each page's rows, its next cursor and the keys it returned commit in one transaction (several
 *   consecutive pages may share one, see `rowsPerWrite`);
 * - the page that ends the listing commits with the deletion sweep (whatever the listing no longer
 *   returned, within its scope) and the mark that the listing is done;
 * - a restarted process picks the listing up at the stored cursor, with the keys seen before.
 * While a page is written the next one is already being fetched; at most one write waits. A stop
 * asked for (`ctx.signal`) ends the walk before its next page, after the pages fetched are written.
 */

export interface ListingPage<P> {
  /** What `write` needs: records, already completed with any detail calls. */
  payload: P;
  /** The keys of the records the page returned (for the sweep). */
  keys: KeyValues[];
  /** Where the next page starts; '' when this page is the last. */
  nextCursor: string;
}

export interface ListingSpec<P> {
  /** Stable within the stream: a restarted process must find its own listing again. */
  id: string;
  /** The pages from `cursor` on ('' = the beginning). Must end with a page whose nextCursor is ''. */
  pages(cursor: string): AsyncIterable<ListingPage<P>>;
  /** Writes the payloads of one or more consecutive pages (see `rowsPerWrite`). */
  write(trx: Kysely<Database>, payloads: P[]): Promise<void>;
  /** Marks deleted what the complete listing did not return; `seen` holds every page's keys. */
  sweep(trx: Kysely<Database>, seen: KeyValues[]): Promise<void>;
  /**
   * Pages are buffered until they hold this many records, then written with one checkpoint (default
   * 0: every page). SQLite writes much less per record in larger transactions; a kill costs the
   * buffered pages, fetched again on restart.
   */
  rowsPerWrite?: number;
}

export async function runListing<P>(ctx: StreamContext, spec: ListingSpec<P>): Promise<void> {
  if (ctx.state.isDone(spec.id)) return;
  stopIfAborted(ctx.signal);
  const listing = ctx.state.listing(spec.id);
  const saved = await listing.load(ctx.db);
  if (saved.cursor === '') return walk(ctx, spec, '', [], 0);
  try {
    return await walk(ctx, spec, saved.cursor, saved.seen, saved.pages);
  } catch (err) {
    // A stored cursor WeCom no longer accepts (expired while the process was down): start the
    // listing again. Its pages already written are found unchanged and cost no writes.
    if (!(err instanceof StaleCursor)) throw err;
    await ctx.writer.transaction((trx) => listing.clear(trx));
    return walk(ctx, spec, '', [], 0);
  }
}

/** The first page of a resumed listing failed with a WeCom error: the cursor is presumed stale. */
class StaleCursor extends Error {}

async function walk<P>(
  ctx: StreamContext, spec: ListingSpec<P>, cursor: string, seenBefore: KeyValues[], pagesBefore: number,
): Promise<void> {
  const seen = new Map<string, KeyValues>(seenBefore.map((k) => [JSON.stringify(k), k]));
  let written = pagesBefore;
  let pending: Promise<void> = Promise.resolve();
  let buffer: Array<ListingPage<P>> = [];
  let buffered = 0;
  let first = true;
  const pages = spec.pages(cursor)[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<ListingPage<P>>;
    try {
      next = await pages.next();
    } catch (err) {
      // Stopped while the next page was on its way: the pages already fetched are kept.
      if (ctx.signal?.aborted && buffer.length > 0) {
        await pending;
        await write(ctx, spec, buffer, ++written, undefined);
        throw err;
      }
      await pending.catch(() => {});
      if (first && cursor !== '' && err instanceof WecomApiError && err.retryClass === 'never') throw new StaleCursor();
      throw err;
    }
    first = false;
    if (next.done) throw new TypeError(`listing ${spec.id} ended without a last page`);
    killPoint('page.fetched');
    for (const key of next.value.keys) seen.set(JSON.stringify(key), key);
    buffer.push(next.value);
    buffered += next.value.keys.length;
    const last = next.value.nextCursor === '';
    const stopping = ctx.signal?.aborted === true;
    if (!last && !stopping && buffered < (ctx.rowsPerCommit ?? spec.rowsPerWrite ?? 0)) continue;
    await pending;
    pending = write(ctx, spec, buffer, ++written, last ? [...seen.values()] : undefined);
    // Handled here so a failed write cannot go unobserved while the next page is fetched; the
    // failure itself surfaces at the next `await pending`.
    pending.catch(() => {});
    buffer = [];
    buffered = 0;
    if (last) break;
    if (stopping) {
      await pages.return?.();
      await pending;
      stopIfAborted(ctx.signal);
    }
  }
  await pages.return?.();
  await pending;
}

/**
 * Writes buffered pages with the checkpoint after the last of them, in one transaction; when
 * `seen` is given the listing is complete: sweep, forget its rows, mark it done.
 */
async function write<P>(
  ctx: StreamContext, spec: ListingSpec<P>, pages: Array<ListingPage<P>>, number: number, seen: KeyValues[] | undefined,
): Promise<void> {
  const listing = ctx.state.listing(spec.id);
  await ctx.writer.transaction(async (trx) => {
    await spec.write(trx, pages.map((p) => p.payload));
    killPoint('page.written');
    if (!seen) return listing.savePage(trx, pages[pages.length - 1]!.nextCursor, number, pages.flatMap((p) => p.keys));
    await spec.sweep(trx, seen);
    killPoint('listing.swept');
    await listing.clear(trx);
    await ctx.state.markDone(trx, spec.id);
  });
  killPoint(seen ? 'unit.done' : 'page.committed');
}

/** A unit done in one transaction (a small, whole listing such as the tag library). */
export async function runUnit(
  ctx: StreamContext, unit: string, fetch: () => Promise<(trx: Kysely<Database>) => Promise<void>>,
): Promise<void> {
  if (ctx.state.isDone(unit)) return;
  stopIfAborted(ctx.signal);
  const write = await fetch();
  killPoint('page.fetched');
  await ctx.writer.transaction(async (trx) => {
    await write(trx);
    killPoint('listing.swept');
    await ctx.state.markDone(trx, unit);
  });
  killPoint('unit.done');
}
