import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_EVENTS, type EventKind } from '../../src/wecom/callback/events.ts';
import { archiveExtension } from '../../src/sandbox/archive/index.ts';
import { SIMULATION_TYPES, describeSimulations, startSandbox, type Sandbox, type SimulationType } from '../../src/sandbox/index.ts';
import { chatdata } from '../sandbox-archive/helpers.ts';
import { clientFor, type TestClient, type WecomAnswer } from '../sandbox/helpers.ts';
import { startReceiver, type Receiver } from './receiver.ts';

/**
 * Every simulated event type: the callback arrives at the right URL kind, opens with that kind's
 * keys, parses as the catalogue event the table says with the right fields, and the sandbox's API
 * shows the change afterwards, as a full sync would see it.
 */

let sandbox: Sandbox;
let receiver: Receiver;
let client: TestClient;

beforeAll(async () => {
  sandbox = await startSandbox({
    seed: 23, now: new Date('2025-03-01T12:00:00Z'), extensions: [archiveExtension()],
    callbacks: { kinds: ['contacts', 'customer', 'archive'], pumpIntervalMs: false },
  });
  receiver = await startReceiver({ corpId: sandbox.corpId, secrets: sandbox.callbacks.secrets, now: () => sandbox.clock.nowMs() });
  sandbox.callbacks.setUrl(receiver.url);
  client = clientFor(sandbox);
});
afterAll(async () => {
  await sandbox?.close();
  await receiver?.close();
});

type Changed = Record<string, any>;
type Check = (changed: Changed) => Promise<void>;

const customer = (id: string) => client.get('externalcontact/get', { external_userid: id }, 'customer');
const group = (chatId: string) => client.post('externalcontact/groupchat/get', { chat_id: chatId }, 'customer');
const corpTags = async () => (await client.post('externalcontact/get_corp_tag_list', {}, 'customer')).tag_group as Array<{ group_id: string; tag: Array<{ id: string; name: string; order: number }> }>;
const followers = (answer: WecomAnswer) => (answer.errcode === 0 ? (answer.follow_user as Array<{ userid: string; remark: string }>) : []);

/** What the API must show after each type (the first userid/external id in `changed` are the targets). */
const API_CHECKS: Record<SimulationType, Check> = {
  'member.renamed': async (c) => expect((await client.get('user/get', { userid: c.userid })).name).toBe(c.name),
  'member.userid_changed': async (c) => {
    expect((await client.get('user/get', { userid: c.userid })).errcode).toBe(0);
    expect((await client.get('user/get', { userid: c.previousUserid })).errcode).toBe(60111);
  },
  'member.moved': async (c) => expect((await client.get('user/get', { userid: c.userid })).department).toEqual(c.department),
  'member.deleted': async (c) => expect((await client.get('user/get', { userid: c.userid })).errcode).toBe(60111),
  'department.created': async (c) => expect((await client.get('department/get', { id: c.department.id })).department).toMatchObject({ name: c.department.name, parentid: c.department.parentid }),
  'member_tag.updated': async (c) => {
    const tag = await client.get('tag/get', { tagid: c.tagid });
    expect((tag.userlist as Array<{ userid: string }>).map((u) => u.userid).sort()).toEqual([...c.userids].sort());
  },
  'customer.added': async (c) => expect(followers(await customer(c.external_userid)).map((f) => f.userid)).toContain(c.userid),
  'customer.half_added': async (c) => expect(followers(await customer(c.external_userid)).map((f) => f.userid)).toContain(c.userid),
  'customer.edited': async (c) => expect(followers(await customer(c.external_userid)).find((f) => f.userid === c.userid)?.remark).toBe(c.remark),
  'customer.deleted_by_member': async (c) => expect(followers(await customer(c.external_userid)).map((f) => f.userid)).not.toContain(c.userid),
  'member.deleted_by_customer': async (c) => expect(followers(await customer(c.external_userid)).map((f) => f.userid)).toContain(c.userid),
  'archive.consent_approved': async (c) => {
    const answer = await client.post('msgaudit/check_single_agree', { info: [{ userid: c.userid, exteranalopenid: c.external_userid }] }, 'archive');
    expect(answer.agreeinfo).toEqual([expect.objectContaining({ agree_status: 'Agree', status_change_time: c.status_change_time })]);
  },
  'group.created': async (c) => expect((await group(c.chat_id)).group_chat).toMatchObject({ name: c.name, owner: c.owner }),
  'group.renamed': async (c) => expect((await group(c.chat_id)).group_chat.name).toBe(c.name),
  'group.joined': async (c) => {
    const chat = (await group(c.chat_id)).group_chat;
    expect(chat.member_list.map((m: { userid: string }) => m.userid)).toContain(c.joined);
    expect(chat.member_version).toBe(c.member_version);
  },
  'group.left': async (c) => expect((await group(c.chat_id)).group_chat.member_list.map((m: { userid: string }) => m.userid)).not.toContain(c.left),
  'group.dismissed': async (c) => expect((await group(c.chat_id)).errcode).not.toBe(0),
  'customer_tag.created': async (c) => expect((await corpTags()).flatMap((g) => g.tag).find((t) => t.id === c.tag.id)?.name).toBe(c.tag.name),
  'customer_tag.updated': async (c) => expect((await corpTags()).flatMap((g) => g.tag).find((t) => t.id === c.tag.id)?.name).toBe(c.tag.name),
  'customer_tag.deleted': async (c) => expect((await corpTags()).flatMap((g) => g.tag).map((t) => t.id)).not.toContain(c.tag.id),
  'customer_tag.shuffled': async (c) => {
    const tags = (await corpTags()).find((g) => g.group_id === c.group_id)!.tag;
    expect(tags.map((t) => ({ id: t.id, order: t.order }))).toEqual(expect.arrayContaining(c.order));
  },
  'archive.messages_added': async (c) => {
    const page = await chatdata(sandbox, c.firstSeq - 1, 1000);
    expect(page.chatdata!.map((m) => m.seq)).toEqual(Array.from({ length: c.messages }, (_, k) => c.firstSeq + k));
  },
};

