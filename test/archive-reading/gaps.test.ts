import { expect, it } from 'vitest';
import { listConversations, readConversation, searchMessages } from '../../src/services/reading.ts';
import { describeStores } from '../helpers/databases.ts';
import { runtimeOver } from './runtime.ts';
import { at, CORP, ingest, seedArchive, SINGLE } from './seed.ts';

/**
 * The four gaps found when the reference's message examples were run through the parser and the
 * reader (archive-sdk.md §4): a msgtime of 0, a call's length and kind, switch entries, and the
 * person on a contact card. Each written through the ingest, read through the services.
 */

const CHAT = { action: 'send', from: 'zhangsan', tolist: ['wmCust1'], roomid: '' };
const j = (value: unknown) => JSON.stringify(value);

const GAPS: Record<string, unknown>[] = [
  { msgid: 'z1', ...CHAT, msgtime: 0, msgtype: 'text', text: { content: '没有时间的消息' } },
  { msgid: 'z2', action: 'send', from: 'wangwu', tolist: ['lisi'], roomid: '', msgtime: 0, msgtype: 'text', text: { content: '只有这一条' } },
  { msgid: 'v1', ...CHAT, msgtime: at('2026-11-20 16:00:00'), msgtype: 'voiptext', info: { callduration: 200, invitetype: 2 } },
  { msgid: 'v2', action: 'send', from: 'lisi', tolist: ['zhangsan'], roomid: 'wrGroup1', msgtime: at('2026-11-20 16:01:00'), msgtype: 'voiptext', info: { callduration: 3725, invitetype: 3 } },
  { msgid: 'v3', ...CHAT, msgtime: at('2026-11-20 16:02:00'), msgtype: 'voiptext', info: { callduration: '45', invitetype: 9 } },
  { msgid: 'c1', ...CHAT, msgtime: at('2026-11-20 16:03:00'), msgtype: 'card', card: { corpname: '腾讯', userid: 'lisi' } },
  { msgid: 'c2', ...CHAT, msgtime: at('2026-11-20 16:04:00'), msgtype: 'card', card: { corpname: '某公司', userid: 'left_member' } },
  { msgid: 'c3', ...CHAT, msgtime: at('2026-11-20 16:05:00'), msgtype: 'chatrecord', chatrecord: { title: '转发的名片', item: [
    { type: 'ChatRecordCard', msgtime: 0, content: j({ corpname: '腾讯', userid: 'wmCust2' }), from_chatroom: false },
  ] } },
  { msgid: 'w1', action: 'switch', time: at('2026-11-20 18:00:00'), user: 'zhangsan' },
];

