import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIMULATION_TYPES, type SimulationType } from '../../src/sandbox/index.ts';
import type { Store } from '../../src/store/database.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import {
  callbackStats, dumpDiff, freePort, freshSyncDump, inboxRows, liveDump, postEvents, settled, startServe, startServiceWorld, startWorker,
  syncFinished, waitUntil, type InboxRow, type Proc, type ServiceWorld,
} from './helpers.ts';

/**
 * Every simulated event type end to end: posted to the sandbox's control endpoint, delivered as an
 * encrypted callback to a real `serve` process (SQLite: it runs the jobs; PostgreSQL: a `worker`
 * process applies the inbox and pulls the archive), stored in the inbox, applied, and visible in
 * the store. At the end the store's live rows equal a fresh full sync of the same sandbox.
 */

vi.setConfig({ testTimeout: 300_000, hookTimeout: 240_000 });

type Changed = Record<string, any>;
/** What each event must have changed in the store; `rows` are the inbox rows this event added. */
type Check = (store: Store, changed: Changed, rows: InboxRow[]) => Promise<void>;

const live = (store: Store) => store.db;
const employee = (store: Store, userid: string) => live(store).selectFrom('employees').select(['name', 'deleted_at']).where('userid', '=', userid).executeTakeFirst();
const relation = (store: Store, c: Changed) => live(store).selectFrom('follow_relations').select(['remark', 'deleted_at'])
  .where('userid', '=', c.userid).where('external_userid', '=', c.external_userid).executeTakeFirst();
const group = (store: Store, chatId: string) => live(store).selectFrom('customer_groups').select(['name', 'deleted_at']).where('chat_id', '=', chatId).executeTakeFirst();
const members = async (store: Store, chatId: string) => (await live(store).selectFrom('group_members').select('member_id').where('chat_id', '=', chatId).execute()).map((m) => m.member_id);
const corpTag = (store: Store, tagId: string) => live(store).selectFrom('corp_tags').select(['name', 'sort_order']).where('tag_id', '=', tagId).executeTakeFirst();
const maxSeq = async (store: Store) => Number((await live(store).selectFrom('messages').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst())?.seq ?? 0);

/** A live member in no customer group (nor owning or administering one) and no member tag, not yet used. */
async function memberInNoGroup(store: Store, used: Set<string>): Promise<string> {
  const inGroups = new Set([
    ...(await store.db.selectFrom('group_members').select('member_id as id').execute()).map((r) => r.id),
    ...(await store.db.selectFrom('customer_groups').select('owner as id').execute()).map((r) => r.id),
    ...(await store.db.selectFrom('group_admins').select('userid as id').execute()).map((r) => r.id),
    ...(await store.db.selectFrom('member_tag_users').select('userid as id').execute()).map((r) => r.id),
  ]);
  const members = await store.db.selectFrom('employees').select('userid').where('deleted_at', 'is', null).orderBy('userid').execute();
  const found = members.map((m) => m.userid).find((userid) => !inGroups.has(userid) && !used.has(userid));
  if (!found) throw new Error('every member is in a customer group or a tag: pick another seed');
  return found;
}

const CHECKS: Record<SimulationType, Check> = {
  'member.renamed': async (s, c) => expect(await employee(s, c.userid)).toMatchObject({ name: c.name, deleted_at: null }),
  'member.userid_changed': async (s, c) => {
    expect(await employee(s, c.userid)).toMatchObject({ deleted_at: null });
    expect((await employee(s, c.previousUserid))?.deleted_at ?? 'gone').not.toBeNull();
  },
  'member.moved': async (s, c) => expect((await live(s).selectFrom('employee_departments').select('department_id').where('userid', '=', c.userid).execute())
    .map((d) => d.department_id)).toEqual(c.department),
  'member.deleted': async (s, c) => expect((await employee(s, c.userid))?.deleted_at).not.toBeNull(),
  'department.created': async (s, c) => expect(await live(s).selectFrom('departments').select(['name', 'deleted_at'])
    .where('department_id', '=', c.department.id).executeTakeFirst()).toEqual({ name: c.department.name, deleted_at: null }),
  'member_tag.updated': async (s, c) => expect((await live(s).selectFrom('member_tag_users').select('userid').where('tag_id', '=', c.tagid).execute())
    .map((u) => u.userid).sort()).toEqual([...c.userids].sort()),
  'customer.added': async (s, c) => expect(await relation(s, c)).toMatchObject({ deleted_at: null }),
  'customer.half_added': async (s, c) => expect(await relation(s, c)).toMatchObject({ deleted_at: null }),
  'customer.edited': async (s, c) => expect(await relation(s, c)).toMatchObject({ remark: c.remark, deleted_at: null }),
  'customer.deleted_by_member': async (s, c, rows) => {
    expect((await relation(s, c))?.deleted_at).not.toBeNull();
    expect(rows.map((r) => [r.effect_actor, r.effect_change])).toEqual([[c.userid, 'deleted_by_member']]);
  },
  'member.deleted_by_customer': async (s, c, rows) => {
    expect(rows.map((r) => [r.effect_actor, r.effect_change])).toEqual([[c.external_userid, 'deleted_by_customer']]);
    expect(await relation(s, c)).toMatchObject({ deleted_at: null }); // WeCom keeps the one-way relation
  },
  'archive.consent_approved': async (s, c) => expect(await live(s).selectFrom('archive_consents').select(['party_id', 'status'])
    .where('external_userid', '=', c.external_userid).where('source', '=', 'callback').execute()).toEqual([{ party_id: c.userid, status: 'Agree' }]),
  'group.created': async (s, c) => {
    expect(await group(s, c.chat_id)).toEqual({ name: c.name, deleted_at: null });
    expect((await members(s, c.chat_id)).sort()).toEqual([...c.members].sort());
  },
  'group.renamed': async (s, c) => expect(await group(s, c.chat_id)).toEqual({ name: c.name, deleted_at: null }),
  'group.joined': async (s, c) => expect(await members(s, c.chat_id)).toContain(c.joined),
  'group.left': async (s, c) => expect(await members(s, c.chat_id)).not.toContain(c.left),
  'group.dismissed': async (s, c) => expect((await group(s, c.chat_id))?.deleted_at).not.toBeNull(),
  'customer_tag.created': async (s, c) => expect(await corpTag(s, c.tag.id)).toMatchObject({ name: c.tag.name }),
  'customer_tag.updated': async (s, c) => expect(await corpTag(s, c.tag.id)).toMatchObject({ name: c.tag.name }),
  'customer_tag.deleted': async (s, c) => expect(await corpTag(s, c.tag.id)).toBeUndefined(),
  'customer_tag.shuffled': async (s, c) => {
    for (const tag of c.order as Array<{ id: string; order: number }>) expect(await corpTag(s, tag.id)).toMatchObject({ sort_order: tag.order });
  },
  'archive.messages_added': async (s, c) => expect(await maxSeq(s)).toBeGreaterThanOrEqual(c.lastSeq),
};

