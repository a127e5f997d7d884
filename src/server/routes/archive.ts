import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { archiveCoverage, archiveStatuses, verifyArchives } from '../../services/archive.ts';
import { requestLang } from '../problem.ts';
import { API, type RouteDeps } from './deps.ts';
import { corpParam, responses } from './schemas.ts';

/**
 * Where the archive stands, read-only: status per corp, coverage (as the last refresh stored it: the
 * API never calls WeCom for a read), and the hash chain verified over the stored envelopes.
 */
export async function archiveRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(`${API}/archive/status`, {
    schema: { summary: 'Archive status per corp (like `archive status --json`)', tags: ['archive'], querystring: z.object({ corp: corpParam }), response: responses('ArchiveStatusReport') },
  }, async (request) => archiveStatuses(request.runtime, { corpId: request.query.corp, lang: requestLang(request) }));

  api.get(`${API}/archive/coverage`, {
    schema: {
      summary: 'Who is archived and which customers agree, as last refreshed (like `archive coverage --no-refresh --json`)', tags: ['archive'],
      querystring: z.object({ corp: corpParam, all: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('Every refusing customer and unnamed room') }),
      response: responses('ArchiveCoverageReport'),
    },
  }, async (request) => archiveCoverage(request.runtime, { corpId: request.query.corp, refresh: false, all: request.query.all }));

  api.get(`${API}/archive/verify`, {
    schema: {
      summary: 'The hash chain of each corp\'s archive, verified now over the stored envelopes (like `archive verify --json`, without --deep)', tags: ['archive'],
      querystring: z.object({ corp: corpParam }), response: responses('ArchiveVerifyReport'),
    },
  }, async (request) => verifyArchives(request.runtime, { corpId: request.query.corp, lang: requestLang(request) }));
}
