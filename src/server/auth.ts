import type { FastifyInstance, FastifyRequest } from 'fastify';
import { t, type Text } from '../i18n/index.ts';
import type { Actor, Runtime } from '../services/runtime.ts';
import { authenticate as authenticateToken } from '../services/tokens.ts';
import { problem, requestLang, sendProblem } from './problem.ts';

/**
 * The one gate every request passes: an onRequest hook that asks each authenticator in turn who is
 * calling, sets `request.actor`, and answers 401 when none knows. Routes that must be reachable by
 * strangers (/healthz, /readyz, /callback/*: WeCom signs its own requests) say so with
 * `config: { public: true }`; their actor stays null. The next issue's sessions and users are one
 * more authenticator in the list; what an actor may do is decided in the services.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; null on a public route (and before the hook has run). */
    actor: Actor | null;
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

export const DEFAULT_AUTHENTICATORS: readonly Authenticator[] = [bearerToken];

const TEXT = {
  missing: { zh: '需要 API 令牌', en: 'An API token is required' },
  invalid: { zh: 'API 令牌无效或已被撤销', en: 'The API token is invalid or revoked' },
  fix: {
    zh: '在请求头中发送 Authorization: Bearer <令牌>；令牌用 wecom-archive tokens create --name <名称> 创建',
    en: 'Send Authorization: Bearer <token>; create a token with wecom-archive tokens create --name <name>',
  },
} satisfies Record<string, Text>;

export function registerAuth(app: FastifyInstance, runtime: Runtime, authenticators: readonly Authenticator[] = DEFAULT_AUTHENTICATORS): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request, reply) => {
    // An unknown route answers 404 whoever asks; a public route needs nobody.
    if (request.is404 || request.routeOptions.config.public) return;
    for (const authenticator of authenticators) {
      const actor = await authenticator(request, runtime);
      if (actor) {
        request.actor = actor;
        return;
      }
    }
    const lang = requestLang(request);
    const presented = Boolean(request.headers.authorization);
    const body = problem(401, presented ? 'auth_invalid' : 'auth_required', lang, {
      detail: t(presented ? TEXT.invalid : TEXT.missing, lang), fix: t(TEXT.fix, lang), instance: request.url.split('?')[0],
    });
    return sendProblem(reply, body, { 'www-authenticate': presented ? 'Bearer error="invalid_token"' : 'Bearer' });
  });
}
