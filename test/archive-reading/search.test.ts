import { CompiledQuery, sql } from 'kysely';
import { expect, it } from 'vitest';
import { buildArchiveSearch, searchArchive, snippet, type ArchiveSearchQuery } from '../../src/archive/reading/search.ts';
import { parseTimeRange } from '../../src/archive/reading/time.ts';
import { describeStores } from '../helpers/databases.ts';
import { at, CORP, ingest, INTERNAL, OTHER_SINGLE, seedArchive, SINGLE } from './seed.ts';

const ids = (result: { hits: { msgid: string }[] }) => result.hits.map((h) => h.msgid);

describeStores('archive search', (getStore, dialect) => {
  const search = (text: string, query: Partial<ArchiveSearchQuery> = {}) => searchArchive(getStore().db, CORP, { text, ...query });

  it('finds 3+ character Chinese text inside forwarded chats, nested mixed items and file names', async () => {
    await seedArchive(getStore().db);
    expect(ids(await search('折扣方案'))).toEqual(['m5']);
    expect(ids(await search('混合消息'))).toEqual(['m5']);
    expect(ids(await search('附件清单'))).toEqual(['m5']);
    expect(ids(await search('报价单2026'))).toEqual(['m4']);
    expect(ids(await search('收到，谢谢'))).toEqual(['g3']);
    expect(ids(await search('日报：今天'))).toEqual(['g2']);
    const hit = (await search('折扣方案')).hits[0]!;
    expect(hit.snippet).toContain('【折扣方案】');
    expect(hit.sender).toEqual({ id: 'zhangsan', kind: 'employee', name: '张三' });
    expect(hit.conversation).toMatchObject({ id: SINGLE, kind: 'single' });
    expect(hit.conversation.participants.map((p) => p.name)).toEqual(['张三', '陈先生']);
    expect((await search('折扣方案')).indexed).toBe(true);
  });

  it('answers 1 and 2 character queries by scanning, exactly as a substring match would', async () => {
    const { db } = getStore();
    await seedArchive(db);
    const all = await db.selectFrom('messages').select(['msgid', 'search_text', 'msgtime', 'id']).where('corp_id', '=', CORP).execute();
    for (const query of ['合同', '合', '谢谢', 'pd', '，']) {
      const expected = all.filter((m) => m.search_text?.toLowerCase().includes(query.toLowerCase()))
        .sort((a, b) => b.msgtime! - a.msgtime! || b.id - a.id).map((m) => m.msgid);
      const result = await search(query);
      expect(result.indexed, query).toBe(false);
      expect(ids(result), query).toEqual(expected);
      expect(expected.length, query).toBeGreaterThan(0);
    }
    expect(ids(await search('合同'))).toEqual(['s1', 'i1', 'm1']);
  });

  it('takes words separated by spaces as all required, in any order; a quoted query as one phrase', async () => {
    await seedArchive(getStore().db);
    // m1: 您好，关于合同条款我们明天再确认; s1: 合同已寄出，请查收.
    expect(ids(await search('合同 明天'))).toEqual(['m1']);
    expect((await search('合同 明天')).indexed).toBe(false);
    expect(ids(await search('明天再确认 合同'))).toEqual(['m1']);
    expect((await search('明天再确认 合同')).indexed).toBe(true);
    expect(ids(await search('合同条款\u3000确认'))).toEqual(['m1']);
    expect(ids(await search('  合同   寄出 '))).toEqual(['s1']);
    expect(ids(await search('合同 没有这句话'))).toEqual([]);
    expect(ids(await search('"合同 明天"'))).toEqual([]);
    expect(ids(await search('"关于合同"'))).toEqual(['m1']);
    expect(ids(await search('"关于合同" 明天'))).toEqual(['m1']);
    expect(ids(await search('明天 "合同 明天"'))).toEqual([]);
    expect((await search('明天 合同')).hits[0]!.snippet).toBe('您好，关于【合同】条款我们【明天】再确认');
  });

  it('filters by employee, customer, conversation, type and China-time dates', async () => {
    await seedArchive(getStore().db);
    // lisi sent s1 and received i1 (tolist), took no part in m1.
    expect(ids(await search('合同', { employee: 'lisi' }))).toEqual(['s1', 'i1']);
    expect(ids(await search('合同', { customer: 'wmCust1' }))).toEqual(['m1']);
    expect(ids(await search('合同', { customer: 'wmCust2', employee: 'lisi' }))).toEqual(['s1']);
    expect(ids(await search('合同', { conversationId: INTERNAL }))).toEqual(['i1']);
    expect(ids(await search('合同', { conversationId: OTHER_SINGLE }))).toEqual(['s1']);
    expect(ids(await search('2026', { msgtypes: ['file'] }))).toEqual(['m4']);
    expect(ids(await search('2026', { msgtypes: ['text'] }))).toEqual([]);
    // i1 is 2026-11-21 10:00 in Shanghai, which is still 2026-11-20 in UTC: the day is China's.
    expect(ids(await search('合同', parseTimeRange('2026-11-21', '2026-11-21')))).toEqual(['s1', 'i1']);
    expect(ids(await search('合同', parseTimeRange(undefined, '2026-11-20')))).toEqual(['m1']);
    expect(ids(await search('合同', parseTimeRange('2026-11-21 10:00', '2026-11-21 10:00')))).toEqual(['i1']);
    expect(ids(await search('合同', { limit: 1, offset: 1 }))).toEqual(['i1']);
    expect(ids(await search('合同条款', { employee: 'nobody' }))).toEqual([]);
  });

  it('plans 3+ character searches on the trigram index, with the participant filters on', async () => {
    const { db } = getStore();
    await seedArchive(db);
    const filler = Array.from({ length: 3_000 }, (_, i) => ({
      msgid: `f${i}`, action: 'send', from: 'wangwu', tolist: ['zhangsan'], roomid: '', msgtime: at('2026-11-22 09:00:00') + i,
      msgtype: 'text', text: { content: `第${i}条日常消息：今天天气不错，记得提交周报${i % 97}` },
    }));
    for (let i = 0; i < filler.length; i += 1000) await ingest(db, CORP, filler.slice(i, i + 1000));
    if (dialect === 'postgres') await sql`vacuum analyze messages`.execute(db);
    const compiled = buildArchiveSearch(db, CORP, { text: '折扣方案', employee: 'zhangsan', customer: 'wmCust1', ...parseTimeRange('2026-11-01') })!.compile();
    const explain = dialect === 'sqlite' ? 'explain query plan' : 'explain';
    const plan = await db.executeQuery(CompiledQuery.raw(`${explain} ${compiled.sql}`, [...compiled.parameters]));
    expect(JSON.stringify(plan.rows)).toMatch(dialect === 'sqlite' ? /VIRTUAL TABLE INDEX/ : /messages_search_trgm/);
    expect(ids(await search('折扣方案', { employee: 'zhangsan', customer: 'wmCust1' }))).toEqual(['m5']);
  });
});

it('cuts a snippet around the first match, case-insensitively, on one line', () => {
  expect(snippet('第一行\n第二行有合同条款和其他内容', '合同条款')).toBe('第一行 / 第二行有【合同条款】和其他内容');
  expect(snippet('The Quick brown fox', 'quick')).toBe('The 【Quick】 brown fox');
  const long = `${'前'.repeat(30)}目标${'后'.repeat(50)}`;
  expect(snippet(long, '目标')).toBe(`…${'前'.repeat(20)}【目标】${'后'.repeat(40)}…`);
});
