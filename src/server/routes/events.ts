import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { listEvents, replayEvents } from '../../services/events.ts';
import type { Runtime } from '../../services/runtime.ts';

/** `/api/v1/events`: the callback inbox (list, and replay of failed or parked events). */

export const EVENT_STATUSES = ['pending', 'applied', 'failed', 'parked', 'ignored'] as const;

const listQuery = z.object({
  corpId: z.string().min(1).optional(),
  status: z.enum(EVENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  before: z.coerce.number().int().min(1).optional(),
}).strict();

const replayBody = z.union([
  z.object({ ids: z.array(z.number().int().min(1)).min(1).max(1000) }).strict(),
  z.object({ parked: z.literal(true), corpId: z.string().min(1).optional() }).strict(),
]);

export async function eventRoutes(app: FastifyInstance, _deps: { runtime: Runtime }): Promise<void> {
  await app.register(async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    typed.get('/api/v1/events', {
      schema: { summary: 'Callback events (the inbox), newest first', tags: ['events'], querystring: listQuery },
    }, async (request) => listEvents(request.runtime, request.query));
    typed.post('/api/v1/events/replay', {
      schema: { summary: 'Move failed or parked events back to pending', tags: ['events'], body: replayBody },
    }, async (request) => replayEvents(request.runtime, request.body));
  });
}
