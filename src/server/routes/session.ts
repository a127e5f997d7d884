import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { login, logout, sessionInfo, statePurpose } from '../../services/session.ts';
import { sessionCookieHeader } from '../cookies.ts';
import { PROBLEM_RESPONSES } from '../problem.ts';
import type { SessionInfo } from '../../services/types/auth.ts';
import { API, type RouteDeps } from './deps.ts';

/**
 * The web UI's session: sign in (sets the HttpOnly, SameSite=Strict cookie), who is signed in (with
 * the CSRF token to send back as X-CSRF-Token), state a purpose, sign out. Signing in is public;
 * the rest needs the session (and, for POST/DELETE, its CSRF token).
 */
export async function sessionRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // Checked for its two main fields; every other passes through (typed as the service's SessionInfo).
  const info = z.looseObject({ user: z.looseObject({ name: z.string() }), csrfToken: z.string() }).describe('SessionInfo') as unknown as z.ZodType<SessionInfo>;
  const problems = { 401: PROBLEM_RESPONSES[401], 400: PROBLEM_RESPONSES[400], 403: PROBLEM_RESPONSES[403], 429: PROBLEM_RESPONSES[429] };

  api.get(`${API}/session`, {
    schema: { summary: 'Who is signed in, the CSRF token and the purpose stated', tags: ['session'], response: { 200: info, ...problems } },
  }, async (request) => sessionInfo(request.runtime));

  api.post(`${API}/session`, {
    config: { public: true },
    schema: {
      summary: 'Sign in: sets the session cookie', tags: ['session'], security: [],
      body: z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
      response: { 200: info, ...problems },
    },
  }, async (request, reply) => {
    const { sessionId, info: result } = await login(request.runtime, request.body);
    reply.header('set-cookie', sessionCookieHeader(request, sessionId)).header('cache-control', 'no-store');
    return result;
  });

  api.delete(`${API}/session`, {
    schema: { summary: 'Sign out', tags: ['session'], response: { 204: z.null().describe('Signed out'), ...problems } },
  }, async (request, reply) => {
    await logout(request.runtime);
    return reply.header('set-cookie', sessionCookieHeader(request, null)).code(204).send(null);
  });

  api.post(`${API}/session/purpose`, {
    schema: {
      summary: 'State the purpose of reading message content, for the session or one conversation', tags: ['session'],
      body: z.object({ text: z.string().min(1).max(500), conversationId: z.string().min(1).max(300).optional() }),
      response: { 200: info, ...problems },
    },
  }, async (request) => statePurpose(request.runtime, request.body));
}
