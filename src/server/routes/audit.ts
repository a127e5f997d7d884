import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { listAudit, verifyAudit } from '../../services/audit.ts';
import { API, type RouteDeps } from './deps.ts';
import { limitParam, responses, timeParam } from './schemas.ts';

/** The audit log, for admins: rows newest first with filters, and the hash chain verified. */
export async function auditRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const text = (what: string) => z.string().min(1).max(200).optional().describe(what);
  api.get(`${API}/audit`, {
    schema: {
      summary: 'The audit log, newest first (like `audit --json`); admins only', tags: ['audit'],
      querystring: z.object({
        actor: text('user:<name>, token:<name> or operator'), action: text('login, conversation.view, search, media.open, export, user.*, token.*…'),
        result: text('ok, denied, failed, locked, purpose_required…'), target: text('What was acted on'),
        from: timeParam('From'), to: timeParam('Until'), before: z.coerce.number().int().min(1).optional().describe('Rows older than this id'), limit: limitParam(100),
      }),
      response: responses('AuditResult'),
    },
  }, async (request) => listAudit(request.runtime, request.query));

  api.get(`${API}/audit/verify`, {
    schema: { summary: 'The audit log\'s hash chain, verified now (like `audit verify --json`); admins only', tags: ['audit'], response: responses('AuditVerifyReport') },
  }, async (request) => verifyAudit(request.runtime));
}
