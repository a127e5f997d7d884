import { UserError } from '../util/errors.ts';
import type { Runtime } from './runtime.ts';
import { ROLES, type Grant, type Role } from './types/auth.ts';

/**
 * A role with its scope, checked once for users and tokens alike: admin takes no scope (it has every
 * corp); an auditor takes corps (none: every corp); a manager needs at least one department (a
 * subtree in each corp granted); a viewer may take both (departments narrow its directory).
 */

export function checkGrant(rt: Runtime, input: { role: string; corps?: readonly string[]; departments?: readonly number[] }): Grant {
  if (!(ROLES as readonly string[]).includes(input.role)) throw grantError('auth_bad_role', { zh: '角色无效：{role}（可用 admin、auditor、manager、viewer）', en: 'Invalid role: {role} (admin, auditor, manager or viewer)' }, { role: input.role });
  const role = input.role as Role;
  const corps = [...new Set(input.corps ?? [])].sort();
  const departments = [...new Set(input.departments ?? [])].sort((a, b) => a - b);
  for (const corp of corps) if (!rt.corpIds.includes(corp)) throw grantError('auth_bad_scope', { zh: '没有配置企业 {corp}', en: 'The corp {corp} is not configured' }, { corp });
  for (const id of departments) if (!Number.isInteger(id) || id < 1) throw grantError('auth_bad_scope', { zh: '部门 ID 无效：{id}', en: 'Invalid department id: {id}' }, { id: String(id) });
  if (role === 'admin' && (corps.length > 0 || departments.length > 0)) throw grantError('auth_bad_scope', { zh: '管理员拥有全部企业，不接受 --corp 或 --department', en: 'An admin has every corp: --corp and --department do not apply' }, {});
  if (role === 'auditor' && departments.length > 0) throw grantError('auth_bad_scope', { zh: '审计员按企业授权，不接受 --department', en: 'An auditor is granted whole corps: --department does not apply' }, {});
  if (role === 'manager' && departments.length === 0) throw grantError('auth_bad_scope', { zh: '经理须至少有一个 --department', en: 'A manager needs at least one --department' }, {});
  return { role, corps, departments };
}

export function grantColumns(grant: Grant): { role: string; corps: string; departments: string } {
  return { role: grant.role, corps: JSON.stringify(grant.corps), departments: JSON.stringify(grant.departments) };
}

export function grantOfRow(row: { role: string; corps: string; departments: string }): Grant {
  return { role: row.role as Role, corps: JSON.parse(row.corps) as string[], departments: JSON.parse(row.departments) as number[] };
}

function grantError(code: string, what: { zh: string; en: string }, vars: Record<string, string>): UserError {
  return new UserError(code, { what, fix: { zh: '见 wecom-archive users add --help', en: 'See wecom-archive users add --help' }, vars });
}
