import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.ts';
import { listConversations, readConversation } from '../../src/services/reading.ts';
import { authenticateSession, SESSION_IDLE_MS, SESSION_MAX_MS, THROTTLE } from '../../src/services/session.ts';
import { addUser, disableUser, listUsers, requireAdminUser, setRole } from '../../src/services/users.ts';
import { listAudit, verifyAudit } from '../../src/services/audit.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import { filledDeployment, type FilledDeployment } from './fixture.ts';

/**
 * The web UI's session as the UI uses it (the contract in the brief): sign in, the cookie's flags,
 * the CSRF token on every state change, stating a purpose, content, expiry, lockout, logout; users
 * stored as argon2id; serve's "no admin" refusal; the audit chain breaking when a row is edited.
 */

const PASSWORD = 'correct horse battery';

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`sessions and users [${dialect}]`, () => {
    let filled: FilledDeployment;
    let app: FastifyInstance;
    let conversation: string;

    beforeAll(async () => {
      filled = await filledDeployment(dialect);
      const rt = filled.runtime;
      await expect(requireAdminUser(rt)).rejects.toMatchObject({ code: 'auth_no_admin' });
      await addUser(rt, { name: 'admin', role: 'admin', password: PASSWORD });
      await requireAdminUser(rt);
      await addUser(rt, { name: 'alice', role: 'auditor', password: PASSWORD });
      app = await buildServer(filled.runtime, { trustProxy: true });
      conversation = (await listConversations(rt, { limit: 1 })).conversations[0]!.id;
    }, 240_000);
    afterAll(async () => {
      await app?.close();
      await filled?.dispose();
    });

    const login = (name: string, password: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url: '/api/v1/session', payload: { name, password }, headers });
    const cookieOf = (res: LightMyRequestResponse) => String(res.headers['set-cookie']).split(';')[0]!;

    it('stores argon2id hashes only, and checks roles and scopes', async () => {
      const store = await filled.runtime.store();
      const rows = await store.db.selectFrom('users').select(['name', 'password_hash']).execute();
      for (const row of rows) expect(row.password_hash).toMatch(/^\$argon2id\$/);
      await expect(addUser(filled.runtime, { name: 'bob', role: 'manager', password: PASSWORD })).rejects.toMatchObject({ code: 'auth_bad_scope' });
      await expect(addUser(filled.runtime, { name: 'bob', role: 'boss', password: PASSWORD })).rejects.toMatchObject({ code: 'auth_bad_role' });
      await expect(addUser(filled.runtime, { name: 'bob', role: 'viewer', password: 'short' })).rejects.toMatchObject({ code: 'user_bad_password' });
      expect((await listUsers(filled.runtime)).users.map((u) => u.name)).toEqual(['admin', 'alice']);
    });

    it('signs in with an HttpOnly SameSite=Strict cookie (Secure over HTTPS), then needs the CSRF token and a purpose', async () => {
      const res = await login('alice', PASSWORD, { 'user-agent': 'test-browser' });
      expect(res.statusCode).toBe(200);
      const info = res.json();
      expect(info).toEqual({ user: { name: 'alice', role: 'auditor', corps: [], departments: [] }, csrfToken: expect.any(String), purpose: null });
      expect(res.headers['set-cookie']).toMatch(/^wa_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
      const secure = await login('alice', PASSWORD, { 'x-forwarded-proto': 'https' });
      expect(secure.headers['set-cookie']).toMatch(/; Secure$/);
      const cookie = cookieOf(res);
      const get = await app.inject({ url: '/api/v1/session', headers: { cookie } });
      expect(get.json()).toEqual(info);

      const messages = `/api/v1/conversations/${encodeURIComponent(conversation)}/messages`;
      expect((await app.inject({ url: messages, headers: { cookie } })).json()).toMatchObject({ status: 428, code: 'purpose_required' });
      const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/session/purpose', headers: { cookie }, payload: { text: '投诉核查 2026-7' } });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().code).toBe('csrf_invalid');
      const stated = await app.inject({ method: 'POST', url: '/api/v1/session/purpose', headers: { cookie, 'x-csrf-token': info.csrfToken }, payload: { text: '投诉核查 2026-7' } });
      expect(stated.statusCode).toBe(200);
      expect(stated.json().purpose).toEqual({ text: '投诉核查 2026-7', scope: 'session' });
      expect((await app.inject({ url: messages, headers: { cookie } })).statusCode).toBe(200);
      const audit = (await app.inject({ url: '/api/v1/audit?action=conversation.view&limit=1', headers: { cookie } }));
      expect(audit.statusCode).toBe(403);

      expect((await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })).statusCode).toBe(403);
      const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie, 'x-csrf-token': info.csrfToken } });
      expect(out.statusCode).toBe(204);
      expect(out.headers['set-cookie']).toMatch(/Max-Age=0/);
      expect((await app.inject({ url: '/api/v1/session', headers: { cookie } })).statusCode).toBe(401);
    });

    it('a purpose may be stated for one conversation only', async () => {
      const res = await login('alice', PASSWORD);
      const cookie = cookieOf(res);
      const csrf = res.json().csrfToken;
      await app.inject({ method: 'POST', url: '/api/v1/session/purpose', headers: { cookie, 'x-csrf-token': csrf }, payload: { text: '单个会话', conversationId: conversation } });
      expect((await app.inject({ url: `/api/v1/conversations/${encodeURIComponent(conversation)}/messages`, headers: { cookie } })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/search?q=a', headers: { cookie } })).statusCode).toBe(428);
    });

    it('expires a session when idle and at its absolute end; a new role ends every session', async () => {
      const res = await login('alice', PASSWORD);
      const id = cookieOf(res).split('=')[1]!;
      const now = Date.now();
      expect(await authenticateSession(filled.runtime, id, now + 60_000)).toMatchObject({ kind: 'user', name: 'alice' });
      expect(await authenticateSession(filled.runtime, id, now + 60_000 + SESSION_IDLE_MS + 1)).toBeNull();
      const again = cookieOf(await login('alice', PASSWORD)).split('=')[1]!;
      expect(await authenticateSession(filled.runtime, again, now + SESSION_MAX_MS + 1)).toBeNull();
      const third = cookieOf(await login('alice', PASSWORD)).split('=')[1]!;
      await setRole(filled.runtime, { name: 'alice', role: 'viewer' });
      expect(await authenticateSession(filled.runtime, third)).toBeNull();
      await setRole(filled.runtime, { name: 'alice', role: 'auditor' });
    });

    it('locks a name after repeated failures (429), the same answer for an unknown name; a disabled user cannot sign in', async () => {
      const unknown = await login('nobody', 'wrong password');
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json().code).toBe('auth_failed');
      for (let i = 0; i < THROTTLE.perName; i += 1) expect((await login('admin', 'wrong password', { 'x-forwarded-for': `10.0.0.${i}` })).statusCode).toBe(401);
      const locked = await login('admin', PASSWORD, { 'x-forwarded-for': '10.0.1.1' });
      expect(locked.statusCode).toBe(429);
      expect(locked.json().code).toBe('auth_locked');
      await disableUser(filled.runtime, { name: 'alice' });
      expect((await login('alice', PASSWORD)).statusCode).toBe(401);
      const store = await filled.runtime.store();
      const logins = await store.db.selectFrom('audit_log').select(['actor', 'result']).where('action', '=', 'login').execute();
      expect(logins.map((r) => r.result)).toEqual(expect.arrayContaining(['ok', 'failed', 'locked', 'disabled']));
    });

    it('locks an address after repeated failures, whatever names it tries', async () => {
      for (let i = 0; i < THROTTLE.perIp; i += 1) await login(`guess${i}`, 'wrong password', { 'x-forwarded-for': '10.9.9.9' });
      expect((await login('someone-else', 'wrong password', { 'x-forwarded-for': '10.9.9.9' })).statusCode).toBe(429);
      expect((await login('someone-else', 'wrong password', { 'x-forwarded-for': '10.9.9.10' })).statusCode).toBe(401);
    });

    it('the operator (the CLI) reads without a purpose, and is audited as operator', async () => {
      await readConversation(filled.runtime, { id: conversation, limit: 1 });
      const rows = await listAudit(filled.runtime, { actor: 'operator', action: 'conversation.view' });
      expect(rows.rows[0]).toMatchObject({ actor: 'operator', target: conversation, purpose: null, result: 'ok', ip: null });
    });

    it('the audit log verifies, and a row changed afterwards breaks the chain there', async () => {
      expect(await verifyAudit(filled.runtime)).toMatchObject({ ok: true, broken: null });
      const store = await filled.runtime.store();
      const rows = (await verifyAudit(filled.runtime)).rows;
      expect(rows).toBeGreaterThan(5);
      await sql`update audit_log set purpose = ${'changed'} where id = ${3}`.execute(store.db);
      expect(await verifyAudit(filled.runtime)).toMatchObject({ ok: false, broken: { id: 3, reason: 'hash' } });
    });
  });
}
