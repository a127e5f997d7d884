import type { FastifyInstance, FastifyReply } from 'fastify';
import { CALLBACK_MAX_BYTES, receiveCallback, type CallbackReply } from '../../services/callbacks.ts';
import type { Runtime } from '../../services/runtime.ts';

/**
 * `GET|POST /callback/:corpId/:kind`: WeCom's callback URLs (issue 10 item 2). Public (WeCom signs
 * its requests; there is no bearer token). The body is taken raw, whatever its content type, and the
 * service decides (415 for a type WeCom never sends); every refusal, including Fastify's own (body
 * too large, bad content length), is answered with its status and an empty body, so nothing tells
 * a forger which check failed.
 */

export interface CallbackRouteDeps {
  runtime: Runtime;
}

function send(reply: FastifyReply, answer: CallbackReply): FastifyReply {
  return reply.code(answer.status).header('content-type', answer.contentType).header('cache-control', 'no-store').send(answer.body);
}

/** Repeated parameters arrive as arrays: only single strings are parameters WeCom sends. */
function flatQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) if (typeof value === 'string') out[key] = value;
  return out;
}

export async function callbackRoutes(app: FastifyInstance, deps: CallbackRouteDeps): Promise<void> {
  // Its own scope: the raw parsers and the quiet error handler must not leak into the API's routes.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: CALLBACK_MAX_BYTES }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: { statusCode?: number }, request, reply) => {
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      // Logged with its reason, never with the body (it may be anything an attacker sent).
      request.log.warn({ status, reason: (err as { code?: string }).code ?? 'http' }, 'callback refused');
      return reply.code(status).header('content-type', 'text/plain; charset=utf-8').send('');
    });

    scope.route({
      method: ['GET', 'POST'],
      url: '/callback/:corpId/:kind',
      bodyLimit: CALLBACK_MAX_BYTES,
      config: { public: true },
      schema: { summary: "WeCom's callback URL for one corp and kind (app, contacts, customer, archive): GET verifies the URL, POST delivers an event", tags: ['callbacks'] },
      handler: async (request, reply) => {
        const { corpId, kind } = request.params as { corpId: string; kind: string };
        const answer = await receiveCallback(deps.runtime, {
          corpId, kind, method: request.method === 'GET' ? 'GET' : 'POST', query: flatQuery(request.query),
          body: typeof request.body === 'string' ? request.body : '', contentType: request.headers['content-type'] ?? '',
        });
        if (answer.reason) request.log.warn({ corpId, kind, status: answer.status, reason: answer.reason }, 'callback refused');
        return send(reply, answer);
      },
    });
  });
}
