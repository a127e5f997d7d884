import { expect, it } from 'vitest';
import { readConversation } from '../../src/archive/reading/conversation.ts';
import { conversationTitle, listConversations } from '../../src/archive/reading/conversations.ts';
import { renderConversation } from '../../src/archive/reading/render.ts';
import { parseTimeRange } from '../../src/archive/reading/time.ts';
import { mediaRepository } from '../../src/store/media.repository.ts';
import { describeStores } from '../helpers/databases.ts';
import { CORP, INTERNAL, OTHER_SINGLE, seedArchive, SINGLE } from './seed.ts';

describeStores('reading a conversation', (getStore) => {
  it('renders messages in order, in China time, with names, recalls, files and nested items', async () => {
    const { db } = getStore();
    await seedArchive(db);
    await mediaRepository.markMediaDownloaded(db, CORP, 'm4', '', { stored_path: 'x/m4.pdf', sha256: 'ff' });
    const view = await readConversation(db, CORP, SINGLE);
    expect(view.messages.map((m) => m.msgid)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    const zh = renderConversation(view, 'zh').split('\n');
    expect(zh).toEqual([
      `会话：张三 ↔ 客户陈先生（${SINGLE}）`,
      '2026-11-20 14:03:05 张三 → 客户陈先生: 您好，关于合同条款我们明天再确认',
      '2026-11-20 14:03:40 客户陈先生 → 张三: [图片 12 KB，待下载] 「已撤回 2026-11-20 14:04:10」',
      '2026-11-20 14:04:10 客户陈先生 撤回了一条消息（14:03:40 的消息）',
      '2026-11-20 14:05:00 张三 → 客户陈先生: [文件 报价单2026.pdf 1.2 MB，已下载]',
      '2026-11-20 14:06:00 张三 → 客户陈先生: [聊天记录] 张三和李四的聊天记录',
      '    └ 2026-11-19 09:00:00 内部讨论的折扣方案',
      '    └ 2026-11-19 09:01:00 [文件 附件清单.xlsx 2 KB，待下载]',
      '    └ 2026-11-19 09:02:00 [图文混排]',
      '        └ 嵌套的混合消息内容',
      '2026-11-20 14:07:00 客户陈先生 → 张三: [不同意存档]',
    ]);
    const en = renderConversation(view, 'en');
    expect(en).toContain('2026-11-20 14:03:40 陈先生 (customer) → 张三: [Image 12 KB, pending] (recalled 2026-11-20 14:04:10)');
    expect(en).toContain('2026-11-20 14:04:10 陈先生 (customer) recalled a message (sent 14:03:40)');
    expect(view.messages[1]).toMatchObject({ recalled: { msgid: 'm3' }, content: { media: { type: 'image', size: 12_288, status: 'pending' } } });
    expect(view.messages[2]).toMatchObject({ recalls: { msgid: 'm2', found: true } });
    expect(view.messages[4]!.content.items[1]).toMatchObject({ path: 'item[1]', media: { filename: '附件清单.xlsx', status: 'pending' } });
  });

  it('names groups, robots and unnamed rooms, and pages by time', async () => {
    const { db } = getStore();
    await seedArchive(db);
    const group = renderConversation(await readConversation(db, CORP, 'wrGroup1'), 'zh').split('\n');
    expect(group).toEqual([
      '会话：华东客户交流群（wrGroup1）',
      '2026-11-20 15:00:00 李四: 大家好，新品发布会在周五',
      '2026-11-20 15:01:00 机器人日报助手: 日报：今天成交三单',
      '2026-11-20 15:02:00 客户陈先生: [图文混排]',
      '    └ 收到，谢谢',
      '    └ [图片 300 B，待下载]',
    ]);
    expect(renderConversation(await readConversation(db, CORP, INTERNAL), 'en')).toContain(`Conversation: unnamed group ${INTERNAL}`);
    const later = await readConversation(db, CORP, SINGLE, { ...parseTimeRange('2026-11-20 14:04'), limit: 2 });
    expect(later.messages.map((m) => m.msgid)).toEqual(['m3', 'm4']);
    // Without --from: the latest N, still in time order; the revoke still points at its original.
    const latest = await readConversation(db, CORP, SINGLE, { limit: 4 });
    expect(latest.messages.map((m) => m.msgid)).toEqual(['m3', 'm4', 'm5', 'm6']);
    expect(latest.messages[0]).toMatchObject({ recalls: { msgid: 'm2', found: true, time: expect.any(Number) } });
    await expect(readConversation(db, CORP, 'wrNope')).rejects.toMatchObject({ code: 'archive_no_conversation' });
  });

  it('lists conversations with names, filtered by who took part, kind and names', async () => {
    const { db } = getStore();
    await seedArchive(db);
    const list = async (filters: Parameters<typeof listConversations>[2]) =>
      (await listConversations(db, CORP, filters)).map((c) => conversationTitle(c, 'zh'));
    expect(await list({})).toEqual(['李四 ↔ 客户刘女士', `未命名群 ${INTERNAL}`, '华东客户交流群', '张三 ↔ 客户陈先生']);
    expect(await list({ kind: 'single' })).toEqual(['李四 ↔ 客户刘女士', '张三 ↔ 客户陈先生']);
    // lisi: his 1:1 chat, the internal group (a receiver there) and the customer group (a sender).
    expect(await list({ employee: 'lisi' })).toEqual(['李四 ↔ 客户刘女士', `未命名群 ${INTERNAL}`, '华东客户交流群']);
    expect(await list({ customer: 'wmCust1' })).toEqual(['华东客户交流群', '张三 ↔ 客户陈先生']);
    expect(await list({ customer: 'wmCust1', kind: 'group' })).toEqual(['华东客户交流群']);
    expect(await list({ search: '陈先生' })).toEqual(['张三 ↔ 客户陈先生']);
    expect(await list({ search: '华东' })).toEqual(['华东客户交流群']);
    expect(await list({ search: 'wrInternal' })).toEqual([`未命名群 ${INTERNAL}`]);
    expect(await list({ limit: 1 })).toEqual(['李四 ↔ 客户刘女士']);
    const [first] = await listConversations(db, CORP, { limit: 1 });
    expect(first).toMatchObject({ id: OTHER_SINGLE, kind: 'single', lastMsgtime: Date.parse('2026-11-21T11:00:00+08:00') });
  });

  it('lists a conversation whose messages carry no time last, on both databases', async () => {
    const { db } = getStore();
    await seedArchive(db);
    await db.insertInto('conversations').values({ corp_id: CORP, conversation_id: 'wrNoTime', kind: 'group', name: null, last_msgtime: null }).execute();
    const ids = (await listConversations(db, CORP, {})).map((c) => c.id);
    expect(ids.at(-1)).toBe('wrNoTime');
    expect(ids[0]).toBe(OTHER_SINGLE);
  });
});
