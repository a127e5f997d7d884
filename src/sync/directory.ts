import type { RecordInput } from '../store/entities.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import { WecomApiError, WecomMissingCredentialError } from '../wecom/errors.ts';
import type { User } from '../wecom/types-directory.ts';
import type { KeyValues } from './checkpoint.ts';
import { inFlight, keyValues, sweep, upsert, type StreamContext } from './context.ts';
import { runListing, runUnit, type ListingPage } from './listing.ts';
import {
  departmentIdsRecord, departmentRecord, employeeIdsRecord, employeeRecord, memberTagRecord,
} from './map-directory.ts';
import { mapLimit, orderedMap } from '../util/parallel.ts';

/**
 * The directory (wecom-api.md §2): departments, members, member tags. With a token that may read
 * details, members come per department from user/list. When the only directory credential is the
 * contact-sync secret and WeCom refuses it details (48009, new IPs since 2022-08-15), the tree comes
 * from department/simplelist and the members from user/list_id: ids only, everything else recorded
 * as hidden.
 */

type Mode = 'detail' | 'ids';

interface Tree {
  mode: Mode;
  departments: RecordInput<'departments'>[];
}

export async function syncDirectory(ctx: StreamContext): Promise<void> {
  // Read even when resuming: one call, and it tells which credential path works today.
  const tree = await readTree(ctx);
  // One step per page of members, one for the tags.
  ctx.progress.expect('directory', (tree.mode === 'detail' ? tree.departments.length : 1) + 1);
  await runUnit(ctx, 'departments', async () => async (trx) => {
    await upsert(ctx, trx, 'departments', tree.departments);
    await sweep(ctx, trx, 'departments', tree.departments.map((d) => keyValues('departments', d)));
  });
  await runListing(ctx, {
    id: 'members',
    pages: (cursor) => (tree.mode === 'detail' ? memberPages(ctx, tree, cursor) : memberIdPages(ctx)),
    write: (trx, pages) => upsert(ctx, trx, 'employees', pages.flat()),
    sweep: (trx, seen) => sweep(ctx, trx, 'employees', seen),
    // Departments are small pages: many of them per transaction (see customers.ts ROWS_PER_WRITE).
    rowsPerWrite: 5000,
  });
  await syncMemberTags(ctx);
  ctx.progress.advance('directory');
}

async function readTree(ctx: StreamContext): Promise<Tree> {
  try {
    const { department } = await ctx.client.call('department.list');
    return { mode: 'detail', departments: department.map(departmentRecord) };
  } catch (err) {
    if (!(err instanceof WecomApiError && err.errcode === ERRCODE.CONTACT_SYNC_FORBIDDEN)) throw err;
    const { department_id } = await ctx.client.call('department.simplelist');
    return { mode: 'ids', departments: department_id.map(departmentIdsRecord) };
  }
}

/**
 * One page per department (user/list is not recursive), in id order so the cursor is simply the
 * last department done. Calls run ahead in parallel; pages are still written in order.
 */
async function* memberPages(ctx: StreamContext, tree: Tree, cursor: string): AsyncGenerator<ListingPage<RecordInput<'employees'>[]>> {
  const after = cursor === '' ? -Infinity : Number(cursor);
  const ids = tree.departments.map((d) => d.department_id).filter((id) => id > after).sort((a, b) => a - b);
  if (ids.length === 0) return yield { payload: [], keys: [], nextCursor: '' };
  // A member of several departments is listed in each: written once per run, seen in every page.
  const written = new Set<string>();
  const pages = orderedMap(ids, inFlight('user.list'), (department_id) => ctx.client.call('user.list', { department_id }));
  let index = 0;
  for await (const { userlist } of pages) {
    const department = ids[index++]!;
    const fresh = userlist.filter((u: User) => !written.has(u.userid));
    for (const u of fresh) written.add(u.userid);
    ctx.progress.advance('directory');
    yield {
      payload: fresh.map(employeeRecord),
      keys: userlist.map((u: User) => [u.userid]),
      nextCursor: index === ids.length ? '' : String(department),
    };
  }
}

/**
 * user/list_id gives one row per (member, department), and a member's rows may straddle pages. The
 * whole listing is read before anything is written, so each member is written whole; it is a few
 * calls (10 000 rows each), repeated if a kill interrupts it.
 */
async function* memberIdPages(ctx: StreamContext): AsyncGenerator<ListingPage<RecordInput<'employees'>[]>> {
  const departments = new Map<string, number[]>();
  for await (const row of ctx.client.items('user.listId')) {
    const list = departments.get(row.userid) ?? [];
    if (!list.includes(row.department)) list.push(row.department);
    departments.set(row.userid, list);
  }
  const employees = [...departments].map(([userid, list]) => employeeIdsRecord(userid, list));
  ctx.progress.advance('directory');
  yield { payload: employees, keys: employees.map((e) => [e.userid]), nextCursor: '' };
}

/**
 * Member tags need the self-built app's token (tag/list, tag/get): without APP_SECRET, or when
 * WeCom refuses the app (no permission), they are skipped and the summary says so.
 */
async function syncMemberTags(ctx: StreamContext): Promise<void> {
  try {
    ctx.client.credentialFor('tag.list');
    await readMemberTags(ctx);
  } catch (err) {
    if (err instanceof WecomMissingCredentialError) ctx.tally.skipped.push('member_tags');
    else if (err instanceof WecomApiError && err.retryClass === 'never') ctx.tally.skipped.push(`member_tags (errcode ${err.errcode})`);
    else throw err;
  }
}

async function readMemberTags(ctx: StreamContext): Promise<void> {
  await runUnit(ctx, 'member-tags', async () => {
    const { taglist } = await ctx.client.call('tag.list');
    const tags = await mapLimit(taglist, inFlight('tag.get'), async (tag) =>
      memberTagRecord(tag.tagid, tag.tagname, await ctx.client.call('tag.get', { tagid: tag.tagid })));
    const seen: KeyValues[] = tags.map((t) => keyValues('member_tags', t));
    return async (trx) => {
      await upsert(ctx, trx, 'member_tags', tags);
      await sweep(ctx, trx, 'member_tags', seen);
    };
  });
}
