import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PROBLEM_RESPONSES } from '../problem.ts';
import { API, type RouteDeps } from './deps.ts';

/** The OpenAPI 3.1 document of every route, generated from the routes' own schemas. */
export async function docsRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  app.get(`${API}/openapi.json`, {
    schema: { summary: 'This OpenAPI 3.1 document', tags: ['meta'], response: { 200: z.looseObject({ openapi: z.string() }), 401: PROBLEM_RESPONSES[401] } },
  }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())));
}
