import { NO_JOBS } from '../helpers/deployment.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.ts';
import type { Authenticator } from '../../src/server/auth.ts';
import { startServer } from '../../src/server/start.ts';
import { runtimeOf } from '../../src/services/runtime.ts';

/**
 * The auth gate as the next issue will extend it: authenticators tried in order, the first that
 * knows the caller sets request.actor; and serve's background hook, started with the server and
 * stopped after it.
 */

const runtime = () => runtimeOf({ corps: [], dataDir: mkdtempSync(join(tmpdir(), 'wa-auth-hooks-')), lang: 'zh', files: [], problems: [], jobs: NO_JOBS });

const whoami = async (app: FastifyInstance) => {
  app.get('/api/v1/whoami', async (request) => ({ ok: true, actor: request.actor }));
  app.get('/open', { config: { public: true } }, async (request) => ({ ok: true, actor: request.actor }));
};

describe('the auth gate', () => {
  it('asks each authenticator in turn; the first that knows the caller wins; public routes need none', async () => {
    const asked: string[] = [];
    const session: Authenticator = async (request) => {
      asked.push('session');
      return request.headers.cookie === 'session=ok' ? { kind: 'operator' } : null;
    };
    const header: Authenticator = async (request) => {
      asked.push('header');
      return request.headers['x-test'] ? { kind: 'token', tokenId: 't1', name: String(request.headers['x-test']), role: 'auditor', corps: [], departments: [] } : null;
    };
    const app = await buildServer(runtime(), { authenticators: [session, header], routes: [whoami] });
    expect((await app.inject({ url: '/api/v1/whoami', headers: { cookie: 'session=ok' } })).json()).toEqual({ ok: true, actor: { kind: 'operator' } });
    expect(asked).toEqual(['session']);
    expect((await app.inject({ url: '/api/v1/whoami', headers: { 'x-test': 'ci' } })).json()).toEqual({ ok: true, actor: { kind: 'token', tokenId: 't1', name: 'ci', role: 'auditor', corps: [], departments: [] } });
    const refused = await app.inject({ url: '/api/v1/whoami' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    asked.length = 0;
    expect((await app.inject({ url: '/open' })).json()).toEqual({ ok: true, actor: null });
    expect(asked).toEqual([]);
    await app.close();
  });
});

describe('serve\'s background hook', () => {
  it('starts once the server listens and stops after it', async () => {
    const events: string[] = [];
    const rt = runtime();
    const running = await startServer(rt, {
      port: 0, logLevel: 'silent',
      background: async (given, log) => {
        expect(given).toBe(rt);
        expect(typeof log.info).toBe('function');
        events.push('started');
        return { stop: async () => { events.push('stopped'); } };
      },
    });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    await running.close();
    expect(events).toEqual(['started', 'stopped']);
    await rt.close();
  });
});
