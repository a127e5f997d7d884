import { describe, expect, it } from 'vitest';
import { MSGTYPES } from '../../src/archive/msgtypes.ts';
import { conversationId, parseMessage, partyKind, systemConversationUser } from '../../src/archive/parser/index.ts';

/**
 * Hand-written messages in the shapes archive-sdk.md §4 documents (reconstructed from the field
 * lists, as the reference does), one per type, plus the quirks of §4.4.
 */

const common = { msgid: 'm1', action: 'send', from: 'zhangsan', tolist: ['wmCustomer0000000000000000000001'], roomid: '', msgtime: 1603875609704 };
const parse = (message: Record<string, unknown>, seq = 7) => parseMessage(JSON.stringify(message), { seq });
const send = (msgtype: string, body: Record<string, unknown>) => parse({ ...common, msgtype, ...body });
const json = (value: unknown) => JSON.stringify(value);

describe('parseMessage: common fields', () => {
  it('reads the envelope fields and derives the conversation and party kinds', () => {
    const record = send('text', { text: { content: '你好' } });
    expect(record).toMatchObject({
      msgid: 'm1', seq: 7n, action: 'send', msgtype: 'text', msgtime: 1603875609704, roomid: null,
      conversationId: 'wmCustomer0000000000000000000001|zhangsan', text: '你好', parse: 'ok', repaired: false,
      sender: { id: 'zhangsan', kind: 'employee' },
      receivers: [{ id: 'wmCustomer0000000000000000000001', kind: 'customer' }],
    });
    expect(record.raw).toBe(JSON.stringify({ ...common, msgtype: 'text', text: { content: '你好' } }));
  });

  it('puts both directions of a 1:1 chat, and a group, in one conversation each', () => {
    expect(conversationId('', 'b', ['a'])).toBe(conversationId('', 'a', ['b']));
    expect(conversationId('wrRoom', 'a', ['b', 'c'])).toBe('wrRoom');
    expect(conversationId(null, null, [])).toBeNull();
    expect([partyKind('wmX'), partyKind('woX'), partyKind('wbX'), partyKind('LiNa')]).toEqual(['customer', 'customer', 'robot', 'employee']);
  });

  it('reads numbers sent as strings and keeps a huge seq exact', () => {
    const record = parseMessage(json({ ...common, msgtime: '1603875609704', msgtype: 'image', image: { sdkfileid: 'F', md5sum: 'abc', filesize: '32768' } }), { seq: '18446744073709551615' });
    expect(record.msgtime).toBe(1603875609704);
    expect(record.seq).toBe(18446744073709551615n);
    expect(record.media).toEqual([{ path: '', msgtype: 'image', sdkfileid: 'F', md5sum: 'abc', size: 32768, filename: null, ext: 'jpg' }]);
  });

  it('tolerates raw control characters: strips them from text, escapes them in raw', () => {
    const plaintext = `{"msgid":"m2","action":"send","from":"a","tolist":["b"],"roomid":"","msgtime":1,"msgtype":"text","text":{"content":"第一行\n第二行\u0001\u0000"}}`;
    const record = parseMessage(plaintext, { seq: 1 });
    expect(record.parse).toBe('ok');
    expect(record.repaired).toBe(true);
    expect(record.text).toBe('第一行\n第二行');
    expect(JSON.parse(record.raw).text.content).toBe('第一行\n第二行\u0001\u0000');
  });

  it('keeps 64-bit integers exact in raw and never drops the message', () => {
    const plaintext = '{"msgid":"m3","action":"send","from":"a","tolist":["b"],"roomid":"wr1","msgtime":1,"msgtype":"meeting","meeting":{"topic":"季度复盘","starttime":1,"endtime":2,"address":"3楼","remarks":"带电脑","meetingtype":101,"meetingid":1152921504606847001,"status":1}}';
    const record = parseMessage(plaintext, { seq: 1 });
    expect(record.raw).toContain('1152921504606847001');
    expect(record.text).toBe('季度复盘\n3楼\n带电脑');
  });

  it('flags what it cannot read, keeping the envelope msgid and the text', () => {
    const record = parseMessage('not json at all', { seq: 9, msgid: 'env-id' });
    expect(record).toMatchObject({ msgid: 'env-id', seq: 9n, parse: 'malformed', raw: 'not json at all', media: [] });
    expect(send('text', { text: 'oops' }).parse).toBe('malformed');
  });
});

