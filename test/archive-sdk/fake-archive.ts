import { constants, generateKeyPairSync, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny server speaking the sandbox side of docs/standin-sdk.md, written from the spec for the
 * stand-in library's tests (independent of src/sandbox/archive, so the two check each other).
 */

/** The keystream of the spec: FNV-1a-32 seed, xorshift32 per 4 bytes, little-endian. */
export function keystreamXor(encryptKey: string, data: Buffer): Buffer {
  let x = 2166136261;
  for (const byte of Buffer.from(encryptKey, 'latin1')) x = Math.imul(x ^ byte, 16777619) >>> 0;
  if (x === 0) x = 1;
  const out = Buffer.from(data);
  for (let i = 0; i < out.length; i += 4) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    for (let k = 0; k < 4 && i + k < out.length; k++) out[i + k] ^= (x >>> (8 * k)) & 0xff;
  }
  return out;
}

export function encryptChatMsg(encryptKey: string, marker: string, body: Buffer | string = ''): string {
  return keystreamXor(encryptKey, Buffer.concat([Buffer.from(marker, 'latin1'), Buffer.from(body)])).toString('base64');
}

/** 88 printable characters, like production's RSA plaintexts. */
export function newEncryptKey(): string {
  return randomBytes(66).toString('base64');
}

export interface TestKey {
  version: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function testKey(version: number): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { version, privateKey, publicKey };
}

export function wrapKey(publicKey: KeyObject, encryptKey: string): string {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(encryptKey, 'latin1')).toString('base64');
}

export interface StoredMessage {
  seq: bigint;
  msgid: string;
  publickeyVer: number;
  encryptKey: string;
  /** The plaintext JSON (WWSB), or another marker for faults. */
  json?: string;
  marker?: string;
  /** Wrap the key with this public key instead of the version's (a wrong key). */
  wrapWith?: KeyObject;
}

export interface FakeArchive {
  url: string;
  corpId: string;
  secret: string;
  messages: StoredMessage[];
  media: Map<string, Buffer>;
  /** Fault header values for the next requests of each route (consumed in order). */
  faults: { chatdata: string[]; media: string[] };
  /** Answer chatdata with Transfer-Encoding: chunked instead of Content-Length. */
  chunkedResponses: boolean;
  requests: Array<{ path: string; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export const CHUNK = 512 * 1024;

export async function startFakeArchive(keys: TestKey[], options: { corpId?: string; secret?: string } = {}): Promise<FakeArchive> {
  const byVersion = new Map(keys.map((k) => [k.version, k]));
  const archive: FakeArchive = {
    url: '',
    close: async () => {},
    corpId: options.corpId ?? 'wwtestcorp',
    secret: options.secret ?? 'archive-secret-for-tests',
    messages: [],
    media: new Map(),
    faults: { chatdata: [], media: [] },
    chunkedResponses: false,
    requests: [],
  };

  const envelope = (m: StoredMessage): string => {
    const wrapWith = m.wrapWith ?? byVersion.get(m.publickeyVer)!.publicKey;
    const ecm = encryptChatMsg(m.encryptKey, m.marker ?? 'WWSB', m.json ?? '');
    // seq written by hand: JSON.stringify cannot emit integers beyond 2^53.
    return `{"seq":${m.seq},"msgid":${JSON.stringify(m.msgid)},"publickey_ver":${m.publickeyVer},` +
      `"encrypt_random_key":"${wrapKey(wrapWith, m.encryptKey)}","encrypt_chat_msg":"${ecm}"}`;
  };

  const chatdata = (body: Record<string, unknown>, res: ServerResponse) => {
    if (body.corpid !== archive.corpId || body.secret !== archive.secret) {
      return send(res, 200, {}, '{"errcode":40001,"errmsg":"invalid secret"}');
    }
    const after = BigInt(String(body.seq));
    const picked = archive.messages.filter((m) => m.seq > after).slice(0, Number(body.limit));
    const text = `{"errcode":0,"errmsg":"ok","chatdata":[${picked.map(envelope).join(',')}]}`;
    if (!archive.chunkedResponses) return send(res, 200, {}, text);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(text.slice(0, 10));
    res.end(text.slice(10));
  };

  const media = (body: Record<string, unknown>, res: ServerResponse) => {
    const file = archive.media.get(String(body.sdkfileid));
    if (!file) return send(res, 404, { 'X-Standin-Rc': '10005' }, '');
    const range = /^Range:bytes=(\d+)-(\d+)$/.exec(String(body.indexbuf ?? ''));
    if (body.indexbuf && !range) return send(res, 400, { 'X-Standin-Rc': '10000' }, '');
    const start = range ? Number(range[1]) : 0;
    const end = Math.min(start + CHUNK, file.length);
    const finished = end >= file.length;
    const next = finished ? '' : `Range:bytes=${end}-${Math.min(end + CHUNK, file.length) - 1}`;
    send(res, 200, { 'X-Outindexbuf': next, 'X-Is-Finish': finished ? '1' : '0' }, file.subarray(start, end));
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(raw) as Record<string, unknown>;
    archive.requests.push({ path: req.url ?? '', body });
    const route = req.url === '/__finance/chatdata' ? 'chatdata' : req.url === '/__finance/media' ? 'media' : undefined;
    if (!route || req.method !== 'POST') return send(res, 404, {}, 'not found');
    const fault = archive.faults[route].shift();
    if (fault) return send(res, 200, { 'X-Standin-Fault': fault }, '');
    return route === 'chatdata' ? chatdata(body, res) : media(body, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  archive.url = `http://127.0.0.1:${port}`;
  archive.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return archive;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
