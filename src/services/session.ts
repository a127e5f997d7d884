import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { usersRepository, type SessionRow, type UserRow } from '../store/users.repository.ts';
import { UserError } from '../util/errors.ts';
import { recordAudit } from './audit.ts';
import { grantOfRow } from './grants.ts';
import { hashPassword } from './users.ts';
import type { Actor, Runtime, SessionState } from './runtime.ts';
import type { SessionInfo } from './types/auth.ts';

/**
 * Sessions of the web UI: login (throttled per name and per address, with a lockout), the session
 * behind a cookie (idle and absolute expiry), the CSRF token, the stated purpose, logout. A session
 * id is 32 random bytes; only its SHA-256 is stored.
 */

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 12 * 3_600_000;
/** A session's last use is written at most this often. */
const TOUCH_MS = 60_000;
/** Failures within the window that lock a name, or an address, for LOCK_MS. */
export const THROTTLE = { window: 15 * 60_000, perName: 5, perIp: 20, lockMs: 15 * 60_000 } as const;
const PURPOSE_MAX = 500;

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

export interface LoginResult {
  /** The cookie's value: shown once, stored hashed. */
  sessionId: string;
  info: SessionInfo;
}

/** A hash verified when the name is unknown, so the answer takes as long either way. */
let decoy: Promise<string> | undefined;

export async function login(rt: Runtime, input: { name: string; password: string; now?: number }): Promise<LoginResult> {
  const now = input.now ?? Date.now();
  const store = await rt.store();
  const db = store.db;
  const name = input.name.trim();
  const keys = [`name:${name}`, ...(rt.access.ip ? [`ip:${rt.access.ip}`] : [])];
  const audit = (result: string) => recordAudit(rt, { action: 'login', actor: `user:${name}`, target: name, purpose: null, result, now });
  for (const key of keys) {
    const row = await usersRepository.throttle.get(db, key);
    if (row?.locked_until && Number(row.locked_until) > now) {
      await audit('locked');
      throw new LoginLockedError(Math.ceil((Number(row.locked_until) - now) / 60_000));
    }
  }
  const user = await usersRepository.users.byName(db, name);
  const good = user ? await verify(user.password_hash, input.password).catch(() => false) : await verify(await (decoy ??= hashPassword(randomBytes(16).toString('hex'))), input.password).then(() => false);
  if (!user || !good || user.disabled_at !== null) {
    for (const key of keys) await fail(rt, key, key.startsWith('ip:') ? THROTTLE.perIp : THROTTLE.perName, now);
    await audit(user?.disabled_at != null && good ? 'disabled' : 'failed');
    throw new LoginFailedError();
  }
  await usersRepository.throttle.clear(db, `name:${name}`);
  const sessionId = randomBytes(32).toString('base64url');
  const row: SessionRow = {
    id_hash: hashSessionId(sessionId), user_id: user.id, csrf_token: randomBytes(32).toString('base64url'), purpose: null,
    conversation_purposes: '{}', created_at: now, last_seen_at: now, expires_at: now + SESSION_MAX_MS, ip: rt.access.ip, user_agent: rt.access.userAgent,
  };
  await usersRepository.sessions.prune(db, now, now - SESSION_IDLE_MS);
  await usersRepository.sessions.insert(db, row);
  await audit('ok');
  return { sessionId, info: infoOf(user, row) };
}

async function fail(rt: Runtime, key: string, limit: number, now: number): Promise<void> {
  const { db } = await rt.store();
  const row = await usersRepository.throttle.get(db, key);
  const fresh = !row || Number(row.first_failure_at) <= now - THROTTLE.window;
  const failures = fresh ? 1 : row.failures + 1;
  await usersRepository.throttle.put(db, {
    key, failures, first_failure_at: fresh ? now : Number(row.first_failure_at), locked_until: failures >= limit ? now + THROTTLE.lockMs : null,
  });
}

/** The user behind a session cookie, or null (unknown, expired, idle too long, or the user disabled). */
export async function authenticateSession(rt: Runtime, sessionId: string, now = Date.now()): Promise<Actor | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
  const { db } = await rt.store();
  const idHash = hashSessionId(sessionId);
  const session = await usersRepository.sessions.byHash(db, idHash);
  if (!session) return null;
  if (Number(session.expires_at) <= now || Number(session.last_seen_at) <= now - SESSION_IDLE_MS) {
    await usersRepository.sessions.remove(db, idHash);
    return null;
  }
  const user = await usersRepository.users.byId(db, session.user_id);
  if (!user || user.disabled_at !== null) return null;
  if (Number(session.last_seen_at) <= now - TOUCH_MS) await usersRepository.sessions.update(db, idHash, { last_seen_at: now });
  return { kind: 'user', userId: user.id, name: user.name, ...grantOfRow(user), session: stateOf(session) };
}

