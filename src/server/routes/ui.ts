import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROJECT_ROOT } from '../../util/project-root.ts';
import { problem, requestLang, sendProblem } from '../problem.ts';
import type { RouteDeps } from './deps.ts';

/**
 * The web UI (web/, built to web/dist by `npm run build:web`, which `npm ci` runs): its hashed
 * assets, and index.html for every path the UI routes itself, so a deep link opens the right page.
 * Public (the page is nothing without the API, which asks for credentials), under a strict CSP: only
 * this origin's scripts and styles, no inline script, no eval, pictures and sound from here or from
 * blob:/data: URLs the page made, and no framing.
 */

export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');

/** The paths the UI routes (web/src/router.ts ROUTE_PREFIXES): each, and everything below it, answers index.html. */
export const UI_PATHS = ['/login', '/browse', '/conversations', '/search', '/customers', '/employees', '/health', '/audit'] as const;

/** A route this module registers (the UI's pages and assets: public, and not part of the API's document). */
export function isUiRoute(url: string): boolean {
  return url === '/' || url === '/*' || url === '/assets/*' || UI_PATHS.some((path) => url === path || url === `${path}/*`);
}

/** A browser asking for a page (not a script, an API client or WeCom): it gets the UI's own "no such page". */
function wantsPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!;
  return /\btext\/html\b/.test(String(request.headers.accept ?? '')) && !/^\/(api|callback|assets)(\/|$)/.test(path);
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' blob: data:", "media-src 'self' blob: data:",
  "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Frame-Options', 'DENY')
    .header('Cross-Origin-Opener-Policy', 'same-origin');
}

export async function uiRoutes(app: FastifyInstance, _deps: RouteDeps, dist: string = WEB_DIST): Promise<void> {
  // preCompressed: the assets' .br/.gz made at build (scripts/build-web.mjs) go to browsers that accept them.
  await app.register(fastifyStatic, { root: dist, serve: false, decorateReply: true, preCompressed: true });
  const built = () => existsSync(`${dist}/index.html`);

  const index = async (request: FastifyRequest, reply: FastifyReply, status = 200) => {
    if (!built()) {
      const lang = requestLang(request);
      return sendProblem(reply, problem(503, 'ui_not_built', lang, {
        detail: lang === 'en' ? 'The web UI is not built: run npm run build:web (npm ci does it)' : '网页界面尚未构建：运行 npm run build:web（npm ci 会自动构建）',
        instance: request.url,
      }));
    }
    securityHeaders(reply).header('Cache-Control', 'no-cache');
    // The 404 page is never a 304: a browser revalidating it would be left with an empty page.
    return reply.code(status).sendFile('index.html', dist, status === 200 ? { cacheControl: false } : { cacheControl: false, etag: false, lastModified: false });
  };
  const hidden = { hide: true };
  const page = (request: FastifyRequest, reply: FastifyReply) => index(request, reply);
  app.get('/', { config: { public: true }, schema: hidden }, page);
  for (const path of UI_PATHS) {
    app.get(path, { config: { public: true }, schema: hidden }, page);
    app.get(`${path}/*`, { config: { public: true }, schema: hidden }, page);
  }
  // Any other path: a browser gets the UI, which says "no such page" (status 404); anyone else the
  // 404 problem+json, as before. Matched last: every other route is more specific.
  app.get('/*', { config: { public: true }, schema: hidden }, (request, reply) => (wantsPage(request) ? index(request, reply, 404) : reply.callNotFound()));

  // Hashed names: a file's content never changes under its name, so it may be kept for a year.
  app.get('/assets/*', { config: { public: true }, schema: hidden }, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    securityHeaders(reply);
    return reply.sendFile(`assets/${file}`, dist, { immutable: true, maxAge: '365d' });
  });
}
