import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny WeCom stand-in on 127.0.0.1:0 for client unit tests: a real gettoken that checks corpid
 * and secret, access_token checks on every other path, and per-path handlers a test sets. Far smaller
 * than the sandbox on purpose: each test scripts exactly the answers it needs (errors, pages, delays).
 */

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
  /** The credential kind whose token came with the request. */
  kind?: string;
  token?: string;
}

/** A handler answers with a JSON object (errcode 0 added when absent), or a raw HTTP reply. */
export type FakeAnswer = Record<string, unknown> | { status: number; raw: string };
export type FakeHandler = (req: FakeRequest, nth: number) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeWecom {
  url: string;
  corpId: string;
  secrets: Record<string, string>;
  requests: FakeRequest[];
  /** Requests to a path (`gettoken`, `user/get`). */
  count(path: string): number;
  on(path: string, handler: FakeHandler): void;
  /** Makes WeCom reject this token from now on (40014 by default, or 42001). */
  revoke(token: string, errcode?: 40014 | 42001): void;
  close(): Promise<void>;
}

export interface FakeWecomOptions {
  corpId?: string;
  secrets?: Record<string, string>;
  expiresIn?: number;
  /** Hold every gettoken answer this long, so concurrent callers really overlap. */
  gettokenDelayMs?: number;
}

export async function startFakeWecom(options: FakeWecomOptions = {}): Promise<FakeWecom> {
  const corpId = options.corpId ?? 'wwtestcorp0001';
  const secrets = options.secrets ?? { app: 'app-secret-0123456789abcdef', customer: 'customer-secret-0123456789', archive: 'archive-secret-0123456789', contacts: 'contacts-secret-0123456789' };
  const kindOfSecret = new Map(Object.entries(secrets).map(([kind, secret]) => [secret, kind]));
  const issued = new Map<string, string>();
  const revoked = new Map<string, number>();
  const handlers = new Map<string, FakeHandler>();
  const counts = new Map<string, number>();
  const requests: FakeRequest[] = [];
  let tokenSerial = 0;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/cgi-bin\//, '');
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const token = query.access_token;
    const record: FakeRequest = { method: req.method ?? 'GET', path, query, body, token, kind: token ? issued.get(token) : undefined };
    requests.push(record);
    const nth = (counts.get(path) ?? 0) + 1;
    counts.set(path, nth);
    const send = (answer: FakeAnswer) => {
      if ('raw' in answer && typeof answer.status === 'number') {
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.raw);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...answer }));
    };

    try {
      if (path === 'gettoken') {
        const custom = handlers.get('gettoken');
        if (custom) return send(await custom(record, nth));
        if (query.corpid !== corpId) return send({ errcode: 40013, errmsg: 'invalid corpid' });
        const kind = kindOfSecret.get(query.corpsecret ?? '');
        if (!kind) return send({ errcode: 40001, errmsg: `invalid credential, hint: [x], from ip: 203.0.113.9, corpsecret=${query.corpsecret}` });
        if (options.gettokenDelayMs) await new Promise((resolve) => setTimeout(resolve, options.gettokenDelayMs));
        const access = `tok-${kind}-${++tokenSerial}-${'x'.repeat(20)}`;
        issued.set(access, kind);
        return send({ access_token: access, expires_in: options.expiresIn ?? 7200 });
      }
      if (!token) return send({ errcode: 41001, errmsg: 'access_token missing' });
      if (revoked.has(token)) return send({ errcode: revoked.get(token)!, errmsg: `access_token ${token} rejected` });
      if (!issued.has(token)) return send({ errcode: 40014, errmsg: 'invalid access_token' });
      const handler = handlers.get(path);
      if (!handler) return send({ status: 404, raw: `no handler for ${path}` });
      send(await handler(record, nth));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    corpId,
    secrets,
    requests,
    count: (path) => counts.get(path) ?? 0,
    on: (path, handler) => void handlers.set(path, handler),
    revoke: (token, errcode = 40014) => void revoked.set(token, errcode),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
