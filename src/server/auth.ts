import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { t, type Text } from '../i18n/index.ts';
import { asActor } from '../services/access.ts';
import { NO_ACCESS_CONTEXT, type AccessContext, type Actor, type Runtime } from '../services/runtime.ts';
import { authenticateSession, csrfMatches } from '../services/session.ts';
import { authenticate as authenticateToken } from '../services/tokens.ts';
import { problem, requestLang, sendProblem } from './problem.ts';
import { SESSION_COOKIE, readCookie } from './cookies.ts';

/**
 * The one gate every request passes: an onRequest hook that asks each authenticator in turn who is
 * calling, sets `request.actor` and `request.runtime` (the shared runtime as that actor: services
 * decide what it may do), and answers 401 when none knows. A cookie session's state-changing
 * request must carry its CSRF token (X-CSRF-Token); bearer tokens are not sent by browsers on their
 * own, so they need none. Routes reachable by strangers (/healthz, /readyz, /callback/*, the login)
 * say `config: { public: true }`: their actor stays null and their runtime is anonymous.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; null on a public route (and before the hook has run). */
    actor: Actor | null;
    /** The runtime the route hands to its service: the caller's (anonymous on a public route). */
    runtime: Runtime;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials. */
    public?: boolean;
  }
}

/**
 * Who sent the request, or null when this authenticator does not recognise it (the next one is
 * asked). Throwing is a server error, not a refusal.
 */
export type Authenticator = (request: FastifyRequest, runtime: Runtime) => Promise<Actor | null>;

/** `Authorization: Bearer <API token>` (services/tokens.ts). */
export const bearerToken: Authenticator = async (request, runtime) => {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? authenticateToken(runtime, match[1]!) : null;
};

/** The session cookie of the web UI (services/session.ts). */
export const sessionCookie: Authenticator = async (request, runtime) => {
  const id = readCookie(request.headers.cookie, SESSION_COOKIE);
  return id ? authenticateSession(runtime, id) : null;
};

export const DEFAULT_AUTHENTICATORS: readonly Authenticator[] = [bearerToken, sessionCookie];

const TEXT = {
  missing: { zh: '需要登录或 API 令牌', en: 'Sign in, or send an API token' },
  invalid: { zh: 'API 令牌或会话无效、已过期或已被撤销', en: 'The API token or session is invalid, expired or revoked' },
  fix: {
    zh: '网页界面：重新登录；API：在请求头中发送 Authorization: Bearer <令牌>，令牌用 wecom-archive tokens create --name <名称> --role <角色> 创建',
    en: 'Web UI: sign in again; API: send Authorization: Bearer <token>; create a token with wecom-archive tokens create --name <name> --role <role>',
  },
  csrf: { zh: '缺少或错误的 CSRF 令牌', en: 'The CSRF token is missing or wrong' },
  csrfFix: { zh: '在每个修改状态的请求中发送请求头 X-CSRF-Token（值见 GET /api/v1/session 的 csrfToken）', en: 'Send X-CSRF-Token on every state-changing request (csrfToken of GET /api/v1/session)' },
  badPurpose: { zh: 'X-Access-Purpose 不是有效的 URL 编码文本', en: 'X-Access-Purpose is not valid URL-encoded text' },
} satisfies Record<string, Text>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAuth(app: FastifyInstance, runtime: Runtime, authenticators: readonly Authenticator[] = DEFAULT_AUTHENTICATORS): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('runtime', null as unknown as Runtime);
  app.addHook('onRequest', async (request, reply) => {
    request.runtime = asActor(runtime, { kind: 'anonymous' }, originOf(request));
    // An unknown route answers 404 whoever asks; a public route needs nobody.
    if (request.is404 || request.routeOptions.config.public) return;
    for (const authenticator of authenticators) {
      const actor = await authenticator(request, runtime);
      if (!actor) continue;
      if (actor.kind === 'user' && !SAFE_METHODS.has(request.method) && !csrfMatches(actor.session, header(request, 'x-csrf-token'))) {
        return refuse(request, reply, 403, 'csrf_invalid', TEXT.csrf, TEXT.csrfFix);
      }
      const access = accessOf(request, actor);
      if (!access) return refuse(request, reply, 400, 'purpose_invalid', TEXT.badPurpose);
      request.actor = actor;
      request.runtime = asActor(runtime, actor, access);
      return;
    }
    const presented = Boolean(request.headers.authorization) || Boolean(readCookie(request.headers.cookie, SESSION_COOKIE));
    return refuse(request, reply, 401, presented ? 'auth_invalid' : 'auth_required', presented ? TEXT.invalid : TEXT.missing, TEXT.fix,
      { 'www-authenticate': presented ? 'Bearer error="invalid_token"' : 'Bearer' });
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: Text, fix?: Text, headers?: Record<string, string>) {
  const lang = requestLang(request);
  const body = problem(status, code, lang, { detail: t(detail, lang), fix: fix && t(fix, lang), instance: request.url.split('?')[0] });
  return sendProblem(reply, body, headers);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function originOf(request: FastifyRequest): AccessContext {
  return { ip: request.ip ?? null, userAgent: header(request, 'user-agent')?.slice(0, 500) ?? null, purpose: null, conversationPurposes: {} };
}

/** The origin, and the purpose: X-Access-Purpose (URL-encoded), else the session's. Null: a header that does not decode. */
function accessOf(request: FastifyRequest, actor: Actor): AccessContext | null {
  const given = header(request, 'x-access-purpose');
  let purpose: string | null = null;
  if (given !== undefined) {
    try {
      purpose = decodeURIComponent(given).trim().slice(0, 500) || null;
    } catch {
      return null;
    }
  }
  const session = actor.kind === 'user' ? actor.session : undefined;
  return { ...originOf(request), purpose: purpose ?? session?.purpose ?? null, conversationPurposes: session?.conversationPurposes ?? {} };
}