describeStores('reading: msgtime 0, calls, switch entries, cards', (getStore) => {
  const setUp = async () => {
    const store = getStore();
    await seedArchive(store.db, CORP);
    await ingest(store.db, CORP, GAPS);
    return runtimeOver(store, [CORP]);
  };
  const lines = async (rt: Awaited<ReturnType<typeof setUp>>, id: string, lang: 'zh' | 'en' = 'zh') =>
    (await readConversation(rt, { id, lang, limit: 1000 })).messages.flatMap((m) => m.lines);

  it('shows a msgtime of 0 as an unknown time, never as 1970, and null in JSON', async () => {
    const rt = await setUp();
    const page = await readConversation(rt, { id: SINGLE });
    const untimed = page.messages.find((m) => m.msgid === 'z1')!;
    expect(untimed).toMatchObject({ time: null, timeText: null, lines: ['时间未知 张三 → 客户陈先生: 没有时间的消息'] });
    expect((await lines(rt, SINGLE, 'en'))).toContain('unknown time 张三 → 陈先生 (customer): 没有时间的消息');
    expect((await lines(rt, SINGLE)).join('\n')).not.toContain('1970');
    const hit = (await searchMessages(rt, { text: '没有时间' })).hits[0]!;
    expect(hit).toMatchObject({ msgid: 'z1', time: null, timeText: null });
    const [only] = (await listConversations(rt, { employee: 'wangwu' })).conversations;
    expect(only).toMatchObject({ id: 'lisi|wangwu', lastMsgtime: null, lastTime: null });
  });

  it('shows a call\'s kind (invitetype) and length', async () => {
    const rt = await setUp();
    expect(await lines(rt, SINGLE)).toEqual(expect.arrayContaining([
      '2026-11-20 16:00:00 张三 → 客户陈先生: [语音通话 3分20秒]',
      '2026-11-20 16:02:00 张三 → 客户陈先生: [音视频通话 45秒]',
    ]));
    expect(await lines(rt, 'wrGroup1')).toContain('2026-11-20 16:01:00 李四: [多人视频通话 1小时2分5秒]');
    expect(await lines(rt, SINGLE, 'en')).toContain('2026-11-20 16:00:00 张三 → 陈先生 (customer): [Voice call 3 min 20 s]');
    const call = (await readConversation(rt, { id: SINGLE })).messages.find((m) => m.msgid === 'v1')!;
    expect(call.content.call).toEqual({ seconds: 200, invitetype: 2 });
  });

  it('puts a switch in its member\'s system conversation, listed with their chats, readable and searchable', async () => {
    const rt = await setUp();
    const mine = await listConversations(rt, { employee: '张三' });
    expect(mine.conversations.find((c) => c.kind === 'system')).toMatchObject({
      id: 'system:zhangsan', title: '系统记录：张三', participants: [{ id: 'zhangsan', name: '张三' }], lastTime: '2026-11-20 18:00:00',
    });
    expect((await listConversations(rt, { kind: 'system', lang: 'en' })).conversations.map((c) => c.title)).toEqual(['System log: 张三']);
    expect((await listConversations(rt, { kind: 'single' })).conversations.map((c) => c.id)).not.toContain('system:zhangsan');
    expect((await listConversations(rt, { search: '张三' })).conversations.map((c) => c.id)).toContain('system:zhangsan');
    expect(await lines(rt, 'system:zhangsan')).toEqual(['2026-11-20 18:00:00 张三 切换了企业（企业微信切换到另一家企业）']);

    for (const text of ['切换企业', 'switched company', 'zhangsan']) {
      const found = await searchMessages(rt, { text });
      expect(found.hits.map((h) => h.msgid), text).toContain('w1');
    }
    const [hit] = (await searchMessages(rt, { text: '切换', employee: '张三', types: 'switch' })).hits;
    expect(hit).toMatchObject({
      msgid: 'w1', typeLabel: '切换企业', snippet: '切换了企业（企业微信切换到另一家企业）',
      sender: { id: 'zhangsan', label: '张三' }, conversation: { id: 'system:zhangsan', kind: 'system', title: '系统记录：张三' },
    });
  });

  it('names the person on a contact card, nested in a forwarded chat too', async () => {
    const rt = await setUp();
    const all = await lines(rt, SINGLE);
    expect(all).toEqual(expect.arrayContaining([
      '2026-11-20 16:03:00 张三 → 客户陈先生: [名片 李四（lisi）] 腾讯',
      '2026-11-20 16:04:00 张三 → 客户陈先生: [名片 left_member] 某公司',
      '    └ [名片 客户刘女士（wmCust2）] 腾讯',
    ]));
    expect(await lines(rt, SINGLE, 'en')).toEqual(expect.arrayContaining([
      '2026-11-20 16:03:00 张三 → 陈先生 (customer): [Contact card 李四 (lisi)] 腾讯',
      '    └ [Contact card 刘女士 (customer wmCust2)] 腾讯',
    ]));
    const card = (await readConversation(rt, { id: SINGLE })).messages.find((m) => m.msgid === 'c1')!;
    expect(card.content.card).toEqual({ id: 'lisi', kind: 'employee', name: '李四' });
  });
});
