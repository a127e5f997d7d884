import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { syncStateRepository } from '../store/sync-state.repository.ts';

/**
 * Where a stream's pass stands, kept in the store's `sync_cursors` rows so that a killed process
 * resumes exactly there. A *pass* is one full walk of a stream (directory, customers, groups); it is
 * made of *units* (the tag library, one listing per batch of follow users…). Rows, per corp:
 *
 *   sync/<stream>                       the pass: its id, the units done, notes (e.g. the mode chosen)
 *   sync/<stream>/<listing>             a listing in progress: WeCom's next_cursor and the page count
 *   sync/<stream>/<listing>/seen/<n>    the record keys page n returned
 *
 * Deletions can only be inferred from a listing seen in full, so the keys each page returned are kept
 * until the listing ends: a listing resumed after a kill still knows everything it saw before. Every
 * row is written in the transaction of the page it describes (see listing.ts) and removed with the
 * transaction that closes the listing; the pass row goes when the whole pass has committed.
 */

/** A record key as its column values, in the order of the entity's key columns. */
export type KeyValues = readonly (string | number)[];

interface PassRow {
  pass: string;
  startedAt: number;
  done: string[];
  notes: Record<string, string>;
}

const NAME = /^[a-z0-9:-]+$/;
const { getCursor, setCursor } = syncStateRepository;

function checkName(name: string): string {
  // Rows are found by LIKE 'prefix%'; these characters need no escaping on either dialect.
  if (!NAME.test(name)) throw new TypeError(`checkpoint names use [a-z0-9:-] only: "${name}"`);
  return name;
}

export class StreamState {
  private constructor(
    private readonly corpId: string,
    private readonly key: string,
    private readonly row: PassRow,
    /** True when this run continues a pass a previous process left unfinished. */
    readonly resumed: boolean,
  ) {}

  /** The unfinished pass of this stream, or a new one. */
  static async open(db: Kysely<Database>, corpId: string, stream: string, now: number): Promise<StreamState> {
    const key = `sync/${checkName(stream)}`;
    const text = await getCursor(db, corpId, key);
    if (text) return new StreamState(corpId, key, JSON.parse(text) as PassRow, true);
    return new StreamState(corpId, key, { pass: randomUUID(), startedAt: now, done: [], notes: {} }, false);
  }

  /** When the pass began (epoch ms): everything the pass marked deleted carries a later time. */
  get startedAt(): number {
    return this.row.startedAt;
  }

  isDone(unit: string): boolean {
    return this.row.done.includes(unit);
  }

  note(name: string): string | undefined {
    return this.row.notes[name];
  }

  /** Records a unit as done, in the caller's transaction (the one that wrote the unit's last rows). */
  async markDone(trx: Kysely<Database>, unit: string): Promise<void> {
    if (!this.row.done.includes(unit)) this.row.done.push(unit);
    await this.save(trx);
  }

  async setNote(trx: Kysely<Database>, name: string, value: string): Promise<void> {
    this.row.notes[name] = value;
    await this.save(trx);
  }

  /** The pass is over: every row of the stream goes, so the next run starts a fresh pass. */
  async finish(trx: Kysely<Database>): Promise<void> {
    await deleteByPrefix(trx, this.corpId, this.key);
  }

  listing(id: string): ListingState {
    return new ListingState(this.corpId, `${this.key}/${checkName(id)}`);
  }

  private save(trx: Kysely<Database>): Promise<void> {
    return setCursor(trx, this.corpId, this.key, JSON.stringify(this.row));
  }
}

export interface SavedListing {
  /** '' = from the start. */
  cursor: string;
  pages: number;
  seen: KeyValues[];
}

export class ListingState {
  constructor(private readonly corpId: string, private readonly key: string) {}

  async load(db: Kysely<Database>): Promise<SavedListing> {
    const rows = await db.selectFrom('sync_cursors').select(['stream', 'cursor'])
      .where('corp_id', '=', this.corpId).where((eb) => underKey(eb, this.key)).execute();
    const state = rows.find((r) => r.stream === this.key);
    if (!state) return { cursor: '', pages: 0, seen: [] };
    const { cursor, pages } = JSON.parse(state.cursor) as { cursor: string; pages: number };
    const seen = rows.filter((r) => r.stream.startsWith(`${this.key}/seen/`))
      .flatMap((r) => JSON.parse(r.cursor) as KeyValues[]);
    return { cursor, pages, seen };
  }

  /** After page `page`: where the next one starts, and the keys this one returned. */
  async savePage(trx: Kysely<Database>, cursor: string, page: number, keys: readonly KeyValues[]): Promise<void> {
    await setCursor(trx, this.corpId, `${this.key}/seen/${page}`, JSON.stringify(keys));
    await setCursor(trx, this.corpId, this.key, JSON.stringify({ cursor, pages: page }));
  }

  async clear(trx: Kysely<Database>): Promise<void> {
    await deleteByPrefix(trx, this.corpId, this.key);
  }
}

/** `key` itself and every row below it (`key/…`). */
function underKey(eb: ExpressionBuilder<Database, 'sync_cursors'>, key: string) {
  return eb.or([eb('stream', '=', key), eb('stream', 'like', `${key}/%`)]);
}

async function deleteByPrefix(db: Kysely<Database>, corpId: string, key: string): Promise<void> {
  await db.deleteFrom('sync_cursors').where('corp_id', '=', corpId).where((eb) => underKey(eb, key)).execute();
}