/** The fields each event must carry, from what changed. */
function expectedFields(type: SimulationType, c: Changed): Record<string, unknown> {
  const pair = { UserID: c.userid, ExternalUserID: c.external_userid };
  switch (type) {
    case 'member.renamed': return { UserID: c.userid, Name: c.name };
    case 'member.userid_changed': return { UserID: c.previousUserid, NewUserID: c.userid };
    case 'member.moved': return { UserID: c.userid, Department: c.department.map(String), MainDepartment: String(c.department[0]) };
    case 'member.deleted': return { UserID: c.userid };
    case 'department.created': return { Id: String(c.department.id), Name: c.department.name, ParentId: String(c.department.parentid), Order: c.department.order };
    case 'member_tag.updated': return { TagId: String(c.tagid) };
    case 'group.created': case 'group.dismissed': return { ChatId: c.chat_id };
    case 'group.renamed': return { ChatId: c.chat_id, UpdateDetail: 'change_name' };
    case 'group.joined': return { ChatId: c.chat_id, UpdateDetail: 'add_member', MemChangeList: [c.joined], MemChangeCnt: 1, CurMemVer: c.member_version };
    case 'group.left': return { ChatId: c.chat_id, UpdateDetail: 'del_member', MemChangeList: [c.left], QuitScene: 0, CurMemVer: c.member_version };
    case 'customer_tag.created': case 'customer_tag.updated': case 'customer_tag.deleted': return { Id: c.tag.id, TagType: 'tag' };
    case 'customer_tag.shuffled': return { Id: c.group_id };
    case 'archive.messages_added': return {};
    default: return pair;
  }
}

describe('POST /__sandbox/events, one type at a time', () => {
  it('lists every type with what it changes and sends', async () => {
    const listed = await (await fetch(`${sandbox.url}/__sandbox/events`)).json() as { types: ReturnType<typeof describeSimulations> };
    expect(listed.types.map((t) => t.type)).toEqual(SIMULATION_TYPES);
  });

  for (const row of describeSimulations()) {
    it(`${row.type}: sends ${row.sends.join(', ')} and the API shows the change`, async () => {
      const before = receiver.received.length;
      const response = await fetch(`${sandbox.url}/__sandbox/events`, { method: 'POST', body: JSON.stringify({ type: row.type }) });
      expect(response.status).toBe(200);
      const [result] = ((await response.json()) as { results: Array<{ type: string; changed: Changed; deliveries: Array<{ id: string; kind: string }> }> }).results;
      await sandbox.callbacks.idle();
      const arrived = receiver.received.slice(before);
      expect(receiver.refused).toEqual([]);
      const expectedKinds = row.sends.flatMap((kind) => CALLBACK_EVENTS[kind].deliveredBy.filter((k) => k !== 'app'));
      expect(result!.deliveries.map((d) => d.kind)).toEqual(expectedKinds);
      expect(arrived.map((r) => r.kind)).toEqual(expectedKinds);
      for (const [i, delivered] of arrived.entries()) {
        const kind: EventKind = row.sends[i]!;
        expect(delivered.event.kind).toBe(kind);
        expect(delivered.event.header).toMatchObject({ toUserName: sandbox.corpId, fromUserName: 'sys', msgType: 'event', createTime: sandbox.clock.nowSeconds() });
        expect(delivered.event.kind !== 'unknown' && delivered.event.fields).toMatchObject(expectedFields(row.type, result!.changed));
      }
      await API_CHECKS[row.type](result!.changed);
    });
  }
});