describe('parseMessage: every documented type', () => {
  const cases: Array<[string, Record<string, unknown>, Partial<ReturnType<typeof parse>>]> = [
    ['revoke', { action: 'recall', revoke: { pre_msgid: 'earlier' } }, { action: 'recall', recalls: 'earlier', text: '' }],
    ['agree', { from: 'wmC', agree: { userid: 'wmC', agree_time: 1603875610000 } }, { consent: { kind: 'agree', userid: 'wmC', time: 1603875610000 } }],
    ['disagree', { disagree: { userid: 'wmC', disagree_time: '1603875611000' } }, { consent: { kind: 'disagree', userid: 'wmC', time: 1603875611000 } }],
    ['card', { card: { corpname: '腾讯', userid: 'lisi' } }, { text: '腾讯' }],
    ['location', { location: { longitude: 116.3, latitude: 39.9, address: '北京市海淀区', title: '中关村', zoom: 15 } }, { text: '中关村\n北京市海淀区' }],
    ['link', { link: { title: '标题', description: '描述', link_url: 'https://x', image_url: 'https://y' } }, { text: '标题\n描述' }],
    ['weapp', { weapp: { title: 'T', description: 'D', username: 'gh_1@app', displayname: '商城' } }, { text: 'T\nD\n商城' }],
    ['todo', { todo: { title: '跟进', content: '发报价' } }, { text: '跟进\n发报价' }],
    ['collect', { collect: { room_name: '群', creator: '张三', create_time: '2019-12-11 11:21:22', title: '报名', details: [{ id: 1, ques: '姓名', type: 'Text' }] } }, { text: '群\n张三\n报名\n姓名' }],
    ['redpacket', { redpacket: { type: 1, wish: '恭喜发财', totalcnt: 1, totalamount: 100 } }, { text: '恭喜发财' }],
    ['external_redpacket', { redpacket: { type: 2, wish: '大吉大利', totalcnt: '3', totalamount: '300' } }, { text: '大吉大利' }],
    ['docmsg', { doc: { title: '项目排期', link_url: 'https://doc', doc_creator: 'zhangsan' } }, { text: '项目排期' }],
    ['markdown', { info: { content: '**日报**' } }, { text: '**日报**' }],
    ['news', { info: { item: [{ title: 'A', description: 'B', url: 'u', picurl: 'p' }, { title: 'C' }] } }, { text: 'A\nC\nB' }],
    ['calendar', { calendar: { title: '会', creatorname: '王', attendeename: ['李', '赵'], starttime: 1, endtime: 2, place: '3楼', remarks: '' } }, { text: '会\n王\n李\n赵\n3楼' }],
    ['sphfeed', { sphfeed: { feed_type: 4, sph_name: '企业微信', feed_desc: '新功能' } }, { text: '企业微信\n新功能' }],
    ['voiptext', { info: { callduration: 30, invitetype: 1 } }, { text: '' }],
    ['qydiskfile', { info: { filename: '合同.pdf' } }, { text: '合同.pdf' }],
  ];
  for (const [msgtype, body, expected] of cases) {
    it(msgtype, () => {
      const record = send(msgtype, body);
      expect(record.parse).toBe('ok');
      expect(record.msgtype).toBe(msgtype);
      expect(record).toMatchObject(expected);
    });
  }

  it('reads the media of every media type, with sizes and names from the right fields', () => {
    const media = (msgtype: string, body: Record<string, unknown>) => send(msgtype, body).media;
    expect(media('voice', { voice: { md5sum: 'm', voice_size: 6810, play_length: 10, sdkfileid: 'V' } })).toEqual([{ path: '', msgtype: 'voice', sdkfileid: 'V', md5sum: 'm', size: 6810, filename: null, ext: 'amr' }]);
    expect(media('video', { video: { md5sum: 'm', filesize: 10, play_length: 3, sdkfileid: 'D' } })[0]).toMatchObject({ size: 10, ext: 'mp4' });
    expect(media('emotion', { emotion: { type: 2, width: 1, height: 1, imagesize: 77, sdkfileid: 'E', md5sum: '' } })[0]).toMatchObject({ size: 77, ext: 'png', md5sum: null });
    expect(media('file', { file: { sdkfileid: 'F', md5sum: 'm', filename: '报价单.XLSX', fileext: 'xlsx', filesize: '2048' } })[0]).toMatchObject({ size: 2048, filename: '报价单.XLSX', ext: 'xlsx' });
    expect(send('file', { file: { sdkfileid: 'F', filename: '合同.pdf', filesize: 1 } }).text).toBe('合同.pdf');
    const call = send('meeting_voice_call', { voiceid: 'vid', meeting_voice_call: { endtime: 1, sdkfileid: 'R', demofiledata: [{ filename: '方案.pptx', demooperator: 'a', starttime: 1, endtime: 2 }], sharescreendata: [] } });
    expect(call.media).toEqual([{ path: '', msgtype: 'meeting_voice_call', sdkfileid: 'R', md5sum: null, size: null, filename: null, ext: 'mp3' }]);
    expect(call.text).toBe('方案.pptx');
    expect(media('voip_doc_share', { voipid: 'v', voip_doc_share: { filename: '共享.docx', md5sum: 'm', filesize: 5, sdkfileid: 'S' } })[0]).toMatchObject({ filename: '共享.docx', ext: 'docx', size: 5 });
    expect(media('image', { image: { md5sum: 'm', filesize: 1 } })).toEqual([]);
  });

  it('reads both documented vote shapes (under `vote`, and at the top level)', () => {
    const fields = { votetitle: '团建去哪里？', voteitem: ['海边', '爬山'], votetype: 101, voteid: '123' };
    for (const record of [send('vote', { vote: fields }), send('vote', fields)]) {
      expect(record.parse).toBe('ok');
      expect(record.text).toBe('团建去哪里？\n海边\n爬山');
    }
  });

  it('reads switch entries, which have no msgtype, from or tolist, into the member\'s system conversation', () => {
    const record = parse({ msgid: 's1', action: 'switch', time: 1554119421840, user: 'zhangsan' });
    expect(record).toMatchObject({
      msgtype: 'switch', action: 'switch', msgtime: 1554119421840, sender: { id: 'zhangsan', kind: 'employee' }, receivers: [],
      conversationId: 'system:zhangsan', parse: 'ok',
    });
    // Found by the event's name in either language and by the member's id.
    expect(record.text.split('\n')).toEqual(['切换企业', 'Switched company', 'zhangsan']);
    expect(systemConversationUser(record.conversationId!)).toBe('zhangsan');
    // No chat's id takes that form: roomids, and ids joined by `|`, are never system conversations.
    expect([systemConversationUser('wrRoom'), systemConversationUser('lisi|zhangsan'), systemConversationUser('zhangsan')]).toEqual([null, null, null]);
    expect(parse({ msgid: 's2', action: 'switch', time: 1 }).conversationId).toBeNull();
  });
});

