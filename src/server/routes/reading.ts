import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { listConversations, readConversation, searchMessages } from '../../services/reading.ts';
import { requestLang } from '../problem.ts';
import { API, type RouteDeps } from './deps.ts';
import { corpParam, idParams, limitParam, responses, timeParam } from './schemas.ts';

/** Reading the archive: conversations, one conversation's messages paged by cursor, search. */
export async function readingRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const person = (who: string) => z.string().min(1).max(200).optional().describe(`${who}: id or name`);
  const msgid = (what: string) => z.string().min(1).max(200).optional().describe(what);

  api.get(`${API}/conversations`, {
    schema: {
      summary: 'Conversations, newest first (like `conversations --json`)', tags: ['archive'],
      querystring: z.object({
        corp: corpParam, employee: person('An employee'), customer: person('A customer'),
        kind: z.string().max(20).optional().describe('single, group or system'),
        search: z.string().min(1).max(200).optional().describe('In a group\'s name, the id, or the name of someone in a 1:1 chat'),
        limit: limitParam(50),
      }),
      response: responses('ConversationsResult'),
    },
  }, async (request) => listConversations(request.runtime, { ...request.query, lang: requestLang(request) }));

  api.get(`${API}/conversations/:id/messages`, {
    schema: {
      summary: 'A conversation\'s messages in time order, paged by cursor in both directions (like `conversation <id> --json`)',
      description: 'Without a cursor: the latest `limit` messages (or the first from `from`). With `before`/`after` (a msgid): the page just before/after it; '
        + 'with `around`: a page with that message in the middle. The result\'s `cursors.before`/`cursors.after` are the msgids for the pages beside (null at an end).',
      tags: ['archive'],
      params: idParams,
      querystring: z.object({
        corp: corpParam, from: timeParam('From'), to: timeParam('Until (a date includes its whole day)'), limit: limitParam(100),
        before: msgid('The page just before this msgid'), after: msgid('The page just after this msgid'), around: msgid('A page with this msgid in the middle'),
      }),
      response: responses('ConversationResult'),
    },
  }, async (request) => readConversation(request.runtime, { id: request.params.id, ...request.query, lang: requestLang(request) }));

  api.get(`${API}/search`, {
    schema: {
      summary: 'Search the archive\'s messages (like `search <text> --json`)', tags: ['archive'],
      querystring: z.object({
        q: z.string().min(1).max(500).describe('The text to find'),
        corp: corpParam, from: timeParam('From'), to: timeParam('Until'), employee: person('An employee'), customer: person('A customer'),
        conversation: z.string().min(1).max(300).optional().describe('Only in this conversation'),
        types: z.string().min(1).max(200).optional().describe('Message types, comma-separated: text,file'),
        limit: limitParam(50),
      }),
      response: responses('SearchResult'),
    },
  }, async (request) => {
    const { q, ...filters } = request.query;
    return searchMessages(request.runtime, { text: q, ...filters, lang: requestLang(request) });
  });
}
