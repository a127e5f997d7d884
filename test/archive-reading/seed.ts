import type { Kysely } from 'kysely';
import { prepareMessage } from '../../src/archive/ingest/records.ts';
import { writePage } from '../../src/archive/ingest/write-page.ts';
import type { Database } from '../../src/store/database.ts';
import { messagesRepository } from '../../src/store/messages.repository.ts';
import { syncStateRepository } from '../../src/store/sync-state.repository.ts';
import { seedCompany, SEED_CORP } from '../../src/store/testing/seed.ts';

/**
 * Archived messages for the reading tests, written through the archive's own ingest path
 * (prepareMessage → writePage: parser, conversations, media queue, hash chain) as if the SDK had
 * just decrypted them, on top of the store's seed company (张三 zhangsan, 李四 lisi; customers
 * 陈先生 wmCust1, 刘女士 wmCust2; customer group 华东客户交流群 wrGroup1).
 */

export const CORP = SEED_CORP;
/** China time, as people type it and as the CLI shows it. */
export const at = (local: string) => Date.parse(`${local.replace(' ', 'T')}+08:00`);

const j = (value: unknown) => JSON.stringify(value);
const CHAT = { from: 'zhangsan', tolist: ['wmCust1'], roomid: '' };
const BACK = { from: 'wmCust1', tolist: ['zhangsan'], roomid: '' };
const GROUP = { roomid: 'wrGroup1' };

/** The conversation ids the parser gives these chats (parser/parties.ts). */
export const SINGLE = 'wmCust1|zhangsan';
export const OTHER_SINGLE = 'lisi|wmCust2';
export const INTERNAL = 'wrInternal9';

export const MESSAGES: Record<string, unknown>[] = [
  { msgid: 'm1', action: 'send', ...CHAT, msgtime: at('2026-11-20 14:03:05'), msgtype: 'text', text: { content: '您好，关于合同条款我们明天再确认' } },
  { msgid: 'm2', action: 'send', ...BACK, msgtime: at('2026-11-20 14:03:40'), msgtype: 'image', image: { sdkfileid: 'fileid-m2', md5sum: 'aa', filesize: 12_288 } },
  { msgid: 'm3', action: 'recall', ...BACK, msgtime: at('2026-11-20 14:04:10'), msgtype: 'revoke', revoke: { pre_msgid: 'm2' } },
  { msgid: 'm4', action: 'send', ...CHAT, msgtime: at('2026-11-20 14:05:00'), msgtype: 'file',
    file: { sdkfileid: 'fileid-m4', md5sum: 'bb', filename: '报价单2026.pdf', fileext: 'pdf', filesize: 1_258_291 } },
  { msgid: 'm5', action: 'send', ...CHAT, msgtime: at('2026-11-20 14:06:00'), msgtype: 'chatrecord', chatrecord: { title: '张三和李四的聊天记录', item: [
    { type: 'ChatRecordText', msgtime: at('2026-11-19 09:00:00') / 1000, content: j({ content: '内部讨论的折扣方案' }), from_chatroom: false },
    { type: 'ChatRecordFile', msgtime: at('2026-11-19 09:01:00') / 1000, content: j({ sdkfileid: 'fileid-m5-1', filename: '附件清单.xlsx', fileext: 'xlsx', filesize: 2048 }), from_chatroom: false },
    { type: 'ChatRecordMixed', msgtime: at('2026-11-19 09:02:00') / 1000, content: j({ item: [{ type: 'text', content: j({ content: '嵌套的混合消息内容' }) }] }), from_chatroom: false },
  ] } },
  { msgid: 'm6', action: 'send', ...BACK, msgtime: at('2026-11-20 14:07:00'), msgtype: 'disagree', disagree: { userid: 'wmCust1', disagree_time: at('2026-11-20 14:07:00') } },
  { msgid: 'g1', action: 'send', ...GROUP, from: 'lisi', tolist: ['zhangsan', 'wmCust1'], msgtime: at('2026-11-20 15:00:00'), msgtype: 'text', text: { content: '大家好，新品发布会在周五' } },
  { msgid: 'g2', action: 'send', ...GROUP, from: 'wbRobot1', tolist: ['lisi', 'zhangsan', 'wmCust1'], msgtime: at('2026-11-20 15:01:00'), msgtype: 'markdown', info: { content: '日报：今天成交三单' } },
  { msgid: 'g3', action: 'send', ...GROUP, from: 'wmCust1', tolist: ['lisi', 'zhangsan'], msgtime: at('2026-11-20 15:02:00'), msgtype: 'mixed', mixed: { item: [
    { type: 'text', content: j({ content: '收到，谢谢' }) }, { type: 'image', content: j({ sdkfileid: 'fileid-g3-1', filesize: 300 }) },
  ] } },
  { msgid: 'i1', action: 'send', roomid: INTERNAL, from: 'zhangsan', tolist: ['lisi'], msgtime: at('2026-11-21 10:00:00'), msgtype: 'text', text: { content: '合同' } },
  { msgid: 's1', action: 'send', from: 'lisi', tolist: ['wmCust2'], roomid: '', msgtime: at('2026-11-21 11:00:00'), msgtype: 'text', text: { content: '合同已寄出，请查收' } },
];

/** Stores decrypted messages through the ingest's page writer, seq following the stored head. */
export async function ingest(db: Kysely<Database>, corpId: string, messages: readonly Record<string, unknown>[], firstSeq?: bigint): Promise<void> {
  await syncStateRepository.ensureCorp(db, corpId);
  let seq = firstSeq ?? ((await messagesRepository.chainHead(db, corpId))?.seq ?? 0n) + 1n;
  const prepared = messages.map((message) => {
    const envelope = { seq: seq++, msgid: String(message.msgid), publickeyVer: 1, encryptRandomKey: `rk-${message.msgid}`, encryptChatMsg: `cm-${message.msgid}` };
    return prepareMessage(envelope, { ok: true, msgid: envelope.msgid, json: JSON.stringify(message) });
  });
  await writePage(db, corpId, prepared, seq - 1n);
}

/** The seed company, its archive above, and a robot already named by a coverage refresh. */
export async function seedArchive(db: Kysely<Database>, corpId = CORP): Promise<void> {
  await seedCompany(db, corpId);
  await ingest(db, corpId, MESSAGES);
  await db.insertInto('archive_robots').values({ corp_id: corpId, robot_id: 'wbRobot1', name: '日报助手', creator_userid: 'zhangsan', fetched_at: 1, error: null }).execute();
}
