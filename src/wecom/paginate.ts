import { UserError } from '../util/errors.ts';
import type { EndpointSpec } from './endpoints.ts';
import type { WecomResponse } from './transport.ts';

/**
 * Cursor pagination driven by the catalogue's `page` spec (style-anchors lesson F): an async
 * iterator of pages, so a sync can store `nextCursor` with each page's rows in one transaction and
 * resume later from exactly there. Cursors are WeCom's, stored and passed back exactly as returned.
 */

export interface Page<Item = unknown, Res = WecomResponse> {
  items: Item[];
  /** The cursor this page was requested with ('' = the first page). */
  cursor: string;
  /** Where the next page starts; '' after the last page. Persist it to resume after this page. */
  nextCursor: string;
  /** 0-based index within this iteration (a resumed iteration starts at 0 again). */
  index: number;
  response: Res;
}

export interface PageOptions {
  /** Resume from a stored cursor. */
  cursor?: string;
  /** Page size; clamped to the endpoint's range. Default: the maximum, so a sync makes the fewest calls. */
  limit?: number;
}

export async function* paginate(
  call: (params: Record<string, unknown>) => Promise<WecomResponse>,
  endpoint: string,
  spec: EndpointSpec,
  params: Record<string, unknown> = {},
  options: PageOptions = {},
): AsyncGenerator<Page> {
  const page = spec.page;
  if (!page) throw new TypeError(`${endpoint} is not a paginated endpoint`);
  const base: Record<string, unknown> = { ...params };
  const limit = pageLimit(spec, options.limit ?? (params[page.limitParam ?? ''] as number | undefined));
  if (page.limitParam && limit !== undefined) base[page.limitParam] = limit;

  let cursor = options.cursor ?? (typeof params[page.cursorParam] === 'string' ? (params[page.cursorParam] as string) : '');
  const requested = new Set<string>();
  for (let index = 0; ; index++) {
    requested.add(cursor);
    const request = { ...base };
    if (cursor) request[page.cursorParam] = cursor;
    else delete request[page.cursorParam];

    const response = await call(request);
    const items = response[page.itemsField] ?? [];
    if (!Array.isArray(items)) throw new TypeError(`${endpoint}: ${page.itemsField} is not an array`);
    const next = response[page.nextCursorField];
    const nextCursor = typeof next === 'string' ? next : '';
    const last = !nextCursor || (page.lastPageField !== undefined && response[page.lastPageField] === true);
    yield { items, cursor, nextCursor: last ? '' : nextCursor, index, response };
    if (last) return;
    // A cursor that comes back again would loop forever (a WeCom or sandbox bug): stop loudly.
    if (requested.has(nextCursor)) throw cursorLoop(endpoint, nextCursor);
    cursor = nextCursor;
  }
}

/** Absent limits get the maximum (SDKs that sent none were stuck at WeCom's small default, §9.10). */
export function pageLimit(spec: EndpointSpec, requested?: number): number | undefined {
  const page = spec.page;
  if (!page?.limitParam) return undefined;
  const wanted = requested ?? page.maxLimit ?? page.defaultLimit;
  if (wanted === undefined) return undefined;
  return Math.min(page.maxLimit ?? Infinity, Math.max(page.minLimit ?? 1, Math.floor(wanted)));
}

function cursorLoop(endpoint: string, cursor: string): UserError {
  return new UserError('wecom_cursor_loop', {
    what: { zh: '{endpoint} 的分页游标重复出现，已停止', en: 'The page cursor of {endpoint} repeated; stopped' },
    why: { zh: '游标 {cursor} 之前已请求过，继续会无限循环', en: 'Cursor {cursor} was already requested; going on would loop forever' },
    fix: { zh: '稍后重试；若重复出现，请报告此问题', en: 'Try again later; if it happens again, report it' },
    vars: { endpoint, cursor: cursor.slice(0, 40) },
  });
}
