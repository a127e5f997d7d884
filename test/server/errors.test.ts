import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.ts';
import { createLogger } from '../../src/server/logger.ts';
import { healthRoutes } from '../../src/server/routes/health.ts';
import { runtimeOf } from '../../src/services/runtime.ts';

/**
 * What the server does when things go wrong, without a store: /readyz says not ready while the store
 * cannot be reached (and /healthz still answers), a crash is a generic 500 whose error is logged,
 * redacted, and request URLs are logged with their secrets shortened.
 */

const FAKE_TOKEN = `wca_${'Q'.repeat(43)}`;

function capture(): { lines: () => Array<Record<string, any>>; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

async function serverOver(databaseUrl: string | undefined, log = capture()): Promise<FastifyInstance> {
  const runtime = runtimeOf({ corps: [], dataDir: '/nonexistent/wa-server-test', databaseUrl, lang: 'zh', files: [], problems: [] });
  const crash = async (app: FastifyInstance) => {
    app.get('/crash', { config: { public: true } }, async () => {
      throw new Error(`boom: Authorization: Bearer ${FAKE_TOKEN} at https://qyapi.weixin.qq.com/cgi-bin/x?access_token=abcdefghijklmnop`);
    });
  };
  return buildServer(runtime, { logger: createLogger({ destination: log.stream }), routes: [healthRoutes, crash] });
}

describe('the server when things go wrong', () => {
  it('/readyz answers 503 problem+json while the store is unreachable; /healthz still 200', async () => {
    const app = await serverOver('postgres://postgres@127.0.0.1:1/nothing');
    const ready = await app.inject({ url: '/readyz', headers: { 'accept-language': 'en' } });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(ready.json()).toMatchObject({ status: 503, code: 'not_ready', title: 'Service unavailable', store: { reachable: false, dialect: 'postgres' } });
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ ok: true });
    await app.close();
  });

  it('a crash is a generic 500 in the client\'s language; the log has the error, redacted, and no stack reaches the client', async () => {
    const log = capture();
    const app = await serverOver(undefined, log);
    const res = await app.inject({ url: '/crash' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      type: 'urn:wecom-archive:problem:internal_error', title: '内部错误', status: 500, code: 'internal_error',
      detail: '服务器内部错误，已记录在日志中', instance: '/crash',
    });
    const logged = JSON.stringify(log.lines());
    expect(logged).toContain('boom');
    expect(logged).not.toContain(FAKE_TOKEN);
    expect(logged).not.toContain('abcdefghijklmnop');
    await app.close();
  });

  it('logs request URLs with their secrets shortened (a callback\'s msg_signature and echostr keep a prefix)', async () => {
    const log = capture();
    const app = await serverOver(undefined, log);
    const signature = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const echostr = 'P9gS5LrGUq0Z0ExampleEchostrValueThatIsLong==';
    const res = await app.inject({ url: `/callback/ww0123456789abcdef/app?msg_signature=${signature}&timestamp=1&nonce=2&echostr=${encodeURIComponent(echostr)}`, headers: { authorization: `Bearer ${FAKE_TOKEN}` } });
    expect(res.statusCode).toBe(404);
    const logged = JSON.stringify(log.lines());
    expect(logged).toContain('msg_signature=a1b2…(40)');
    expect(logged).not.toContain(signature);
    expect(logged).not.toContain(echostr.slice(0, 20));
    expect(logged).not.toContain(FAKE_TOKEN);
    await app.close();
  });
});
