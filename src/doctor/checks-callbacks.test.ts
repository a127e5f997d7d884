import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { MsgCrypt } from '../wecom/callback/crypto.ts';
import { callbackChecks } from './checks-callbacks.ts';

const CORP = 'wwdoctorcallback01';
const TOKEN = 'T0kenForTheAppCallback';
const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const OTHER_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

/** A receiver that answers URL checks with a given key (or a fixed status), as `serve` would. */
function receiver(key: string, status?: number): Promise<{ server: Server; base: string }> {
  const crypt = new MsgCrypt({ token: TOKEN, encodingAesKey: key, receiveId: CORP });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (status) return void res.writeHead(status).end('nope');
    if (url.pathname !== `/callback/${CORP}/app`) return void res.writeHead(404).end();
    try {
      const echo = crypt.verifyUrl(Object.fromEntries(url.searchParams));
      res.writeHead(200, { 'content-type': 'text/plain' }).end(echo);
    } catch {
      res.writeHead(401).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  }));
}

const config = (values: Record<string, string>) => loadConfig({ env: { CORP_ID: CORP, ...values }, cwd: '/nonexistent', strict: false });
const byId = (checks: Awaited<ReturnType<typeof callbackChecks>>, id: string) => checks.find((c) => c.id === id);

describe('doctor: callback checks', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));
  let good: string;
  let otherKey: string;
  let failing: string;
  beforeAll(async () => {
    for (const [key, status] of [[KEY], [OTHER_KEY], [KEY, 500]] as const) {
      const made = await receiver(key, status);
      servers.push(made.server);
      if (status) failing = made.base;
      else if (key === KEY) good = made.base;
      else otherKey = made.base;
    }
  });

  it('passes the keys and the signed echostr round trip when the server holds the same keys', async () => {
    const checks = await callbackChecks(await config({ APP_CALLBACK_TOKEN: TOKEN, APP_CALLBACK_AES_KEY: KEY }), { publicUrl: `${good}/` });
    expect(byId(checks, 'callback.app.keys')?.status).toBe('pass');
    expect(byId(checks, 'callback.app.url')).toMatchObject({ status: 'pass', vars: { url: `${good}/callback/${CORP}/app` } });
    // Kinds left unconfigured are skipped, and no round trip is tried for them.
    expect(byId(checks, 'callback.contacts.keys')?.status).toBe('skip');
    expect(byId(checks, 'callback.contacts.url')).toBeUndefined();
  });

  it('fails the round trip when the server was given other keys, and says so', async () => {
    const checks = await callbackChecks(await config({ APP_CALLBACK_TOKEN: TOKEN, APP_CALLBACK_AES_KEY: KEY }), { publicUrl: otherKey });
    const url = byId(checks, 'callback.app.url');
    expect(url?.status).toBe('fail');
    expect(url?.message.en).toContain('differ');
  });

  it('names a server error, an unknown corp and an unreachable URL each as such', async () => {
    const cfg = await config({ APP_CALLBACK_TOKEN: TOKEN, APP_CALLBACK_AES_KEY: KEY });
    expect(byId(await callbackChecks(cfg, { publicUrl: failing }), 'callback.app.url')).toMatchObject({ status: 'fail', vars: { status: 500 } });
    const other = await loadConfig({ env: { CORP_ID: 'wwsomeoneelse', APP_CALLBACK_TOKEN: TOKEN, APP_CALLBACK_AES_KEY: KEY }, cwd: '/nonexistent', strict: false });
    expect(byId(await callbackChecks(other, { publicUrl: good }), 'callback.app.url')).toMatchObject({ status: 'fail', vars: { status: 404 } });
    const gone = await receiver(KEY);
    await new Promise((r) => gone.server.close(r));
    const closed = await callbackChecks(cfg, { publicUrl: gone.base });
    expect(byId(closed, 'callback.app.url')).toMatchObject({ status: 'fail', vars: { reason: 'ECONNREFUSED' } });
  });

  it('fails a half-configured kind and a token with whitespace; skips the round trip without PUBLIC_URL', async () => {
    const half = await callbackChecks(await config({ CUSTOMER_CALLBACK_TOKEN: TOKEN }));
    expect(byId(half, 'callback.customer.keys')).toMatchObject({ status: 'fail', vars: { missing: 'CUSTOMER_CALLBACK_AES_KEY' } });
    const spaced = await callbackChecks(await config({ APP_CALLBACK_TOKEN: `${TOKEN} `, APP_CALLBACK_AES_KEY: KEY }));
    expect(byId(spaced, 'callback.app.keys')?.status).toBe('fail');
    const noUrl = await callbackChecks(await config({ APP_CALLBACK_TOKEN: TOKEN, APP_CALLBACK_AES_KEY: KEY }));
    expect(byId(noUrl, 'callback.app.url')?.status).toBe('skip');
  });

  it('never prints the token or the key', async () => {
    const checks = await callbackChecks(await config({ APP_CALLBACK_TOKEN: TOKEN, APP_CALLBACK_AES_KEY: 'short' }), { publicUrl: good });
    const text = JSON.stringify(checks);
    expect(byId(checks, 'callback.app.keys')?.status).toBe('fail');
    expect(text).not.toContain(TOKEN);
  });
});
