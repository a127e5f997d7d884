import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { checkReadiness } from '../../services/health.ts';
import { problem, problemSchema, requestLang, sendProblem } from '../problem.ts';
import type { RouteDeps } from './deps.ts';
import { serviceResult } from './schemas.ts';

/**
 * Probes for the orchestrator, public: /healthz answers while the process runs; /readyz only once
 * the store is reachable and migrated (503 problem+json otherwise, saying why).
 */
export async function healthRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/healthz', {
    config: { public: true },
    schema: { summary: 'Liveness', tags: ['health'], security: [], response: { 200: z.object({ ok: z.literal(true) }) } },
  }, async () => ({ ok: true as const }));

  api.get('/readyz', {
    config: { public: true },
    schema: {
      summary: 'Readiness: the store is reachable and migrated', tags: ['health'], security: [],
      response: { 200: serviceResult('Readiness'), 503: problemSchema },
    },
  }, async (request, reply) => {
    const readiness = await checkReadiness(deps.runtime);
    if (readiness.ok) return readiness;
    const lang = requestLang(request);
    const detail = readiness.store.error ?? (lang === 'en' ? `Migrations pending: ${readiness.store.pending.join(', ')}` : `尚有未执行的迁移：${readiness.store.pending.join(', ')}`);
    return sendProblem(reply, { ...problem(503, 'not_ready', lang, { detail, instance: '/readyz' }), ...{ store: readiness.store } });
  });
}
