import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { listCorps } from '../../services/corps.ts';
import { API, type RouteDeps } from './deps.ts';
import { corpParam, responses } from './schemas.ts';

/** `corps`: the configured corps, their credentials, last sync and archive position. */
export async function corpsRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(`${API}/corps`, {
    schema: { summary: 'The configured corps (like `corps --json`)', tags: ['corps'], querystring: z.object({ corp: corpParam }), response: responses('CorpsReport') },
  }, async (request) => listCorps(request.runtime, { corpId: request.query.corp }));
}
