import type { AuditAction } from '../audit/actions.ts';
import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Store } from '../store/database.ts';
import { usersRepository, type UserRow } from '../store/users.repository.ts';
import { UserError } from '../util/errors.ts';
import { requireCapability } from './access.ts';
import { audited } from './audit.ts';
import { checkGrant, grantColumns, grantOfRow } from './grants.ts';
import type { Runtime } from './runtime.ts';
import type { UserItem, UserResult, UsersResult } from './types/auth.ts';

/**
 * Users of the web UI: `users add|list|disable|passwd|role`. Passwords are hashed with argon2id
 * (@node-rs/argon2's default); a disabled user, a new password or a new role ends every session of
 * that user. Admins only (and the operator); every change is an audit row.
 */

const NAME = /^[\p{L}\p{N}._@-]{1,64}$/u;
export const PASSWORD_MIN = 10;
const PASSWORD_MAX = 1024;

export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export interface GrantInput {
  role: string;
  corps?: string[];
  departments?: number[];
}

export async function addUser(rt: Runtime, input: { name: string; password: string } & GrantInput): Promise<UserResult> {
  requireCapability(rt, 'admin');
  const name = checkName(input.name);
  return audited(rt, { action: 'user.add', target: name, purpose: null, detail: { role: input.role, corps: input.corps ?? [], departments: input.departments ?? [] } }, async () => {
    const grant = checkGrant(rt, input);
    checkPassword(input.password);
    const store = await rt.store();
    if (await usersRepository.users.byName(store.db, name)) throw new UserExistsError(name);
    const now = Date.now();
    const row: UserRow = {
      id: randomUUID(), name, password_hash: await hashPassword(input.password), ...grantColumns(grant), created_at: now, updated_at: now, disabled_at: null,
    };
    await usersRepository.users.insert(store.db, row);
    return { ok: true, user: userItem(row) };
  });
}

export async function listUsers(rt: Runtime): Promise<UsersResult> {
  requireCapability(rt, 'admin');
  const store = await rt.store();
  return { ok: true, users: (await usersRepository.users.list(store.db)).map(userItem), truncated: false };
}

export async function disableUser(rt: Runtime, input: { name: string }): Promise<UserResult> {
  return change(rt, 'user.disable', input.name, {}, async (store, row) => {
    const now = Date.now();
    return { disabled_at: row.disabled_at ?? now, updated_at: now };
  });
}

export async function setPassword(rt: Runtime, input: { name: string; password: string }): Promise<UserResult> {
  return change(rt, 'user.passwd', input.name, {}, async () => {
    checkPassword(input.password);
    return { password_hash: await hashPassword(input.password), updated_at: Date.now() };
  });
}

export async function setRole(rt: Runtime, input: { name: string } & GrantInput): Promise<UserResult> {
  const detail = { role: input.role, corps: input.corps ?? [], departments: input.departments ?? [] };
  return change(rt, 'user.role', input.name, detail, async () => ({ ...grantColumns(checkGrant(rt, input)), updated_at: Date.now() }));
}

/** Changes one user (ending their sessions), audited. */
async function change(
  rt: Runtime, action: AuditAction, name: string, detail: unknown, changes: (store: Store, row: UserRow) => Promise<Partial<UserRow>>,
): Promise<UserResult> {
  requireCapability(rt, 'admin');
  return audited(rt, { action, target: name, purpose: null, detail }, async () => {
    const store = await rt.store();
    const row = await usersRepository.users.byName(store.db, name);
    if (!row) throw new UnknownUserError(name);
    const set = await changes(store, row);
    await usersRepository.users.update(store.db, row.id, set);
    await usersRepository.sessions.removeForUser(store.db, row.id);
    return { ok: true, user: userItem({ ...row, ...set }) };
  });
}

/** `serve` refuses to start without an enabled admin: nobody could manage the users otherwise. */
export async function requireAdminUser(rt: Runtime): Promise<void> {
  const store = await rt.store();
  if (!(await usersRepository.users.hasAdmin(store.db))) throw new NoAdminError();
}

export function userItem(row: UserRow): UserItem {
  return { id: row.id, name: row.name, ...grantOfRow(row), createdAt: Number(row.created_at), updatedAt: Number(row.updated_at), disabledAt: row.disabled_at === null ? null : Number(row.disabled_at) };
}

function checkName(given: string): string {
  const name = given.trim();
  if (NAME.test(name)) return name;
  throw new UserError('user_bad_name', {
    what: { zh: '用户名无效：{name}', en: 'Invalid user name: {name}' },
    why: { zh: '用户名为 1 到 64 个字母、数字或 . _ @ -', en: 'A user name is 1 to 64 letters, digits or . _ @ -' },
    vars: { name: JSON.stringify(given) },
  });
}

function checkPassword(password: string): void {
  const length = [...password].length;
  if (length >= PASSWORD_MIN && length <= PASSWORD_MAX) return;
  throw new UserError('user_bad_password', {
    what: { zh: '密码太短或太长', en: 'The password is too short or too long' },
    why: { zh: '密码须有 {min} 到 {max} 个字符', en: 'A password has {min} to {max} characters' },
    fix: { zh: '用 --password-stdin 从标准输入给出更长的密码', en: 'Give a longer password on standard input with --password-stdin' },
    vars: { min: PASSWORD_MIN, max: PASSWORD_MAX },
  });
}

export class UserExistsError extends UserError {
  constructor(name: string) {
    super('user_exists', {
      what: { zh: '用户 {name} 已存在', en: 'The user {name} already exists' },
      fix: { zh: '改密码用 wecom-archive users passwd {name} --password-stdin；改角色用 users role', en: 'Change the password with wecom-archive users passwd {name} --password-stdin; the role with users role' },
      vars: { name },
    });
  }
}

export class UnknownUserError extends UserError {
  constructor(name: string) {
    super('user_unknown', {
      what: { zh: '没有用户 {name}', en: 'No user {name}' },
      fix: { zh: '用 wecom-archive users list 查看用户', en: 'Run wecom-archive users list to see the users' },
      vars: { name },
    });
  }
}

export class NoAdminError extends UserError {
  constructor() {
    super('auth_no_admin', {
      what: { zh: '还没有管理员用户，服务不能启动', en: 'There is no admin user yet: the service will not start' },
      why: { zh: '没有管理员就无法管理用户、角色和审计日志', en: 'Without an admin nobody could manage the users, roles and the audit log' },
      fix: { zh: '先创建一个：echo "<密码>" | wecom-archive users add admin --role admin --password-stdin', en: 'Create one first: echo "<password>" | wecom-archive users add admin --role admin --password-stdin' },
    });
  }
}
