import { describe, expect, expectTypeOf, it } from 'vitest';
import { CallbackError } from './errors.ts';
import { CALLBACK_EVENTS, CODE_VALUES, EVENT_KINDS, eventKindOf, type EventSpec, type FieldType } from './events.ts';
import { dedupeKey, parseEvent, type CallbackEvent } from './parse-event.ts';
import { CALLBACK_VECTORS } from './vectors.ts';

const HEADER = '<ToUserName><![CDATA[ww1234]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType>';

/** A sample value per field type, in the XML form §5.5 shows and the value it parses to. */
function sample(name: string, type: FieldType): [xml: string, value: unknown] {
  switch (type) {
    case 'id': return [`<![CDATA[${name.toLowerCase()}_1]]>`, `${name.toLowerCase()}_1`];
    case 'ids': return ['<![CDATA[a1,b2, c3]]>', ['a1', 'b2', 'c3']];
    case 'items': return ['<Item><![CDATA[wm1]]></Item><Item><![CDATA[wm2]]></Item>', ['wm1', 'wm2']];
    case 'text': return [`<![CDATA[${name} 文本 <&>]]>`, `${name} 文本 <&>`];
    case 'int': return ['3', 3];
    case 'ints': return ['<![CDATA[1,0,1]]>', [1, 0, 1]];
    case 'code': {
      const values = (CODE_VALUES as Record<string, readonly string[]>)[name];
      return [`<![CDATA[${values?.[values.length - 1] ?? 'x'}]]>`, values?.[values.length - 1] ?? 'x'];
    }
    case 'extattr': return [
      '<Item><Name><![CDATA[爱好]]></Name><Type>0</Type><Text><Value><![CDATA[旅游]]></Value></Text></Item>'
        + '<Item><Name><![CDATA[主页]]></Name><Type>1</Type><Web><Title><![CDATA[企业微信]]></Title><Url><![CDATA[https://work.weixin.qq.com]]></Url></Web></Item>',
      [{ name: '爱好', type: 0, text: '旅游' }, { name: '主页', type: 1, web: { title: '企业微信', url: 'https://work.weixin.qq.com' } }],
    ];
  }
}

function sampleXml(spec: EventSpec): { xml: string; fields: Record<string, unknown> } {
  const fields: Record<string, unknown> = {};
  let body = `<Event><![CDATA[${spec.event}]]></Event>`;
  if (spec.changeType) body += `<ChangeType><![CDATA[${spec.changeType}]]></ChangeType>`;
  for (const [name, type] of Object.entries(spec.fields)) {
    const [xml, value] = sample(name, type);
    body += `\n<${name}>${xml}</${name}>`;
    fields[name] = value;
  }
  const agent = spec.deliveredBy.includes('archive') ? '<AgentID>2000004</AgentID>' : '';
  return { xml: `<xml>${HEADER}${agent}${body}</xml>`, fields };
}

describe('the catalogue', () => {
  it('covers every event of wecom-api.md §5.5, §5.6 and msgaudit_notify', () => {
    expect(EVENT_KINDS.sort()).toEqual([
      'change_contact.create_party', 'change_contact.create_user', 'change_contact.delete_party', 'change_contact.delete_user',
      'change_contact.update_party', 'change_contact.update_tag', 'change_contact.update_user',
      'change_external_chat.create', 'change_external_chat.dismiss', 'change_external_chat.update',
      'change_external_contact.add_external_contact', 'change_external_contact.add_half_external_contact',
      'change_external_contact.del_external_contact', 'change_external_contact.del_follow_user',
      'change_external_contact.edit_external_contact', 'change_external_contact.msg_audit_approved',
      'change_external_contact.transfer_fail',
      'change_external_tag.create', 'change_external_tag.delete', 'change_external_tag.shuffle', 'change_external_tag.update',
      'msgaudit_notify',
    ]);
  });

  it('names each kind after its Event and ChangeType, and finds it by them', () => {
    for (const kind of EVENT_KINDS) {
      const spec: EventSpec = CALLBACK_EVENTS[kind];
      expect(kind).toBe(spec.changeType ? `${spec.event}.${spec.changeType}` : spec.event);
      expect(eventKindOf(spec.event, spec.changeType)).toBe(kind);
      expect(spec.deliveredBy.length).toBeGreaterThan(0);
    }
    expect(eventKindOf('change_contact', 'nope')).toBeUndefined();
  });
});

