import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MsgCrypt } from '../../src/wecom/callback/crypto.ts';
import { openCallback } from '../../src/wecom/callback/envelope.ts';
import type { CallbackKind } from '../../src/wecom/callback/events.ts';
import { parseEvent, type CallbackEvent } from '../../src/wecom/callback/parse-event.ts';

/**
 * A tiny receiver, as the product's would be: `POST /callback/<corpId>/<kind>`, verified and
 * decrypted with the kind's Token and EncodingAESKey (openCallback), then parsed (parseEvent).
 */

export interface Received {
  corpId: string;
  kind: CallbackKind;
  event: CallbackEvent;
  body: string;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Requests that did not open (bad signature, …): must stay empty. */
  refused: string[];
  close(): Promise<void>;
}

export interface ReceiverOptions {
  corpId: string;
  secrets: Record<CallbackKind, { token: string; encodingAesKey: string }>;
  /** The receiver's clock, for the timestamp window: the sandbox's. */
  now: () => number;
  /** Answer every request with this status (default 200). */
  status?: number;
  port?: number;
  /** Appended to the echostr of the URL check (a wrong answer, for tests): e.g. '\n'. */
  echoSuffix?: string;
}

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const received: Received[] = [];
  const refused: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const [, prefix, corpId, kind] = url.pathname.split('/');
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'GET') {
        const crypt = new MsgCrypt({ ...options.secrets[kind as CallbackKind], receiveId: corpId! });
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(crypt.verifyUrl(Object.fromEntries(url.searchParams)) + (options.echoSuffix ?? ''));
        return;
      }
      try {
        if (prefix !== 'callback' || corpId !== options.corpId || !(kind! in options.secrets)) throw new Error(`unexpected path ${url.pathname}`);
        const crypt = new MsgCrypt({ ...options.secrets[kind as CallbackKind], receiveId: corpId });
        const opened = openCallback(crypt, Object.fromEntries(url.searchParams), body, { now: options.now() });
        received.push({ corpId, kind: kind as CallbackKind, event: parseEvent(opened.message), body });
      } catch (err) {
        refused.push(err instanceof Error ? err.message : String(err));
      }
      res.writeHead(options.status ?? 200).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port, received, refused,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** A port nobody listens on (yet): taken from the OS, then released. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
