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
/**
 * A member in a customer group (owner or member) and, when one exists, in a member tag: renaming,
 * re-identifying or deleting them changes records no callback names, which the store must follow.
 */
async function memberInGroups(store: Store, used: Set<string>): Promise<string> {
  const inGroups = new Set([
    ...(await store.db.selectFrom('group_members').select('member_id as id').where('type', '=', 1).execute()).map((r) => r.id),
    ...(await store.db.selectFrom('customer_groups').select('owner as id').execute()).map((r) => r.id),
  ]);
  const tagged = new Set((await store.db.selectFrom('member_tag_users').select('userid').execute()).map((r) => r.userid));
  const members = (await store.db.selectFrom('employees').select('userid').where('deleted_at', 'is', null).orderBy('userid').execute())
    .map((m) => m.userid).filter((userid) => inGroups.has(userid) && !used.has(userid));
  const found = members.find((userid) => tagged.has(userid)) ?? members[0];
  if (!found) throw new Error('no member left in a customer group: pick another seed');
  return found;
}

/** A customer tag that live relations carry: deleting it takes it off them. */
async function tagBorne(store: Store, used: Set<string>): Promise<string> {
  const rows = await store.db.selectFrom('follow_relation_tags as t')
    .innerJoin('follow_relations as f', (j) => j.onRef('f.corp_id', '=', 't.corp_id').onRef('f.external_userid', '=', 't.external_userid').onRef('f.userid', '=', 't.userid'))
    .select('t.tag_id')  .where('f.deleted_at', 'is', null).groupBy('t.tag_id').orderBy('t.tag_id').execute();
  const found = rows.map((r) => r.tag_id).find((id) => !used.has(id));
  if (!found) throw new Error('no customer tag borne by a relation: pick another seed');
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
    // Targets whose changes reach records no callback names: a member in customer groups and a
    // member tag (their member lists), a customer tag that relations carry (the relations' tags).
    const used = new Set<string>();
    const targets = async (type: SimulationType): Promise<Record<string, unknown>> => {
      if (type === 'archive.messages_added') return { count: 5 };
      if (type === 'customer_tag.deleted') {
        const tagId = await tagBorne(world.store, used);
        used.add(tagId);
        return { tagId };
      }
      if (type !== 'member.renamed' && type !== 'member.userid_changed' && type !== 'member.deleted') return {};
      const userid = await memberInGroups(world.store, used);
      used.add(userid);
      return { userid };
    };
    try {
      for (const type of SIMULATION_TYPES) {
        const before = await inboxRows(world.store, corpId);
        const acked = (await callbackStats(world.sandbox)).acknowledged;
        const [result] = await postEvents(world.sandbox, { type, ...await targets(type) });
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
