import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.ts';
import { isUiRoute } from '../../src/server/routes/ui.ts';
import { listConversations } from '../../src/services/reading.ts';
import { listCustomers, listGroups } from '../../src/services/directory/index.ts';
import { createToken, revokeToken } from '../../src/services/tokens.ts';
import { COMPRESS_MIN_BYTES } from '../../src/server/compress.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import { filledDeployment, type FilledDeployment } from './fixture.ts';
import { checkOpenApi31 } from './openapi-check.ts';

/**
 * The REST API over a store filled from the sandbox, on both databases. The routes are taken from
 * the app itself (every route it registered), so a route added later is checked too: each answers
 * 401 without a token and with a revoked one, 200 with a valid one, and is in the OpenAPI document.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`the REST API [${dialect}]`, () => {
    let filled: FilledDeployment;
    let app: FastifyInstance;
    let token: string;
    let revoked: string;
    /** A real id for each path parameter, by route. */
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      filled = await filledDeployment(dialect);
      app = await buildServer(filled.runtime);
      token = (await createToken(filled.runtime, { name: 'tests', role: 'admin' })).token;
      const old = await createToken(filled.runtime, { name: 'old' });
      await revokeToken(filled.runtime, { idOrName: old.id });
      revoked = old.token;
      const rt = filled.runtime;
      ids['/api/v1/customers/:id'] = (await listCustomers(rt, { limit: 1 })).customers[0]!.externalUserid;
      ids['/api/v1/groups/:id'] = (await listGroups(rt, { limit: 1 })).groups[0]!.chatId;
      ids['/api/v1/conversations/:id/messages'] = (await listConversations(rt, { limit: 1 })).conversations[0]!.id;
    }, 240_000);
    afterAll(async () => {
      await app?.close();
      await filled?.dispose();
    });

    const apiRoutes = () => app.registeredRoutes.filter((route) => route.url.startsWith('/api/v1/'));
    const urlOf = (route: { url: string }) => route.url.replace(':id', encodeURIComponent(ids[route.url] ?? 'x'));
    /** A value for each required query parameter, by name (a new route's required parameter needs one here). */
    const SAMPLES: Record<string, string> = { q: '合同' };
    const requiredQuery = async (route: { method: string; url: string }) => {
      const doc = (await get('/api/v1/openapi.json', bearer(token))).json();
      const op = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')][route.method.toLowerCase()];
      const names: string[] = (op.parameters ?? []).filter((p: any) => p.in === 'query' && p.required).map((p: any) => p.name);
      return names.length ? `?${new URLSearchParams(names.map((name): [string, string] => [name, SAMPLES[name] ?? `no sample for ${name}`])).toString()}` : '';
    };
    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
    // Content needs a stated purpose (test/server/roles.test.ts checks the 428 without one).
    const bearer = (value: string) => ({ authorization: `Bearer ${value}`, 'x-access-purpose': encodeURIComponent('测试 API') });

    it('registers the API, and only /healthz, /readyz and the WeCom callbacks are public', () => {
      expect(apiRoutes().length).toBeGreaterThanOrEqual(15);
      const open = app.registeredRoutes.filter((route) => route.public && !isUiRoute(route.url)).map((route) => `${route.method} ${route.url}`).sort();
      expect(open).toEqual(['GET /callback/:corpId/:kind', 'GET /healthz', 'GET /readyz', 'POST /api/v1/session', 'POST /callback/:corpId/:kind']);
    });

    it('every /api/v1 route answers 401 problem+json without a token, with a malformed one and with a revoked one', async () => {
      for (const route of apiRoutes().filter((r) => !r.public)) {
        for (const headers of [{}, bearer('wca_nope'), bearer(revoked), { authorization: `Basic ${Buffer.from(`a:${token}`).toString('base64')}` }]) {
          const res = await app.inject({ method: route.method as 'GET', url: urlOf(route), headers });
          expect(res.statusCode, `${route.method} ${route.url} ${JSON.stringify(headers)}`).toBe(401);
          expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
          expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
          expect(res.json()).toMatchObject({ status: 401, code: expect.stringMatching(/^auth_/) });
        }
      }
    });

    it('every /api/v1 route answers 200 with a valid token, in the services\' shapes', async () => {
      // Reads only: the routes that change something (events/replay) are tested with their own bodies. The
      // media route needs a downloaded file (this store is pulled without media): test/ui/media-route.test.ts.
      // The session routes answer a cookie session only (test/server/session.test.ts).
      for (const route of apiRoutes().filter((r) => r.method === 'GET' && !r.url.startsWith('/api/v1/media/') && !r.url.startsWith('/api/v1/session'))) {
        const res = await app.inject({ method: 'GET', url: `${urlOf(route)}${await requiredQuery(route)}`, headers: bearer(token) });
        expect(res.statusCode, `${route.url}: ${res.body.slice(0, 300)}`).toBe(200);
      }
      const employees = (await get('/api/v1/employees?limit=3', bearer(token))).json();
      expect(employees).toMatchObject({ ok: true, truncated: true });
      expect(employees.employees).toHaveLength(3);
      expect(employees.employees[0]).toMatchObject({ corpId: filled.sandbox.corpId, userid: expect.any(String) });
      const customer = (await get(urlOf({ url: '/api/v1/customers/:id' }), bearer(token))).json();
      expect(customer).toMatchObject({ ok: true, customer: { externalUserid: ids['/api/v1/customers/:id'] }, consent: expect.any(Array) });
      const status = (await get('/api/v1/archive/status', bearer(token))).json();
      expect(status.corps[0]).toMatchObject({ corpId: filled.sandbox.corpId, ok: true });
      expect(status.corps[0].messages).toBeGreaterThan(0);
      const verify = (await get('/api/v1/archive/verify', bearer(token))).json();
      expect(verify).toMatchObject({ ok: true, corps: [{ corpId: filled.sandbox.corpId, ok: true }] });
      const sync = (await get('/api/v1/sync/state', bearer(token))).json();
      expect(sync.corps[0].runs.map((run: { status: string }) => run.status)).toContain('succeeded');
    });

    it('pages a conversation by cursor both ways, the pages meeting exactly', async () => {
      // The longest conversation: which one is the newest depends on the day the archive is generated.
      let base = '';
      let all: string[] = [];
      for (const { id } of (await listConversations(filled.runtime, { limit: 100 })).conversations) {
        const url = `/api/v1/conversations/${encodeURIComponent(id)}/messages`;
        const msgids = (await get(`${url}?limit=10000`, bearer(token))).json().messages.map((m: { msgid: string }) => m.msgid);
        if (msgids.length > all.length) [base, all] = [url, msgids];
      }
      expect(all.length).toBeGreaterThan(2);
      const middle = all[Math.floor(all.length / 2)];
      const around = (await get(`${base}?around=${encodeURIComponent(middle)}&limit=3`, bearer(token))).json();
      const page = around.messages.map((m: { msgid: string }) => m.msgid);
      expect(page).toContain(middle);
      const before = (await get(`${base}?before=${encodeURIComponent(around.cursors.before ?? page[0])}&limit=10000`, bearer(token))).json();
      const after = (await get(`${base}?after=${encodeURIComponent(around.cursors.after ?? page.at(-1))}&limit=10000`, bearer(token))).json();
      const joined = [...before.messages, ...around.messages, ...after.messages].map((m: { msgid: string }) => m.msgid);
      expect(joined).toEqual(all);
      expect(before.cursors.before).toBeNull();
      expect(after.cursors.after).toBeNull();
    });

    it('compresses JSON for a client that accepts br or gzip, the same JSON once decoded; small answers as they are', async () => {
      const url = `/api/v1/employees?limit=100`;
      const plain = await get(url, bearer(token));
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toContain('Accept-Encoding');
      expect(plain.rawPayload.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
      for (const [accept, coding, decode] of [['gzip, deflate, br', 'br', brotliDecompressSync], ['gzip;q=1, br;q=0', 'gzip', gunzipSync]] as const) {
        const packed = await get(url, { ...bearer(token), 'accept-encoding': accept });
        expect(packed.statusCode).toBe(200);
        expect(packed.headers['content-encoding'], accept).toBe(coding);
        expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
        expect(JSON.parse(decode(packed.rawPayload).toString('utf8'))).toEqual(plain.json());
      }
      const small = await get('/healthz', { 'accept-encoding': 'br' });
      expect(small.headers['content-encoding']).toBeUndefined();
    });

    it('answers a bad query 400 naming the field, and a service\'s refusal with its own code', async () => {
      const limit = await get('/api/v1/employees?limit=0', bearer(token));
      expect(limit.statusCode).toBe(400);
      expect(limit.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(limit.json()).toMatchObject({ code: 'request_invalid', errors: [{ field: 'limit' }] });
      expect(limit.json().detail).toContain('limit');
      const kind = await get('/api/v1/conversations?kind=room', bearer(token));
      expect(kind.statusCode).toBe(400);
      expect(kind.json()).toMatchObject({ code: 'archive_bad_kind', fix: expect.any(String) });
      const search = await get('/api/v1/search', bearer(token));
      expect(search.json()).toMatchObject({ status: 400, errors: [{ field: 'q' }] });
    });

    it('speaks Chinese by default and English when the client prefers it; unknown routes are 404 problems', async () => {
      const missing = '/api/v1/conversations/wrNoSuchRoom/messages';
      const zh = await get(missing, bearer(token));
      expect(zh.statusCode).toBe(404);
      expect(zh.json()).toMatchObject({ type: 'urn:wecom-archive:problem:archive_no_conversation', title: '未找到', detail: '没有会话 wrNoSuchRoom', status: 404 });
      const en = await get(missing, { ...bearer(token), 'accept-language': 'en-US,en;q=0.9,zh;q=0.5' });
      expect(en.json()).toMatchObject({ title: 'Not found', detail: 'No conversation wrNoSuchRoom' });
      const zhPreferred = await get(missing, { ...bearer(token), 'accept-language': 'zh-CN, en;q=0.8' });
      expect(zhPreferred.json().title).toBe('未找到');
      // Unknown records are not found (404), not a bad request.
      for (const url of ['/api/v1/customers/wmNoSuchCustomer', '/api/v1/groups/wrNoSuchGroup']) {
        const unknown = await get(url, bearer(token));
        expect(unknown.statusCode, url).toBe(404);
        expect(unknown.json(), url).toMatchObject({ code: 'not_found', title: '未找到' });
      }
      const unauthorizedEn = await get('/api/v1/corps', { 'accept-language': 'en' });
      expect(unauthorizedEn.json()).toMatchObject({ title: 'Unauthorized', detail: 'Sign in, or send an API token' });
      const nowhere = await get('/api/v2/nothing?token=abc', { 'accept-language': 'en' });
      expect(nowhere.statusCode).toBe(404);
      expect(nowhere.json()).toMatchObject({ code: 'route_not_found', instance: '/api/v2/nothing' });
      for (const res of [zh, en, nowhere]) expect(res.body).not.toMatch(/\bat .+\.ts:\d+/);
    });

    it('serves a valid OpenAPI 3.1 document listing every registered route', async () => {
      const res = await get('/api/v1/openapi.json', bearer(token));
      const doc = res.json();
      expect(checkOpenApi31(doc)).toEqual([]);
      const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
        .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)).sort();
      const registered = app.registeredRoutes.filter((route) => !isUiRoute(route.url)).map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`).sort();
      expect(documented).toEqual(registered);
      expect(doc.paths['/healthz'].get.security).toEqual([]);
      expect(doc.security).toEqual([{ bearer: [] }]);
    });

    it('/healthz and /readyz answer without a token once the store is migrated', async () => {
      expect((await get('/healthz')).json()).toEqual({ ok: true });
      const ready = await get('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ ok: true, store: { reachable: true, dialect, pending: [] } });
    });
  });
}
