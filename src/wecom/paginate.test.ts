import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { startFakeWecom, type FakeWecom } from '../../test/helpers/fake-wecom.ts';
import { createWecomClient, type WecomClient } from './client.ts';
import { endpoints } from './endpoints.ts';
import { pageLimit } from './paginate.ts';
import type { PageItem } from './types.ts';

/** Three pages of (userid, department) rows keyed by the cursor that asks for them. */
const PAGES: Record<string, { rows: string[]; next: string }> = {
  '': { rows: ['a', 'b'], next: 'c1' },
  c1: { rows: ['c', 'd'], next: 'c2' },
  c2: { rows: ['e'], next: '' },
};

let fake: FakeWecom;
let client: WecomClient;
beforeEach(async () => {
  fake = await startFakeWecom();
  fake.on('user/list_id', (req) => {
    const page = PAGES[(req.body?.cursor as string | undefined) ?? ''];
    return { next_cursor: page.next, dept_user: page.rows.map((userid) => ({ userid, department: 1 })) };
  });
  client = createWecomClient({ corpId: fake.corpId, secrets: fake.secrets, apiBase: fake.url, retryPolicy: 'test' });
});
afterEach(async () => {
  await client.close();
  await fake.close();
});
const bodies = (path: string) => fake.requests.filter((r) => r.path === path).map((r) => r.body ?? r.query);

describe('pagination', () => {
  it('follows cursors to the end, page by page, with the largest page size', async () => {
    const seen: Array<[string, string, string[]]> = [];
    for await (const page of client.pages('user.listId')) seen.push([page.cursor, page.nextCursor, page.items.map((i) => i.userid)]);
    expect(seen).toEqual([['', 'c1', ['a', 'b']], ['c1', 'c2', ['c', 'd']], ['c2', '', ['e']]]);
    expect(bodies('user/list_id')).toEqual([{ limit: 10000 }, { limit: 10000, cursor: 'c1' }, { limit: 10000, cursor: 'c2' }]);
  });

  it('resumes from a stored cursor', async () => {
    const rows: string[] = [];
    for await (const page of client.pages('user.listId', {}, { cursor: 'c1' })) rows.push(...page.items.map((i) => i.userid));
    expect(rows).toEqual(['c', 'd', 'e']);
    expect(bodies('user/list_id')[0]).toEqual({ limit: 10000, cursor: 'c1' });
  });

  it('items() yields every item of every page, typed by the endpoint', async () => {
    const ids: string[] = [];
    for await (const row of client.items('user.listId', { limit: 2 })) {
      expectTypeOf(row).toEqualTypeOf<PageItem<'user.listId'>>();
      expectTypeOf(row.department).toBeNumber();
      ids.push(row.userid);
    }
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(bodies('user/list_id')[0]).toEqual({ limit: 2 });
  });

  it('GET endpoints carry the cursor in the query string', async () => {
    fake.on('externalcontact/get', (req) => ({
      external_contact: { external_userid: 'wm1', name: 'x', type: 1 },
      follow_user: [{ userid: req.query.cursor ?? 'first', createtime: 1 }],
      next_cursor: req.query.cursor ? '' : 'more',
    }));
    const followers: string[] = [];
    for await (const f of client.items('externalcontact.get', { external_userid: 'wm1' })) followers.push(f.userid);
    expect(followers).toEqual(['first', 'more']);
    expect(fake.requests.filter((r) => r.path === 'externalcontact/get').map((r) => r.query.cursor)).toEqual([undefined, 'more']);
  });

  it('stops on a last-page flag even when a cursor comes back (get_unassigned_list is_last)', async () => {
    fake.on('externalcontact/get_unassigned_list', () => ({ info: [{ handover_userid: 'h', external_userid: 'wm', dimission_time: 1 }], is_last: true, next_cursor: 'x' }));
    const pages = [];
    for await (const page of client.pages('externalcontact.getUnassignedList')) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0].nextCursor).toBe('');
    expect(bodies('externalcontact/get_unassigned_list')[0]).toEqual({ page_size: 1000 });
  });

  it('a cursor that repeats stops with an error instead of looping forever', async () => {
    fake.on('externalcontact/groupchat/list', () => ({ group_chat_list: [{ chat_id: 'wr1', status: 0 }], next_cursor: 'same' }));
    let pages = 0;
    const run = async () => {
      for await (const _ of client.pages('externalcontact.groupchatList', {})) pages++;
    };
    await expect(run()).rejects.toMatchObject({ code: 'wecom_cursor_loop' });
    expect(pages).toBe(2);
    expect(bodies('externalcontact/groupchat/list')[0]).toEqual({ limit: 1000 }); // required by WeCom: always sent
  });

  it('clamps page sizes to the endpoint range', () => {
    expect(pageLimit(endpoints['user.listId'], 50_000)).toBe(10_000);
    expect(pageLimit(endpoints['user.listId'], 0)).toBe(1);
    expect(pageLimit(endpoints['externalcontact.batchGetByUser'])).toBe(100);
    expect(pageLimit(endpoints['externalcontact.get'])).toBeUndefined();
  });
});
