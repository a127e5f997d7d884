/**
 * WeCom's official callback test vectors (wecom-api.md §5.4), as data: the tests reproduce them
 * bit-exactly, and a self-check (doctor, the next session's route) can run them at start-up to
 * prove the crypto before the first real callback arrives. Public sample values, not secrets.
 */

export const VECTOR_SECRETS = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: 'wx5823bf96d3bd56c7',
} as const;

export interface CallbackVector {
  name: string;
  /** Where the vector comes from. */
  source: string;
  query: { msg_signature: string; timestamp: string; nonce: string };
  /** The ciphertext the signature covers (the echostr, URL-decoded, for the GET). */
  encrypt: string;
  /** The POST body as sent, when the vector has one. */
  body?: string;
  plaintext: string;
  /** The 16 "random" bytes the sample sealed with: re-encrypting with them gives `encrypt` again. */
  random: string;
  /** The PKCS#7 pad value the ciphertext ends with. */
  pad: number;
}

const B_ENCRYPT = 'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
const C_ENCRYPT = 'CZWs4CWRpI4VolQlvn4dlEC1alN2MUEY2VklGehgBVLBrlVF7SyT+SV+Toj43l4ayJ9UMGKphktKKmP7B2j/P1ey67XB8PBgS7Wr5/8+w/yWriZv3Vmoo/MH3/1HsIWZrPQ3N2mJrelStIfI2Y8kLKXA7EhfZgZX4o+ffdkZDM76SEl79Ib9mw7TGjZ9Aw/x/A2VjNbV1E8BtEbRxYYcQippYNw7hr8sFfa3nW1xLdxokt8QkRX83vK3DFP2F6TQFPL2Tu98UwhcUpPvdJBuu1/yiOQIScppV3eOuLWEsko=';

export const CALLBACK_VECTORS: readonly CallbackVector[] = [
  {
    name: 'A: URL verification (GET)',
    source: 'workweixin/weworkapi_golang json_callback/sample.go; sbzhu/weworkapi_php callback/Sample.php',
    query: { msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', timestamp: '1409659589', nonce: '263014780' },
    encrypt: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    plaintext: '1616140317555161061',
    random: 'c41b64491c2468d0',
    pad: 7,
  },
  {
    name: 'B: encrypted XML message (POST)',
    source: 'sbzhu/weworkapi_php callback/Sample.php',
    query: { msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' },
    encrypt: B_ENCRYPT,
    body: `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${B_ENCRYPT}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`,
    plaintext: '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
    random: '0960688932c47ef1',
    pad: 30,
  },
  {
    name: 'C: encrypted JSON message (POST)',
    source: 'workweixin/weworkapi_golang json_callback/sample.go',
    query: { msg_signature: '0623cbc5a8cbee5bcc137c70de99575366fc2af3', timestamp: '1409659813', nonce: '1372623149' },
    encrypt: C_ENCRYPT,
    body: `{"tousername":"wx5823bf96d3bd56c7","encrypt":"${C_ENCRYPT}","agentid":"218"}`,
    plaintext: '{"ToUserName":"wx5823bf96d3bd56c7","FromUserName":"mycreate","CreateTime": 1409659813,"MsgType":"text","Content":"hello","MsgId":4561255354251345929,"AgentID": 218}',
    random: 'EDH75AiKExevY8L3',
    pad: 22,
  },
];
