import { CompiledQuery, sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import type { Database } from './database.ts';
import { buildSearchQuery, FEW_HITS, searchPlan } from './message-search.ts';
import { messagesRepository as repo, type MessageInput } from './messages.repository.ts';
import { syncStateRepository } from './sync-state.repository.ts';

const CORP = 'wwcorp1';
const BIG = 2n ** 53n + 1n; // the first integer a JS number cannot hold

let nextSeq = 1n;
function message(msgid: string, text: string | null, extra: Partial<MessageInput> = {}): MessageInput {
  return {
    seq: (nextSeq += 1n), msgid, publickey_ver: 1, encrypt_random_key: `rk-${msgid}`, encrypt_chat_msg: `cm-${msgid}`,
    status: 'decrypted', action: 'send', msgtype: 'text', conversation_id: 'single:lisi:zhangsan', sender: 'zhangsan',
    receivers: JSON.stringify(['lisi']), msgtime: 1_700_000_000_000, search_text: text,
    raw_json: JSON.stringify({ msgid, text: { content: text } }), ...extra,
  };
}

const CHAT = [
  message('m1', '您好，这是关于合同条款的会话存档测试', { msgtime: 1_000 }),
  message('m2', '请查收合同附件', { msgtime: 2_000, msgtype: 'file', sender: 'lisi' }),
  message('m3', 'The quick brown fox', { msgtime: 3_000, conversation_id: 'room:wr1' }),
  message('m4', '会议改到明天下午', { msgtime: 4_000, conversation_id: 'room:wr1', sender: 'wmCust1' }),
  message('m5', '100% 完成_进度 "引号"', { msgtime: 5_000 }),
  message('m6', null, { msgtime: 6_000, status: 'missing_key', msgtype: null, raw_json: null }),
];

async function seed(db: Kysely<Database>) {
  await syncStateRepository.ensureCorp(db, CORP);
  await syncStateRepository.ensureCorp(db, 'wwcorp2');
  await repo.insertMessages(db, CORP, CHAT, 9_000);
  await repo.insertMessages(db, 'wwcorp2', [message('x1', '合同条款在另一家公司')], 9_000);
}

const ids = (rows: { msgid: string }[]) => rows.map((r) => r.msgid);
const getMessage = (db: Kysely<Database>, msgid: string) =>
  db.selectFrom('messages').selectAll().where('corp_id', '=', CORP).where('msgid', '=', msgid).executeTakeFirst();
const conversations = (db: Kysely<Database>) =>
  db.selectFrom('conversations').selectAll().where('corp_id', '=', CORP).orderBy('conversation_id').execute();

describeStores('messages repository', (getStore) => {
  it('stores the envelope, dedupes by msgid, and round-trips seq beyond 2^53 exactly', async () => {
    const { db } = getStore();
    await syncStateRepository.ensureCorp(db, CORP);
    const first = await repo.insertMessages(db, CORP, [message('a', 'x', { seq: BIG }), message('b', 'y', { seq: 2n ** 63n - 1n })], 1);
    expect(first).toEqual({ inserted: ['a', 'b'], duplicates: [] });
    const again = await repo.insertMessages(db, CORP, [message('a', 'changed', { seq: BIG }), message('c', 'z', { seq: BIG + 2n })], 2);
    expect(again).toEqual({ inserted: ['c'], duplicates: ['a'] });
    const a = await getMessage(db, 'a');
    expect(a?.seq).toBe(BIG);
    expect(typeof a?.seq).toBe('bigint');
    expect(a).toMatchObject({ search_text: 'x', encrypt_random_key: 'rk-a', encrypt_chat_msg: 'cm-a', ingested_at: 1, msgtime: 1_700_000_000_000 });
    expect(typeof a?.id).toBe('number');
    expect((await repo.chainHead(db, CORP))?.seq).toBe(2n ** 63n - 1n);
    const after = await db.selectFrom('messages').select('seq').where('seq', '>', BIG).orderBy('seq').execute();
    expect(after.map((m) => m.seq)).toEqual([BIG + 2n, 2n ** 63n - 1n]);
    expect(await repo.existingMsgids(db, CORP, ['a', 'zz', 'c'])).toEqual(new Set(['a', 'c']));
    const { rows } = await sql<{ max_seq: bigint }>`select max(seq) as max_seq from messages`.execute(db);
    expect(rows[0]?.max_seq).toBe(2n ** 63n - 1n);
  });

  it('finds 3+ character Chinese text through the trigram index', async () => {
    const { db } = getStore();
    await seed(db);
    expect(ids(await repo.searchMessages(db, CORP, '会话存档'))).toEqual(['m1']);
    expect(ids(await repo.searchMessages(db, CORP, '合同条款'))).toEqual(['m1']);
    expect(ids(await repo.searchMessages(db, CORP, '合同附'))).toEqual(['m2']);
    expect(ids(await repo.searchMessages(db, CORP, 'BROWN fox'))).toEqual(['m3']);
    expect(ids(await repo.searchMessages(db, CORP, '不存在的词'))).toEqual([]);
    expect(ids(await repo.searchMessages(db, CORP, '"引号"'))).toEqual(['m5']);
    expect(ids(await repo.searchMessages(db, CORP, '100%'))).toEqual(['m5']);
  });

  it('falls back to LIKE for 1 and 2 characters, escaping wildcards', async () => {
    const { db } = getStore();
    await seed(db);
    expect(ids(await repo.searchMessages(db, CORP, '合同'))).toEqual(['m2', 'm1']);
    expect(ids(await repo.searchMessages(db, CORP, '会'))).toEqual(['m4', 'm1']);
    expect(ids(await repo.searchMessages(db, CORP, '%'))).toEqual(['m5']);
    expect(ids(await repo.searchMessages(db, CORP, '_'))).toEqual(['m5']);
    expect(ids(await repo.searchMessages(db, CORP, '  '))).toEqual([]);
  });

  it('applies filters and pages, newest first', async () => {
    const { db } = getStore();
    await seed(db);
    expect(ids(await repo.searchMessages(db, CORP, '合同', { sender: 'lisi' }))).toEqual(['m2']);
    expect(ids(await repo.searchMessages(db, CORP, '合同', { msgtypes: ['text'] }))).toEqual(['m1']);
    expect(ids(await repo.searchMessages(db, CORP, '合同', { since: 1_500 }))).toEqual(['m2']);
    expect(ids(await repo.searchMessages(db, CORP, '合同', { until: 1_500 }))).toEqual(['m1']);
    expect(ids(await repo.searchMessages(db, CORP, '合同', { limit: 1, offset: 1 }))).toEqual(['m1']);
    expect(ids(await repo.searchMessages(db, CORP, '会议改到', { conversationId: 'room:wr1' }))).toEqual(['m4']);
    expect(ids(await repo.searchMessages(db, CORP, '会议改到', { conversationId: 'single:lisi:zhangsan' }))).toEqual([]);
    expect(ids(await repo.searchMessages(db, 'wwcorp2', '合同条款'))).toEqual(['x1']);
  });

  it('plans 3+ character searches on the trigram index', async () => {
    const { db, dialect } = getStore();
    await seed(db);
    // Enough unrelated chatter for PostgreSQL's planner to prefer the index to a scan, as it will in use.
    const filler = Array.from({ length: 3_000 }, (_, i) => message(`f${i}`, `第${i}条日常消息：今天天气不错，记得提交周报${i % 97}`, { msgtime: 10_000 + i }));
    await repo.insertMessages(db, CORP, filler);
    const compiled = buildSearchQuery(db, CORP, '合同条款')!.compile();
    const explain = dialect === 'sqlite' ? 'explain query plan' : 'explain';
    // Steady state: autovacuum has merged GIN's pending list (fresh inserts) into the index.
    if (dialect === 'postgres') await sql`vacuum analyze messages`.execute(db);
    const plan = await db.executeQuery(CompiledQuery.raw(`${explain} ${compiled.sql}`, [...compiled.parameters]));
    expect(JSON.stringify(plan.rows)).toMatch(dialect === 'sqlite' ? /VIRTUAL TABLE INDEX/ : /messages_search_trgm/);
    expect(ids(await repo.searchMessages(db, CORP, '合同条款'))).toEqual(['m1']);
  });

  it('answers alike on both SQLite plans, walking the time index only for words with many hits', async () => {
    const { db, dialect } = getStore();
    await seed(db);
    // msgtime out of step with insertion (rowid) order, with ties: the sort must not lean on rowid order.
    const filler = Array.from({ length: FEW_HITS + 1 }, (_, i) => message(`f${i}`, `日常消息${i}：合同条款`, {
      msgtime: 10_000 + ((i * 7_919) % 500), sender: i % 3 === 0 ? 'lisi' : 'zhangsan', conversation_id: i % 2 ? 'room:wr1' : 'single:lisi:zhangsan',
    }));
    await repo.insertMessages(db, CORP, filler);
    expect(await searchPlan(db, '合同条款')).toBe('time');
    expect(await searchPlan(db, '会议改到')).toBe(dialect === 'sqlite' ? 'hits' : 'time');
    expect(await searchPlan(db, '合同')).toBe('time');
    const filters = [{}, { sender: 'lisi' }, { conversationId: 'room:wr1', limit: 7, offset: 3 }, { since: 10_100, until: 10_200 }, { limit: 2_000 }];
    for (const text of ['合同条款', '会议改到', '日常消息1', '不存在的词']) {
      for (const f of filters) {
        const walked = ids(await buildSearchQuery(db, CORP, text, f, 'time')!.execute());
        const fetched = ids(await buildSearchQuery(db, CORP, text, f, 'hits')!.execute());
        expect(fetched, `${text} ${JSON.stringify(f)}`).toEqual(walked);
        expect(ids(await repo.searchMessages(db, CORP, text, f))).toEqual(walked);
      }
    }
    expect(ids(await buildSearchQuery(db, CORP, '合同条款', { limit: 2_000 }, 'hits')!.execute())).toHaveLength(FEW_HITS + 2);
  });

  it('keeps the index in step when a message is decrypted later', async () => {
    const { db } = getStore();
    await seed(db);
    expect(await repo.updateMessage(db, CORP, 'm6', { status: 'decrypted', msgtype: 'text', search_text: '补发的密钥解开了这条消息' })).toBe(true);
    expect(ids(await repo.searchMessages(db, CORP, '密钥解开'))).toEqual(['m6']);
    await repo.updateMessage(db, CORP, 'm6', { search_text: '内容已更正' });
    expect(ids(await repo.searchMessages(db, CORP, '密钥解开'))).toEqual([]);
    expect(ids(await repo.searchMessages(db, CORP, '已更正'))).toEqual(['m6']);
    expect(await repo.updateMessage(db, CORP, 'nope', { status: 'failed' })).toBe(false);
    expect((await getMessage(db, 'm6'))).toMatchObject({ status: 'decrypted', msgtype: 'text', search_text: '内容已更正' });
  });

  it('keeps conversations current: last_msgtime only moves forward, a known name survives a null', async () => {
    const { db } = getStore();
    await seed(db);
    await repo.upsertConversations(db, CORP, [
      { conversation_id: 'room:wr1', kind: 'group', name: '华东客户交流群', last_msgtime: 4_000 },
      { conversation_id: 'single:lisi:zhangsan', kind: 'single', last_msgtime: 6_000 },
    ]);
    await repo.upsertConversations(db, CORP, [{ conversation_id: 'room:wr1', kind: 'group', name: null, last_msgtime: 3_000 }]);
    expect(await conversations(db)).toEqual([
      { corp_id: CORP, conversation_id: 'room:wr1', kind: 'group', name: '华东客户交流群', last_msgtime: 4_000 },
      { corp_id: CORP, conversation_id: 'single:lisi:zhangsan', kind: 'single', name: null, last_msgtime: 6_000 },
    ]);
    await repo.upsertConversations(db, CORP, [{ conversation_id: 'room:wr1', kind: 'group', name: '改名后的群', last_msgtime: 7_000 }]);
    expect((await conversations(db))[0]).toMatchObject({ name: '改名后的群', last_msgtime: 7_000 });
  });
});