for (const dialect of DIALECTS) describe.skipIf(skipDialect(dialect))(`every event type, sandbox to store, through real processes [${dialect}]`, () => {
  let world: ServiceWorld;
  const procs: Proc[] = [];
  beforeAll(async () => {
    world = await startServiceWorld(dialect, dialect === 'sqlite' ? 301 : 302, { retryDelaysMs: [200, 500, 1000], archiveMessages: 400 });
    const port = await freePort();
    procs.push(await startServe(world, port));
    if (dialect === 'postgres') procs.push(await startWorker(world));
    await fetch(`${world.sandbox.url}/__sandbox/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `http://127.0.0.1:${port}` }) });
    // The first sync and archive pull (started by the jobs at once) before the events.
    await waitUntil(() => syncFinished(world.store, world.sandbox.corpId), 'the first sync');
    await waitUntil(async () => (await maxSeq(world.store)) > 0, 'the first archive pull');
  });
  afterAll(async () => {
    for (const proc of procs) await proc.kill();
    await world?.close();
  });

  it('applies each of the 22 types, then equals a fresh full sync', async () => {
    expect(SIMULATION_TYPES).toHaveLength(22);
    const corpId = world.sandbox.corpId;
    // Targets the callbacks can follow alone. Left to chance, a renamed, re-identified or deleted
    // member in a customer group or a member tag, or a deleted tag that customers bear, changes records
    // that no callback names (member lists with names, the relations' tags): a gap reported, not tested here.
    const used = new Set<string>();
    let createdTag = '';
    const targets = async (type: SimulationType): Promise<Record<string, unknown>> => {
      if (type === 'archive.messages_added') return { count: 5 };
      if (type === 'customer_tag.deleted') return { tagId: createdTag };
      if (type !== 'member.renamed' && type !== 'member.userid_changed' && type !== 'member.deleted') return {};
      const userid = await memberInNoGroup(world.store, used);
      used.add(userid);
      return { userid };
    };
    try {
      for (const type of SIMULATION_TYPES) {
        const before = await inboxRows(world.store, corpId);
        const acked = (await callbackStats(world.sandbox)).acknowledged;
        const [result] = await postEvents(world.sandbox, { type, ...await targets(type) });
        if (type === 'customer_tag.created') createdTag = result!.changed.tag.id;
        const sent = result!.deliveries.length;
        expect(sent, type).toBeGreaterThan(0);
        await waitUntil(async () => (await callbackStats(world.sandbox)).acknowledged === acked + sent, `${type} acknowledged`);
        let rows: InboxRow[] = [];
        await waitUntil(async () => {
          rows = (await inboxRows(world.store, corpId)).slice(before.length);
          return rows.length === sent && settled(rows);
        }, `${type} applied`);
        expect(rows.map((r) => r.status), type).toEqual(rows.map(() => 'applied'));
        if (type === 'archive.messages_added') await waitUntil(async () => (await maxSeq(world.store)) >= result!.changed.lastSeq, 'the new messages pulled');
        await CHECKS[type](world.store, result!.changed, rows);
      }
      expect((await callbackStats(world.sandbox)).failed).toBe(0);
    } catch (err) {
      throw new Error(`${String(err)}\n${procs.map((p) => `--- ${p.name}:\n${p.out.stderr.slice(-4000)}${p.out.stdout.slice(-4000)}`).join('\n')}`);
    }
    expect(dumpDiff(await liveDump(world.store, corpId), await freshSyncDump(world))).toEqual({});
  });
});
