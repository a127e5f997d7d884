import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.ts';
import { asActor } from '../../src/services/access.ts';
import { listAudit } from '../../src/services/audit.ts';
import { downloadMedia } from '../../src/services/archive.ts';
import { withMediaAccess } from '../../src/services/content-access.ts';
import { listConversations, readConversation } from '../../src/services/reading.ts';
import { listEmployees, listDepartments } from '../../src/services/directory/index.ts';
import { NO_ACCESS_CONTEXT } from '../../src/services/runtime.ts';
import { createToken } from '../../src/services/tokens.ts';
import type { Role } from '../../src/services/types/auth.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import { filledDeployment, type FilledDeployment } from './fixture.ts';

/**
 * Every /api/v1 route for each role, by API token (a session runs the same services: session.test.ts):
 * what each role may reach, 403 `forbidden` for the rest (the same answer for a missing and an
 * out-of-scope conversation), 428 `purpose_required` for content without a purpose, and the audit
 * rows written. A route added later fails here until its rule is declared in ACCESS.
 */

type Rule = 'everyone' | 'directory' | 'content' | 'operations' | 'admin' | 'session';
const ACCESS: Record<string, Rule> = {
  'GET /api/v1/openapi.json': 'everyone',
  'GET /api/v1/session': 'session', 'POST /api/v1/session': 'session', 'DELETE /api/v1/session': 'session', 'POST /api/v1/session/purpose': 'session',
  'GET /api/v1/corps': 'operations',
  'GET /api/v1/employees': 'directory', 'GET /api/v1/departments': 'directory', 'GET /api/v1/customers': 'directory',
  'GET /api/v1/customers/:id': 'directory', 'GET /api/v1/groups': 'directory', 'GET /api/v1/groups/:id': 'directory',
  'GET /api/v1/conversations': 'content', 'GET /api/v1/conversations/:id/messages': 'content', 'GET /api/v1/search': 'content',
  'GET /api/v1/media/:corpId/:msgid': 'content',
  'GET /api/v1/archive/status': 'operations', 'GET /api/v1/archive/coverage': 'operations', 'GET /api/v1/archive/verify': 'operations',
  'GET /api/v1/sync/state': 'operations', 'GET /api/v1/events': 'operations', 'POST /api/v1/events/replay': 'admin',
  'GET /api/v1/audit': 'admin', 'GET /api/v1/audit/verify': 'admin',
};
const MAY: Record<Role, readonly Rule[]> = {
  admin: ['everyone', 'directory', 'content', 'operations', 'admin'],
  auditor: ['everyone', 'directory', 'content', 'operations'],
  manager: ['everyone', 'directory', 'content'],
  viewer: ['everyone', 'directory'],
};
const PURPOSE = { 'x-access-purpose': encodeURIComponent('合规检查 #42') };

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`roles on every route [${dialect}]`, () => {
    let filled: FilledDeployment;
    let app: FastifyInstance;
    const tokens = {} as Record<Role, string>;
    let department: number;
    let inScope: string[];
    let outOfScope: string[];
    /** A downloaded media file of a conversation in the manager's scope: `/api/v1/media/<corp>/<msgid>`. */
    let mediaUrl: string;

    beforeAll(async () => {
      filled = await filledDeployment(dialect);
      app = await buildServer(filled.runtime);
      const rt = filled.runtime;
      // The manager's department: the first with members whose conversations are not all of them.
      const all = (await listConversations(rt, { limit: 10_000 })).conversations.map((c) => c.id);
      for (const d of (await listDepartments(rt, {})).departments) {
        if ((await listEmployees(rt, { department: d.id, limit: 1 })).employees.length === 0) continue;
        const manager = asActor(rt, { kind: 'token', tokenId: 'x', name: 'probe', role: 'manager', corps: [], departments: [d.id] }, NO_ACCESS_CONTEXT);
        const seen = (await listConversations(manager, { limit: 10_000 })).conversations.map((c) => c.id);
        if (seen.length > 0 && seen.length < all.length) {
          department = d.id;
          inScope = seen;
          outOfScope = all.filter((id) => !seen.includes(id));
          break;
        }
      }
      expect(department).toBeDefined();
      await downloadMedia(rt, {});
      const { db } = await rt.store();
      const media = await db.selectFrom('message_media as mm')
        .innerJoin('messages as m', (j) => j.onRef('m.corp_id', '=', 'mm.corp_id').onRef('m.msgid', '=', 'mm.msgid'))
        .select('mm.msgid').where('mm.status', '=', 'downloaded').where('mm.item_path', '=', '')
        .where('m.conversation_id', 'in', inScope).limit(1).executeTakeFirstOrThrow();
      mediaUrl = `/api/v1/media/${filled.sandbox.corpId}/${encodeURIComponent(media.msgid)}`;
      tokens.admin = (await createToken(rt, { name: 'admin', role: 'admin' })).token;
      tokens.auditor = (await createToken(rt, { name: 'auditor', role: 'auditor', corps: [filled.sandbox.corpId] })).token;
      tokens.manager = (await createToken(rt, { name: 'manager', role: 'manager', departments: [department] })).token;
      tokens.viewer = (await createToken(rt, { name: 'viewer', role: 'viewer' })).token;
    }, 240_000);
    afterAll(async () => {
      await app?.close();
      await filled?.dispose();
    });

    const call = (role: Role, method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
      app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${tokens[role]}`, ...PURPOSE, ...headers }, payload: payload as object });
    /** A real id for a path parameter, as the role itself lists them (a manager's own customers). */
    const idFor = async (role: Role, url: string): Promise<string> => {
      const as = MAY[role].includes('content') ? role : 'admin';
      if (url.includes('/conversations/')) return role === 'manager' ? inScope[0]! : (await call(as, 'GET', '/api/v1/conversations?limit=1')).json().conversations[0].id;
      if (url.includes('/customers/')) return (await call(role, 'GET', '/api/v1/customers?limit=1')).json().customers[0].externalUserid;
      return (await call(role, 'GET', '/api/v1/groups?limit=1')).json().groups[0].chatId;
    };

    it('declares a rule for every /api/v1 route', () => {
      const routes = app.registeredRoutes.filter((r) => r.url.startsWith('/api/v1/')).map((r) => `${r.method} ${r.url}`);
      expect(routes.filter((route) => !(route in ACCESS))).toEqual([]);
    });

    for (const role of ['admin', 'auditor', 'manager', 'viewer'] as const) {
      it(`a ${role} reaches what the role allows and gets 403 forbidden elsewhere`, async () => {
        for (const route of app.registeredRoutes.filter((r) => r.url.startsWith('/api/v1/'))) {
          const rule = ACCESS[`${route.method} ${route.url}`]!;
          if (rule === 'session') continue;
          const url = route.url.includes(':msgid') ? mediaUrl
            : route.url.includes(':id') ? route.url.replace(':id', encodeURIComponent(await idFor(role, route.url))) : route.url;
          const query = route.url === '/api/v1/search' ? '?q=%E5%90%88' : '';
          const res = await call(role, route.method, `${url}${query}`, {}, route.method === 'POST' ? { parked: true } : undefined);
          const allowed = MAY[role].includes(rule);
          expect(res.statusCode, `${role} ${route.method} ${route.url}: ${res.body.slice(0, 200)}`).toBe(allowed ? 200 : 403);
          if (!allowed) expect(res.json()).toMatchObject({ status: 403, code: 'forbidden' });
        }
      });
    }

    it('content without a purpose is 428 purpose_required, saying how to give one', async () => {
      for (const url of ['/api/v1/search?q=a', `/api/v1/conversations/${encodeURIComponent(inScope[0]!)}/messages`]) {
        const res = await call('auditor', 'GET', url, { 'x-access-purpose': '' });
        expect(res.statusCode).toBe(428);
        expect(res.json()).toMatchObject({ code: 'purpose_required', fix: expect.stringContaining('X-Access-Purpose') });
      }
    });

    it('a manager reads the conversations of their departments only; outside, missing or not, the answer is the same 403', async () => {
      const listed = (await call('manager', 'GET', '/api/v1/conversations?limit=10000')).json().conversations.map((c: { id: string }) => c.id);
      expect(listed.sort()).toEqual([...inScope].sort());
      expect((await call('manager', 'GET', `/api/v1/conversations/${encodeURIComponent(inScope[0]!)}/messages`)).statusCode).toBe(200);
      const outside = await call('manager', 'GET', `/api/v1/conversations/${encodeURIComponent(outOfScope[0]!)}/messages`);
      const missing = await call('manager', 'GET', '/api/v1/conversations/wrNoSuchRoom/messages');
      expect(outside.statusCode).toBe(403);
      expect(missing.statusCode).toBe(403);
      const { instance: _a, ...outsideBody } = outside.json();
      const { instance: _b, ...missingBody } = missing.json();
      expect(outsideBody).toEqual(missingBody);
      const search = (await call('manager', 'GET', '/api/v1/search?q=%E7%9A%84&limit=10000')).json();
      for (const hit of search.hits) expect(inScope).toContain(hit.conversation.id);
    });

    it('a media file opens for a manager in scope only, with a purpose, and is audited as media.open', async () => {
      const rt = filled.runtime;
      const msgidIn = (await readConversation(rt, { id: inScope[0]!, limit: 1 })).messages[0]!.msgid;
      const msgidOut = (await readConversation(rt, { id: outOfScope[0]!, limit: 1 })).messages[0]!.msgid;
      const manager = { kind: 'token' as const, tokenId: 'm', name: 'media-manager', role: 'manager' as const, corps: [], departments: [department] };
      const withPurpose = asActor(rt, manager, { ...NO_ACCESS_CONTEXT, purpose: '调查' });
      const corpId = filled.sandbox.corpId;
      expect(await withMediaAccess(withPurpose, { corpId, msgid: msgidIn }, async () => 'opened')).toBe('opened');
      await expect(withMediaAccess(withPurpose, { corpId, msgid: msgidOut }, async () => 'opened')).rejects.toMatchObject({ code: 'forbidden' });
      await expect(withMediaAccess(withPurpose, { corpId, msgid: 'no-such-msgid' }, async () => 'opened')).rejects.toMatchObject({ code: 'forbidden' });
      await expect(withMediaAccess(asActor(rt, manager, NO_ACCESS_CONTEXT), { corpId, msgid: msgidIn }, async () => 'opened')).rejects.toMatchObject({ code: 'purpose_required' });
      const rows = (await listAudit(rt, { actor: 'token:media-manager' })).rows.map((r) => `${r.action} ${r.result}`);
      expect(rows).toEqual(['media.open purpose_required', 'media.open denied', 'media.open denied', 'media.open ok']);
    });

    it('an auditor limited to a corp gets 403 for another', async () => {
      expect((await call('auditor', 'GET', '/api/v1/employees?corp=wwOtherCorp')).statusCode).toBe(403);
    });

    it('writes one audit row per view, search and refusal, with who, purpose and result; admins read them', async () => {
      const rows = (await call('admin', 'GET', '/api/v1/audit?actor=token:manager&limit=1000')).json();
      expect(rows).toMatchObject({ ok: true, truncated: false });
      const actions = rows.rows.map((r: { action: string; result: string }) => `${r.action} ${r.result}`);
      expect(actions).toContain('conversation.view ok');
      expect(actions).toContain('conversation.view denied');
      expect(actions).toContain('search ok');
      expect(rows.rows[0]).toMatchObject({ actor: 'token:manager', ip: '127.0.0.1', purpose: '合规检查 #42', id: expect.any(Number), at: expect.any(Number) });
      const noPurpose = (await call('admin', 'GET', '/api/v1/audit?result=purpose_required')).json();
      expect(noPurpose.rows.length).toBeGreaterThanOrEqual(2);
      expect((await call('admin', 'GET', '/api/v1/audit/verify')).json()).toMatchObject({ ok: true, broken: null });
    });
  });
}
