import type { Kysely } from 'kysely';
import type { Text } from '../../i18n/index.ts';
import type { Database } from '../../store/database.ts';
import { UserError } from '../../util/errors.ts';
import { requireCapability } from '../access.ts';
import type { Runtime } from '../runtime.ts';
import { checkRecord, directoryFilter, hidingAbsence } from '../scope.ts';
import type { ListQuery } from '../types/directory.ts';

/**
 * How the directory services cover several corps: a list goes corp by corp (in corp id order)
 * until the limit, one record is looked for in every corp in scope. The corp is checked before the
 * store is opened, so an unknown `--corp` is reported as such even where nothing was synced yet.
 */

/** Rows read per query while listing everything. */
const PAGE = 1000;

type Db = Kysely<Database>;

/**
 * Every corp's rows, up to `limit` + 1 (the extra row only tells that the limit cut the list),
 * read in pages through `page(db, corpId, offset, size)`.
 */
export async function listAcrossCorps<T>(
  rt: Runtime, query: ListQuery, page: (db: Db, corpId: string, offset: number, size: number) => Promise<T[]>,
  scoped?: { kind: 'employee' | 'customer' | 'group'; idOf: (row: T) => string },
): Promise<{ rows: T[]; truncated: boolean }> {
  requireCapability(rt, 'directory');
  const corpIds = rt.corps(query.corp).map((config) => config.corpId!);
  const store = await rt.readStore();
  const { db } = store;
  // A department-scoped actor sees only its members, their customers and their groups: filtered page by page.
  const keep = scoped ? await directoryFilter(rt, store) : null;
  const wanted = query.limit === undefined ? Infinity : query.limit + 1;
  const rows: T[] = [];
  for (const corpId of corpIds) {
    for (let offset = 0; rows.length < wanted;) {
      const size = Math.min(PAGE, wanted - rows.length);
      const got = await page(db, corpId, offset, size);
      for (const row of got) if (!keep || await keep(corpId, scoped!.kind, scoped!.idOf(row))) rows.push(row);
      offset += got.length;
      if (got.length < size) break;
    }
    if (rows.length >= wanted) break;
  }
  return cut(rows, query.limit);
}

/** The first `limit` rows, and whether there were more. */
export function cut<T>(rows: T[], limit: number | undefined): { rows: T[]; truncated: boolean } {
  const truncated = limit !== undefined && rows.length > limit;
  return { rows: truncated ? rows.slice(0, limit) : rows, truncated };
}

/** The corps in scope and the store, for a service that reads each corp whole (departments). */
export async function corpsAndStore(rt: Runtime, corp: string | undefined): Promise<{ corpIds: string[]; db: Db }> {
  requireCapability(rt, 'directory');
  const corpIds = rt.corps(corp).map((config) => config.corpId!);
  return { corpIds, db: (await rt.readStore()).db };
}

export type RecordKind = 'customer' | 'group';

/** A record by id, in whichever corp in scope has it; not found, or found in several corps, is the user's to resolve. */
export async function findInCorps<T>(
  rt: Runtime, corp: string | undefined, kind: RecordKind, id: string, get: (db: Db, corpId: string) => Promise<T | undefined>,
): Promise<{ corpId: string; found: T }> {
  // Outside an actor's scope, and for anyone not all-powerful, "not found" is "forbidden" (nothing is disclosed).
  const hit = await hidingAbsence(rt, () => findIn(rt, corp, kind, id, get), (err) => err instanceof NotFoundError);
  await checkRecord(rt, await rt.readStore(), hit.corpId, kind, id);
  return hit;
}

async function findIn<T>(
  rt: Runtime, corp: string | undefined, kind: RecordKind, id: string, get: (db: Db, corpId: string) => Promise<T | undefined>,
): Promise<{ corpId: string; found: T }> {
  const { corpIds, db } = await corpsAndStore(rt, corp);
  const hits: Array<{ corpId: string; found: T }> = [];
  for (const corpId of corpIds) {
    const found = await get(db, corpId);
    if (found !== undefined) hits.push({ corpId, found });
  }
  if (hits.length === 0) throw new NotFoundError(kind, id, corpIds);
  if (hits.length > 1) throw new AmbiguousIdError(kind, id, hits.map((hit) => hit.corpId));
  return hits[0]!;
}

const KIND: Record<RecordKind, { notFound: Text; ambiguous: Text }> = {
  customer: {
    notFound: { zh: '找不到客户 {id}', en: 'No customer {id}' },
    ambiguous: { zh: '客户 {id} 在多个企业中都有：{corps}', en: 'Customer {id} is in several corps: {corps}' },
  },
  group: {
    notFound: { zh: '找不到客户群 {id}', en: 'No customer group {id}' },
    ambiguous: { zh: '客户群 {id} 在多个企业中都有：{corps}', en: 'Customer group {id} is in several corps: {corps}' },
  },
};

export class NotFoundError extends UserError {
  constructor(kind: RecordKind, id: string, corpIds: string[]) {
    super('not_found', {
      what: KIND[kind].notFound,
      why: {
        zh: '本地数据库中（企业 {corps}）没有该记录（ID 须完全一致）',
        en: 'The local database has no such record in {corps} (the id must match exactly)',
      },
      fix: { zh: '先运行 `wecom-archive sync`，或用列表命令加 --search 查找', en: 'Run `wecom-archive sync` first, or find it with the list command and --search' },
      vars: { id, corps: corpIds.join(', ') },
    });
  }
}

export class AmbiguousIdError extends UserError {
  constructor(kind: RecordKind, id: string, corpIds: string[]) {
    super('directory_ambiguous_id', {
      what: KIND[kind].ambiguous,
      why: { zh: '同一个 ID 出现在多个企业的数据中', en: 'The same id appears in the data of more than one corp' },
      fix: { zh: '加上 --corp <企业ID> 指定其中一个', en: 'Add --corp <corp id> to choose one of them' },
      vars: { id, corps: corpIds.join(', ') },
    });
  }
}
