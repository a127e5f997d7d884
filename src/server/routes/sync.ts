import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { syncState } from '../../services/sync-state.ts';
import { API, type RouteDeps } from './deps.ts';
import { corpParam, responses } from './schemas.ts';

/** Where each corp's directory/customer/group sync stands. */
export async function syncRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(`${API}/sync/state`, {
    schema: {
      summary: 'The latest sync runs per corp and the streams they will resume', tags: ['sync'],
      querystring: z.object({ corp: corpParam, limit: z.coerce.number().int().min(1).max(1000).default(20).describe('Runs per corp (default 20)') }),
      response: responses('SyncStateReport'),
    },
  }, async (request) => syncState(request.runtime, { corpId: request.query.corp, limit: request.query.limit }));
}