/** `GET /api/v1/session`. */
export async function sessionInfo(rt: Runtime): Promise<SessionInfo> {
  const actor = sessionActor(rt);
  const { role, corps, departments } = actor;
  return { user: { name: actor.name, role, corps, departments }, csrfToken: actor.session.csrfToken, purpose: purposeOf(actor.session.purpose) };
}

export async function logout(rt: Runtime): Promise<void> {
  const actor = sessionActor(rt);
  const { db } = await rt.store();
  await usersRepository.sessions.remove(db, actor.session.hash);
  await recordAudit(rt, { action: 'logout', target: actor.name, purpose: null, result: 'ok' });
}

/** `POST /api/v1/session/purpose`: for the whole session, or for one conversation. */
export async function statePurpose(rt: Runtime, input: { text: string; conversationId?: string }): Promise<SessionInfo> {
  const actor = sessionActor(rt);
  const text = input.text.trim();
  if (!text || text.length > PURPOSE_MAX) throw new BadPurposeError();
  const { db } = await rt.store();
  const { session } = actor;
  const updated: SessionState = input.conversationId === undefined
    ? { ...session, purpose: text }
    : { ...session, conversationPurposes: { ...session.conversationPurposes, [input.conversationId]: text } };
  await usersRepository.sessions.update(db, session.hash, { purpose: updated.purpose, conversation_purposes: JSON.stringify(updated.conversationPurposes) });
  await recordAudit(rt, { action: 'purpose', target: input.conversationId ?? null, purpose: text, result: 'ok' });
  const info = await sessionInfo({ ...rt, actor: { ...actor, session: updated } });
  return info;
}

/** Whether a state-changing request carries the session's CSRF token. */
export function csrfMatches(session: SessionState, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sessionActor(rt: Runtime): Extract<Actor, { kind: 'user' }> {
  if (rt.actor.kind !== 'user') throw new NoSessionError();
  return rt.actor;
}

function stateOf(row: SessionRow): SessionState {
  return { hash: row.id_hash, csrfToken: row.csrf_token, purpose: row.purpose, conversationPurposes: JSON.parse(row.conversation_purposes) as Record<string, string> };
}

function infoOf(user: UserRow, session: SessionRow): SessionInfo {
  const grant = grantOfRow(user);
  return { user: { name: user.name, ...grant }, csrfToken: session.csrf_token, purpose: purposeOf(session.purpose) };
}

function purposeOf(text: string | null): SessionInfo['purpose'] {
  return text === null ? null : { text, scope: 'session' };
}

export class LoginFailedError extends UserError {
  constructor() {
    super('auth_failed', {
      what: { zh: '用户名或密码错误', en: 'Wrong name or password' },
      fix: { zh: '多次失败后该用户名和地址会被暂时锁定；忘记密码请管理员运行 wecom-archive users passwd <用户名> --password-stdin', en: 'Repeated failures lock the name and the address for a while; an admin can reset a password with wecom-archive users passwd <name> --password-stdin' },
    });
  }
}

export class LoginLockedError extends UserError {
  constructor(minutes: number) {
    super('auth_locked', {
      what: { zh: '登录失败次数过多，已暂时锁定', en: 'Too many failed logins: locked for now' },
      fix: { zh: '约 {minutes} 分钟后再试', en: 'Try again in about {minutes} minutes' },
      vars: { minutes },
    });
  }
}

export class NoSessionError extends UserError {
  constructor() {
    super('auth_no_session', {
      what: { zh: '这个请求不属于登录会话', en: 'This request is not part of a signed-in session' },
      fix: { zh: '用 POST /api/v1/session 登录；API 令牌没有会话', en: 'Sign in with POST /api/v1/session; API tokens have no session' },
    });
  }
}

export class BadPurposeError extends UserError {
  constructor() {
    super('purpose_invalid', {
      what: { zh: '目的须为 1 到 500 个字符', en: 'A purpose is 1 to 500 characters' },
      fix: { zh: '写明查看原因或案件编号，如：合规检查 2026-118', en: 'Say why, or give a case reference, e.g. compliance review 2026-118' },
    });
  }
}