describe('parseEvent', () => {
  for (const kind of EVENT_KINDS) {
    it(`parses ${kind} from a sample in the §5.5 format`, () => {
      const { xml, fields } = sampleXml(CALLBACK_EVENTS[kind]);
      const event = parseEvent(xml);
      expect(event.kind).toBe(kind);
      if (event.kind === 'unknown') return;
      expect(event.header).toMatchObject({ toUserName: 'ww1234', fromUserName: 'sys', createTime: 1403610513, msgType: 'event' });
      expect(event.fields).toEqual(fields);
    });
  }

  it('parses the change_external_contact sample of §5.5 as written', () => {
    const event = parseEvent(`<xml><ToUserName><![CDATA[corpid]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
<CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>
<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2G...]]></ExternalUserID>
<State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode></xml>`);
    expect(event).toMatchObject({ kind: 'change_external_contact.add_external_contact', fields: { UserID: 'zhangsan', ExternalUserID: 'woAJ2G...', State: 'teststate', WelcomeCode: 'WELCOMECODE' } });
  });

  it('reads MemChangeList as <Item> children, a single <Item>, and the older comma string', () => {
    const chat = (list: string) => parseEvent(`<xml>${HEADER}<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrx]]></ChatId>
<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail>
<JoinScene>3</JoinScene><MemChangeCnt>2</MemChangeCnt><MemChangeList>${list}</MemChangeList>
<LastMemVer><![CDATA[5807afd2]]></LastMemVer><CurMemVer><![CDATA[ea36e8b6]]></CurMemVer></xml>`);
    const lists = [chat('<Item><![CDATA[wm1]]></Item><Item><![CDATA[wm2]]></Item>'), chat('<Item>wm1</Item>'), chat('<![CDATA[wm1,wm2]]>')];
    expect(lists.map((event) => event.kind !== 'unknown' && 'MemChangeList' in event.fields ? event.fields.MemChangeList : null))
      .toEqual([['wm1', 'wm2'], ['wm1'], ['wm1', 'wm2']]);
    expect(lists[0]).toMatchObject({ fields: { ChatId: 'wrx', UpdateDetail: 'add_member', JoinScene: 3, MemChangeCnt: 2, LastMemVer: '5807afd2', CurMemVer: 'ea36e8b6' } });
  });

  it('parses the msgaudit_notify sample of §4, and an update_user carrying only what changed', () => {
    expect(parseEvent(`<xml><ToUserName><![CDATA[CorpID]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
<CreateTime>1629101687</CreateTime><MsgType><![CDATA[event]]></MsgType>
<AgentID>2000004</AgentID><Event><![CDATA[msgaudit_notify]]></Event></xml>`)).toMatchObject({ kind: 'msgaudit_notify', header: { agentId: '2000004', createTime: 1629101687 }, fields: {} });
    const update = parseEvent(`<xml>${HEADER}<Event>change_contact</Event><ChangeType>update_user</ChangeType><UserID>zhangsan</UserID><NewUserID>zhangsan01</NewUserID><Position>经理</Position></xml>`);
    expect(update).toMatchObject({ kind: 'change_contact.update_user', fields: { UserID: 'zhangsan', NewUserID: 'zhangsan01', Position: '经理' } });
  });

  it('keeps what it does not know as unknown, with the raw content, never dropped', () => {
    const cases: Array<[string, RegExp]> = [
      [`<xml>${HEADER}<Event>change_contact</Event><ChangeType>new_future_type</ChangeType><UserID>u</UserID></xml>`, /catalogue/],
      [`<xml>${HEADER}<Event>enter_agent</Event></xml>`, /catalogue/],
      [CALLBACK_VECTORS[1]!.plaintext, /message \(text\)/],
      [`<xml>${HEADER}<Event>change_contact</Event><ChangeType>create_party</ChangeType><Id>2</Id><Order>high</Order></xml>`, /Order is not a valid int/],
      [`<xml><ToUserName>ww</ToUserName><MsgType>event</MsgType><Event>msgaudit_notify</Event></xml>`, /CreateTime/],
      ['<xml><a>', /XML/],
      [CALLBACK_VECTORS[2]!.plaintext, /not XML/],
    ];
    for (const [plaintext, why] of cases) {
      const event = parseEvent(plaintext);
      expect(event.kind, plaintext).toBe('unknown');
      if (event.kind !== 'unknown') continue;
      expect(event.why).toMatch(why);
      expect(event.raw).toBeTruthy();
    }
  });

  it('narrows the fields by kind (checked by tsc)', () => {
    const event = parseEvent(sampleXml(CALLBACK_EVENTS['change_external_chat.update']).xml);
    if (event.kind === 'change_external_chat.update') {
      expectTypeOf(event.fields.MemChangeList).toEqualTypeOf<string[] | undefined>();
      expectTypeOf(event.fields.JoinScene).toEqualTypeOf<number | undefined>();
    }
    if (event.kind === 'change_contact.create_user') expectTypeOf(event.fields.Department).toEqualTypeOf<string[] | undefined>();
    expect(event.kind).toBe('change_external_chat.update');
  });

  it('still refuses a DOCTYPE inside a decrypted message', () => {
    expect(() => parseEvent('<!DOCTYPE x [<!ENTITY a "b">]><xml><Event>&a;</Event></xml>')).toThrow(CallbackError);
  });
});