describe('parseMessage: nested chatrecord and mixed', () => {
  const image = { md5sum: 'im5', filesize: 100, sdkfileid: 'IMG' };
  const mixedPayload = { item: [{ type: 'text', content: json({ content: '看图' }) }, { type: 'image', content: json(image) }, { type: 'file', content: json({ filename: '附件.zip', sdkfileid: 'ZIP', md5sum: 'z', filesize: 9 }) }] };

  it('searches and downloads mixed items', () => {
    const record = send('mixed', { mixed: mixedPayload });
    expect(record.text).toBe('看图\n附件.zip');
    expect(record.media.map((m) => [m.path, m.msgtype, m.sdkfileid, m.size])).toEqual([['item[1]', 'image', 'IMG', 100], ['item[2]', 'file', 'ZIP', 9]]);
  });

  it('walks chatrecord items, including a mixed item inside it, by their JSON-string content', () => {
    const record = send('chatrecord', {
      chatrecord: {
        title: '张三和李四的聊天记录',
        item: [
          { type: 'ChatRecordText', msgtime: 1603875610, content: json({ content: '报价多少？' }), from_chatroom: false },
          { type: 'ChatRecordImage', msgtime: 1603875611, content: json(image), from_chatroom: false },
          { type: 'ChatRecordLink', msgtime: 1603875612, content: json({ title: '案例', description: '连锁门店' }), from_chatroom: true },
          { type: 'ChatRecordMixed', msgtime: 1603875613, content: json(mixedPayload), from_chatroom: false },
          { type: 'ChatRecordSomethingNew', msgtime: 1603875614, content: json({ words: '新类型的内容', sdkfileid: 'NEW' }), from_chatroom: false },
        ],
      },
    });
    expect(record.parse).toBe('ok');
    expect(record.text).toBe('张三和李四的聊天记录\n报价多少？\n案例\n连锁门店\n看图\n附件.zip\n新类型的内容');
    expect(record.media.map((m) => [m.path, m.msgtype, m.sdkfileid])).toEqual([
      ['item[1]', 'image', 'IMG'], ['item[3].item[1]', 'image', 'IMG'], ['item[3].item[2]', 'file', 'ZIP'], ['item[4]', 'ChatRecordSomethingNew', 'NEW'],
    ]);
  });

  it('flags an item whose content is not JSON but keeps the rest', () => {
    const record = send('mixed', { mixed: { item: [{ type: 'text', content: '{broken' }, { type: 'text', content: json({ content: '完好' }) }] } });
    expect(record.parse).toBe('malformed');
    expect(record.text).toBe('完好');
  });
});

describe('parseMessage: types without a documented layout', () => {
  it('keeps an unknown type, flagged, with its text and files found generically', () => {
    const record = send('hongbao_v9', { hongbao_v9: { greeting: '新年好', sdkfileid: 'H', md5sum: 'h5', filesize: '12', link_url: 'https://x' } });
    expect(record.parse).toBe('unknown');
    expect(record.text).toBe('新年好');
    expect(record.media).toEqual([{ path: 'hongbao_v9', msgtype: 'hongbao_v9', sdkfileid: 'H', md5sum: 'h5', size: 12, filename: null, ext: 'bin' }]);
  });

  it('marks types WeCom lists without a layout as undocumented, still searchable', () => {
    const record = send('note', { info: { items: [{ type: 'text', content: '会议笔记' }] } });
    expect(record.parse).toBe('undocumented');
    expect(record.text).toBe('会议笔记');
  });

  it('declares every type once, with a label in both languages', () => {
    const names = MSGTYPES.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    for (const spec of MSGTYPES) expect(spec.label.zh && spec.label.en).toBeTruthy();
  });
});
