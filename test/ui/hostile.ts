/**
 * Hostile strings in a conversation of their own, as decrypted messages: markup, script and
 * event-handler payloads, a javascript: link, RTL overrides, zero-width characters, a 10,000-character
 * line and long emoji sequences. The UI must show every one as text: no dialog, no injected element.
 */
export const HOSTILE_EMPLOYEE = 'hostileuser';
export const HOSTILE_CUSTOMER = 'wmHostileCustomer01';
export const HOSTILE_CONVERSATION = `${HOSTILE_EMPLOYEE}|${HOSTILE_CUSTOMER}`;
/** Any element the page should never have: each payload below tries to make one of these. */
export const INJECTED_SELECTOR = '#pwned, img[src="x"], svg[onload], iframe, [onerror], [onclick], [onmouseover], script:not([src])';

const j = (value: unknown) => JSON.stringify(value);
const base = Date.parse('2026-11-25T10:00:00+08:00');
const chat = (i: number) => ({
  msgid: `hostile-${i}`, action: 'send', from: i % 2 ? HOSTILE_CUSTOMER : HOSTILE_EMPLOYEE,
  tolist: [i % 2 ? HOSTILE_EMPLOYEE : HOSTILE_CUSTOMER], roomid: '', msgtime: base + i * 60_000,
});

export const HOSTILE_TEXTS = [
  '<script>alert("xss")</script><img src=x onerror="alert(1)"><b id="pwned">bold?</b>',
  '"><svg onload=alert(2)><iframe src="javascript:alert(3)"></iframe>',
  'javascript:alert(4) and https://example.invalid/path?q=<x> and http://a.invalid/"onmouseover="alert(5)',
  '\u202Egnp.exe\u202C \u2067RTL isolate\u2069 \u200F\u200Eabc',
  'zero\u200Bwidth\u200C\u200D\uFEFFjoiners',
  'A'.repeat(10_000),
  '👨‍👩‍👧‍👦'.repeat(300) + '🏳️‍🌈'.repeat(100),
  '{{constructor.constructor("alert(6)")()}} ${alert(7)} <style>*{display:none}</style>',
];

export const HOSTILE_MESSAGES: Record<string, unknown>[] = [
  ...HOSTILE_TEXTS.map((content, i) => ({ ...chat(i), msgtype: 'text', text: { content } })),
  { ...chat(20), msgtype: 'link', link: { title: '<img src=x onerror=alert(8)>', description: '"><script>alert(9)</script>', link_url: 'javascript:alert(10)', image_url: 'https://tracker.invalid/p.gif' } },
  { ...chat(21), msgtype: 'link', link: { title: 'A safe link', description: 'https only', link_url: 'https://example.invalid/page' } },
  { ...chat(22), msgtype: 'file', file: { sdkfileid: 'hostile-file-1', md5sum: 'aa', filename: '<img src=x onerror=alert(11)>\u202Efdp.exe', fileext: 'exe', filesize: 123 } },
  { ...chat(23), msgtype: 'chatrecord', chatrecord: { title: '<b onclick=alert(12)>record</b>', item: [
    { type: 'ChatRecordText', msgtime: (base / 1000) - 60, content: j({ content: '<script>alert(13)</script>' }), from_chatroom: false },
    { type: 'ChatRecordMixed', msgtime: (base / 1000) - 30, content: j({ item: [{ type: 'text', content: j({ content: '<img src=x onerror=alert(14)>' }) }] }), from_chatroom: false },
  ] } },
  { ...chat(24), msgtype: 'location', location: { title: '<i>Here</i>', address: '\u202Eevil', latitude: 31.2304, longitude: 121.4737, zoom: 15 } },
  { ...chat(25), msgtype: 'docmsg', doc: { title: '<a href="javascript:alert(15)">doc</a>', link_url: 'JaVaScRiPt:alert(16)', doc_creator: 'x' } },
];

/** One long 1:1 conversation, for paging both ways around a message in its middle. */
export const LONG_CONVERSATION = 'longuser|wmLongCustomer01';
export const LONG_COUNT = 400;
export const LONG_MESSAGES: Record<string, unknown>[] = Array.from({ length: LONG_COUNT }, (_, i) => ({
  msgid: `long-${String(i).padStart(3, '0')}`, action: 'send', from: i % 3 ? 'longuser' : 'wmLongCustomer01',
  tolist: [i % 3 ? 'wmLongCustomer01' : 'longuser'], roomid: '', msgtime: base - 86_400_000 + i * 60_000,
  msgtype: 'text', text: { content: `第 ${i} 条消息 ${'内容'.repeat(i % 7)}` },
}));
