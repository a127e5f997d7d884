import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { openMediaFile } from '../../services/media-files.ts';
import { PROBLEM_RESPONSES } from '../problem.ts';
import { API, type RouteDeps } from './deps.ts';

/**
 * A message's media file, as stored: `GET /api/v1/media/<corp>/<msgid>?path=item[2]` (path: a nested
 * item's; none for the message's own file). Sent as a download that can never run as a page here
 * (attachment, nosniff, a sandboxing CSP); the web UI fetches it and shows it from a blob: URL.
 */
export async function mediaRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(`${API}/media/:corpId/:msgid`, {
    schema: {
      summary: 'A message\'s stored media file (image, voice, video, file…)', tags: ['archive'],
      params: z.object({ corpId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), msgid: z.string().min(1).max(200) }),
      querystring: z.object({
        path: z.string().max(100).regex(/^(item\[\d+\](\.item\[\d+\])*)?$/).optional().describe('A nested item\'s path (item[2], item[1].item[0]); none for the message\'s own file'),
      }),
      response: { 200: z.any().describe('The file\'s bytes'), ...PROBLEM_RESPONSES },
    },
  }, async (request, reply) => {
    const file = await openMediaFile(request.runtime, { corpId: request.params.corpId, msgid: request.params.msgid, path: request.query.path ?? '' });
    return reply
      .type(file.contentType)
      .header('Content-Length', String(file.size))
      .header('Content-Disposition', `attachment; filename="${asciiName(file.filename)}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Cache-Control', 'private, no-store')
      .send(file.stream);
  });
}

/** The plain-ASCII fallback name for old clients: anything else becomes _. */
function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