describe('dedupeKey (§5.1)', () => {
  const contact = (user: string, extra = '') => parseEvent(`<xml>${HEADER}<Event>change_external_contact</Event><ChangeType>edit_external_contact</ChangeType><UserID>${user}</UserID><ExternalUserID>wm1</ExternalUserID>${extra}</xml>`);

  it('is the same for WeCom\'s retry of one event, whatever the order or spacing of its elements', () => {
    const a = parseEvent(`<xml>${HEADER}<Event>change_external_chat</Event><ChangeType>dismiss</ChangeType><ChatId>wr1</ChatId></xml>`);
    const b = parseEvent(`<xml>\n<ChatId>wr1</ChatId>${HEADER}<ChangeType>dismiss</ChangeType>\n<Event>change_external_chat</Event></xml>`);
    expect(dedupeKey(a)).toBe(dedupeKey(b));
  });

  it('is built from the header, Event, ChangeType and ids, readable in the inbox', () => {
    const key = JSON.parse(dedupeKey(contact('zhangsan')));
    expect(key.slice(0, -1)).toEqual(['event', 'ww1234', 'sys', 1403610513, 'change_external_contact', 'edit_external_contact', 'zhangsan', 'wm1']);
  });

  it('tells apart two events of one second that differ in an id or in any other field', () => {
    const keys = new Set<string>([
      dedupeKey(contact('zhangsan')), dedupeKey(contact('lisi')),
      dedupeKey(parseEvent(`<xml>${HEADER}<Event>change_contact</Event><ChangeType>update_user</ChangeType><UserID>u</UserID><Position>a</Position></xml>`)),
      dedupeKey(parseEvent(`<xml>${HEADER}<Event>change_contact</Event><ChangeType>update_user</ChangeType><UserID>u</UserID><Position>b</Position></xml>`)),
    ]);
    expect(keys.size).toBe(4);
  });

  it('uses MsgId for messages, and a digest for what is not XML', () => {
    const message = parseEvent(CALLBACK_VECTORS[1]!.plaintext);
    expect(JSON.parse(dedupeKey(message))).toEqual(['msg', 'wx5823bf96d3bd56c7', '4561255354251345929']);
    const json: CallbackEvent = parseEvent(CALLBACK_VECTORS[2]!.plaintext);
    expect(dedupeKey(json)).toBe(dedupeKey(parseEvent(CALLBACK_VECTORS[2]!.plaintext)));
    expect(JSON.parse(dedupeKey(json))[0]).toBe('raw');
  });

  it('gives every catalogue sample its own key', () => {
    const keys = EVENT_KINDS.map((kind) => dedupeKey(parseEvent(sampleXml(CALLBACK_EVENTS[kind]).xml)));
    expect(new Set(keys).size).toBe(EVENT_KINDS.length);
  });
});
