import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { NO_JOBS } from '../helpers/deployment.ts';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.ts';
import { buildServer } from '../../src/server/app.ts';
import { healthRoutes } from '../../src/server/routes/health.ts';
import { isUiRoute, uiRoutes, UI_PATHS } from '../../src/server/routes/ui.ts';
import { runtimeOf } from '../../src/services/runtime.ts';

/**
 * The UI's routes over a built UI (a stand-in dist folder): index.html for each UI path and deep
 * link, under the strict CSP; hashed assets kept a year; the API's 404s untouched; and a UI not
 * built said so instead of a blank page. No store is needed: these routes never read one.
 */
const runtime = runtimeOf({ corps: [{ corpId: 'wwUiTest' } as Config], dataDir: '/nonexistent', lang: 'zh', files: [], problems: [], jobs: NO_JOBS });

async function serverOver(dist: string): Promise<FastifyInstance> {
  return buildServer(runtime, { routes: [healthRoutes, (app, deps) => uiRoutes(app, deps, dist)] });
}

const SCRIPT = 'console.log("the web UI");\n'.repeat(100);

describe('the web UI routes', () => {
  let app: FastifyInstance;
  let missing: FastifyInstance;
  beforeAll(async () => {
    const dist = join(mkdtempSync(join(tmpdir(), 'wa-ui-dist-')), 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>ui</title><script type="module" src="/assets/index-abc.js"></script>');
    writeFileSync(join(dist, 'assets', 'index-abc.js'), SCRIPT);
    writeFileSync(join(dist, 'assets', 'index-abc.js.br'), brotliCompressSync(SCRIPT));
    app = await serverOver(dist);
    missing = await serverOver(join(dist, 'nowhere'));
  });
  afterAll(async () => {
    await app?.close();
    await missing?.close();
  });

  it('answers index.html for / and every UI path and deep link, without a token, under a strict CSP', async () => {
    for (const url of ['/', ...UI_PATHS, '/browse/customer?who=wm1&c=a%7Cb', '/conversations/wr123?at=m1', '/customers/wm%E5%AE%A2']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('/assets/index-abc.js');
      const csp = String(res.headers['content-security-policy']);
      for (const part of ["default-src 'self'", "script-src 'self'", "img-src 'self' blob: data:", "media-src 'self' blob: data:", "frame-ancestors 'none'", "object-src 'none'"]) {
        expect(csp).toContain(part);
      }
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('serves hashed assets for a year, and a missing one as a 404 problem', async () => {
    const js = await app.inject({ url: '/assets/index-abc.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    // The .br/.gz made at build go to a browser that accepts them; the plain file to one that does not.
    const br = await app.inject({ url: '/assets/index-abc.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(String(br.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
    expect(js.headers['content-encoding']).toBeUndefined();
    expect(js.body).toBe(SCRIPT);
    const none = await app.inject({ url: '/assets/none.js' });
    expect(none.statusCode).toBe(404);
    expect(none.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const escape = await app.inject({ url: '/assets/..%2f..%2fpackage.json' });
    expect(escape.statusCode).not.toBe(200);
  });

  it('leaves the API\'s own answers alone: an unknown API path is a 404 problem, not the page', async () => {
    const res = await app.inject({ url: '/api/v1/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(isUiRoute('/api/v1/corps')).toBe(false);
    expect(isUiRoute('/browse/*')).toBe(true);
  });

  it('answers a browser\'s unknown page with the UI (which says "no such page"), status 404; anyone else gets problem+json', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const page = await app.inject({ url: '/no/such/page?x=1', headers: html });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('/assets/index-abc.js');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    // Revalidating it gives the page again, never an empty 304.
    const again = await app.inject({ url: '/no/such/page', headers: { ...html, 'if-none-match': 'W/"1c9-19af0e5c7a8"', 'if-modified-since': new Date().toUTCString() } });
    expect(page.headers.etag).toBeUndefined();
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('/assets/index-abc.js');
    for (const [url, headers] of [['/no/such/page', {}], ['/api/v1/nothing', html], ['/callback/x', html]] as const) {
      const res = await app.inject({ url, headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toBe('application/problem+json; charset=utf-8');
    }
  });

  it('falls back to index.html for exactly the paths the UI routes (web/src/router.ts)', () => {
    const router = readFileSync(new URL('../../web/src/router.ts', import.meta.url), 'utf8');
    const prefixes = /ROUTE_PREFIXES = \[([^\]]*)\]/.exec(router)?.[1]?.match(/'[^']+'/g)?.map((p) => p.slice(1, -1));
    expect(prefixes).toEqual([...UI_PATHS]);
  });

  it('says the UI is not built, in the client\'s language, when web/dist is missing', async () => {
    const res = await missing.inject({ url: '/browse', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'ui_not_built', detail: expect.stringContaining('npm run build:web') });
  });
});
