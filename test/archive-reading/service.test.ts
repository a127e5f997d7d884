import { expect, it } from 'vitest';
import { listConversations, readConversation, searchMessages } from '../../src/services/reading.ts';
import { describeStores } from '../helpers/databases.ts';
import { runtimeOver } from './runtime.ts';
import { at, CORP, ingest, INTERNAL, OTHER_SINGLE, seedArchive, SINGLE } from './seed.ts';

/**
 * The reading services as every face calls them, with two corps configured whose archives hold the
 * same ids (the seed, twice): rows carry their corp, lists merge newest first, a limit says what it
 * left out, and an id both corps have is a question, not a guess.
 */

/** Sorts after CORP, as the runtime sorts corp ids. */
const SECOND = 'wwzzsecondcorp';

describeStores('reading services over several corps', (getStore) => {
  const setUp = async () => {
    const store = getStore();
    await seedArchive(store.db, CORP);
    await seedArchive(store.db, SECOND);
    return runtimeOver(store, [CORP, SECOND]);
  };

  it('lists every corp\'s conversations newest first, each row with its corp; --corp narrows; a cut list says how many match', async () => {
    const rt = await setUp();
    const all = await listConversations(rt, {});
    expect(all).toMatchObject({ ok: true, truncated: false, total: 8 });
    expect(all.conversations.map((c) => [c.corpId, c.id])).toEqual([
      [CORP, OTHER_SINGLE], [SECOND, OTHER_SINGLE], [CORP, INTERNAL], [SECOND, INTERNAL],
      [CORP, 'wrGroup1'], [SECOND, 'wrGroup1'], [CORP, SINGLE], [SECOND, SINGLE],
    ]);
    expect(all.conversations[0]).toMatchObject({ kind: 'single', title: '李四 ↔ 客户刘女士', lastTime: '2026-11-21 11:00:00', lastMsgtime: at('2026-11-21 11:00:00') });

    const cut = await listConversations(rt, { limit: 3 });
    expect(cut).toMatchObject({ truncated: true, total: 8 });
    expect(cut.conversations).toHaveLength(3);
    const groups = await listConversations(rt, { corp: SECOND, kind: 'group', lang: 'en' });
    expect(groups).toMatchObject({ truncated: false, total: 2 });
    expect(groups.conversations.map((c) => [c.corpId, c.title])).toEqual([[SECOND, `unnamed group ${INTERNAL}`], [SECOND, '华东客户交流群']]);
    await expect(listConversations(rt, { corp: 'wwnobody' })).rejects.toMatchObject({ code: 'config_unknown_corp' });
    await expect(listConversations(rt, { kind: 'room' })).rejects.toMatchObject({ code: 'archive_bad_kind' });
    await expect(listConversations(rt, { limit: 0 })).rejects.toMatchObject({ code: 'archive_bad_limit' });
  });

  it('reads a conversation from the one corp that has it; an id two corps share asks for --corp', async () => {
    const rt = await setUp();
    await expect(readConversation(rt, { id: SINGLE })).rejects.toMatchObject({
      code: 'archive_conversation_ambiguous', vars: expect.objectContaining({ corps: `${CORP}, ${SECOND}` }),
    });
    await expect(readConversation(rt, { id: 'wrNope' })).rejects.toMatchObject({ code: 'archive_no_conversation' });
    await ingest(getStore().db, SECOND, [{ msgid: 'x1', action: 'send', from: 'zhaoliu', tolist: ['wmCust9'], roomid: '', msgtime: at('2026-11-22 09:00:00'), msgtype: 'text', text: { content: '只在第二个企业' } }]);
    const only = await readConversation(rt, { id: 'wmCust9|zhaoliu' });
    expect(only).toMatchObject({ conversation: { corpId: SECOND }, truncated: false, total: 1 });
    expect(only.messages[0]!.lines).toEqual(['2026-11-22 09:00:00 赵六 → 客户wmCust9: 只在第二个企业']);
  });

  it('says when a page leaves messages out, which end, and how many the range holds', async () => {
    const rt = await setUp();
    const whole = await readConversation(rt, { id: SINGLE, corp: CORP });
    expect(whole).toMatchObject({ truncated: false, total: 6, direction: 'earlier' });
    const latest = await readConversation(rt, { id: SINGLE, corp: SECOND, limit: 2 });
    expect(latest).toMatchObject({ ok: true, truncated: true, total: 6, direction: 'earlier', conversation: { corpId: SECOND, title: '张三 ↔ 客户陈先生' } });
    expect(latest.messages.map((m) => m.msgid)).toEqual(['m5', 'm6']);
    expect(latest.messages[0]).toMatchObject({ seq: expect.stringMatching(/^\d+$/), timeText: '2026-11-20 14:06:00', sender: { label: '张三' } });
    const later = await readConversation(rt, { id: SINGLE, corp: CORP, from: '2026-11-20 14:04', limit: 2 });
    expect(later).toMatchObject({ truncated: true, total: 4, direction: 'later' });
    expect(later.messages.map((m) => m.msgid)).toEqual(['m3', 'm4']);
    expect(await readConversation(rt, { id: SINGLE, corp: CORP, from: '2026-11-20 14:04', limit: 4 })).toMatchObject({ truncated: false, total: 4 });
  });

  it('searches every corp newest first, each hit with its corp; a limit that cuts says so; a blank search is refused', async () => {
    const rt = await setUp();
    const both = await searchMessages(rt, { text: '合同' });
    expect(both).toMatchObject({ ok: true, truncated: false, indexed: false });
    expect(both.hits.map((h) => [h.msgid, h.corpId])).toEqual([['s1', CORP], ['s1', SECOND], ['i1', CORP], ['i1', SECOND], ['m1', CORP], ['m1', SECOND]]);
    expect(both.hits[0]).toMatchObject({
      seq: expect.stringMatching(/^\d+$/), timeText: '2026-11-21 11:00:00', typeLabel: '文本', snippet: '【合同】已寄出，请查收',
      conversation: { corpId: CORP, id: OTHER_SINGLE, title: '李四 ↔ 客户刘女士' }, sender: { id: 'lisi', label: '李四' },
    });
    const cut = await searchMessages(rt, { text: '合同', limit: 3 });
    expect(cut).toMatchObject({ truncated: true });
    expect(cut.hits).toHaveLength(3);
    expect((await searchMessages(rt, { text: '合同', limit: 6 })).truncated).toBe(false);
    expect((await searchMessages(rt, { text: '2026', types: ['file'], corp: SECOND })).hits.map((h) => [h.msgid, h.corpId])).toEqual([['m4', SECOND]]);
    expect((await searchMessages(rt, { text: '2026', types: 'file' })).hits).toHaveLength(2);
    for (const blank of ['', '   ']) await expect(searchMessages(rt, { text: blank })).rejects.toMatchObject({ code: 'archive_empty_search' });
    await expect(searchMessages(rt, { text: '合同', types: 'letter' })).rejects.toMatchObject({ code: 'archive_bad_msgtype' });
    await expect(searchMessages(rt, { text: '合同', from: '2026-11-21', to: '2026-11-20' })).rejects.toMatchObject({ code: 'archive_bad_range' });
  });

  it('takes a name as each corp knows it, leaving out the corps where it means nobody', async () => {
    const rt = await setUp();
    await getStore().db.updateTable('employees').set({ name: '张三丰' }).where('corp_id', '=', SECOND).where('userid', '=', 'zhangsan').execute();
    // zhangsan sent i1 (internal group) and m1 (his chat with 陈先生).
    expect((await searchMessages(rt, { text: '合同', employee: '张三' })).hits.map((h) => [h.msgid, h.corpId])).toEqual([['i1', CORP], ['m1', CORP]]);
    expect((await searchMessages(rt, { text: '合同', employee: '张三丰' })).hits.map((h) => [h.msgid, h.corpId])).toEqual([['i1', SECOND], ['m1', SECOND]]);
    // An id is taken in every corp.
    expect((await searchMessages(rt, { text: '合同', employee: 'zhangsan' })).hits).toHaveLength(4);
    const chats = await listConversations(rt, { employee: '张三', customer: '陈先生', kind: 'single' });
    expect(chats.conversations.map((c) => [c.corpId, c.id])).toEqual([[CORP, SINGLE]]);
    await expect(searchMessages(rt, { text: '合同', employee: '无此人' })).rejects.toMatchObject({ code: 'archive_unknown_person' });
  });
});
