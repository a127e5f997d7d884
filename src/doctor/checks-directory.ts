import type { Text } from '../i18n/index.ts';
import type { WecomClient } from '../wecom/client.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import type { CheckResult } from './report.ts';
import { probe, skipped, type CheckHead, type Diagnosis } from './probe.ts';

/**
 * The guide's directory checklist, for the self-built app (APP_SECRET) and the contact-sync
 * assistant (CONTACTS_SECRET): department list, member list, member detail, visible scope.
 */

const ROOT_DEPARTMENT = 1;

/** 48009 on APP_SECRET: the user pasted the contact-sync assistant's secret (their guide's own story). */
const APP_IS_CONTACT_SYNC: Diagnosis = (err) => err.errcode === ERRCODE.CONTACT_SYNC_FORBIDDEN ? {
  message: {
    zh: 'APP_SECRET 是「通讯录同步助手」的 Secret：它不能主动查询通讯录',
    en: "APP_SECRET is the contact-sync assistant's secret: it may not query the directory",
  },
  fix: {
    zh: '在 管理后台 → 应用管理 → 自建 创建一个应用，可见范围选根部门，授予通讯录读取权限，把它的 Secret 填到 APP_SECRET；通讯录同步助手的 Secret 如需保留请填到 CONTACTS_SECRET',
    en: 'Create an app under Admin console → App Management → Self-built, set its visible scope to the root department, grant directory read, and put its secret in APP_SECRET; keep the contact-sync secret in CONTACTS_SECRET if you need it',
  },
} : undefined;

const OUT_OF_SCOPE: Diagnosis = (err) => (err.errcode === ERRCODE.NO_PRIVILEGE || err.errcode === ERRCODE.USERID_NOT_FOUND) ? {
  message: { zh: '该成员不在应用的可见范围内', en: "That member is outside the app's visible scope" },
  fix: {
    zh: '在 应用管理 → 该自建应用 → 可见范围 中加入根部门（整个企业），或至少加入需要存档的部门',
    en: "Add the root department (the whole company), or at least the archived departments, to the app's visible scope (App Management → the app → Visible scope)",
  },
} : undefined;

interface Department { id: number; parentid?: number; name?: string }

export async function appDirectoryChecks(client: WecomClient): Promise<CheckResult[]> {
  const head = (id: string, title: Text): CheckHead => ({ id: `app.${id}`, credential: 'app', title });
  const checks: CheckResult[] = [];

  const departments = await probe(
    head('department_list', { zh: '自建应用：读取部门列表', en: 'Self-built app: list departments' }),
    () => client.call('department.list', {}, { credential: 'app' }),
    (res) => ({ message: { zh: '可见 {count} 个部门', en: '{count} departments visible' }, vars: { count: res.department?.length ?? 0 } }),
    APP_IS_CONTACT_SYNC,
  );
  checks.push(departments.check);
  if (!departments.value) return checks;
  const visible = (departments.value.department ?? []) as Department[];
  checks.push(scopeCheck(visible));

  const firstDepartment = visible.some((d) => d.id === ROOT_DEPARTMENT) ? ROOT_DEPARTMENT : visible[0]?.id;
  const members = await probe(
    head('user_list', { zh: '自建应用：读取成员列表', en: 'Self-built app: list members' }),
    () => client.call('user.simplelist', { department_id: firstDepartment ?? ROOT_DEPARTMENT }, { credential: 'app' }),
    (res) => ({ message: { zh: '部门 {dept} 有 {count} 名成员', en: 'Department {dept} has {count} members' }, vars: { dept: firstDepartment ?? ROOT_DEPARTMENT, count: res.userlist?.length ?? 0 } }),
    OUT_OF_SCOPE,
  );
  checks.push(members.check);
  const userid = members.value?.userlist?.[0]?.userid;
  if (!userid) {
    checks.push(skipped(head('user_get', { zh: '自建应用：读取成员详情', en: 'Self-built app: read a member' }),
      { zh: '没有可读取的成员', en: 'No member to read' }));
    return checks;
  }
  const detail = await probe(
    head('user_get', { zh: '自建应用：读取成员详情', en: 'Self-built app: read a member' }),
    () => client.call('user.get', { userid }, { credential: 'app' }),
    (res) => (res.mobile || res.email ? {
      message: { zh: '可读取成员详情（含手机、邮箱）', en: 'Member details readable (mobile and email included)' },
    } : {
      message: {
        zh: '可读取成员详情；手机、邮箱、头像等敏感字段不返回（2022-06-20 后创建的应用的正常限制）',
        en: 'Member details readable; mobile, email and avatar are withheld (normal for apps created after 2022-06-20)',
      },
    }),
    OUT_OF_SCOPE,
  );
  checks.push(detail.check);
  return checks;
}

function scopeCheck(visible: Department[]): CheckResult {
  const head: CheckHead = { id: 'app.visible_scope', credential: 'app', title: { zh: '自建应用：可见范围', en: 'Self-built app: visible scope' } };
  if (visible.some((d) => d.id === ROOT_DEPARTMENT)) {
    return { ...head, status: 'pass', errcode: null, message: { zh: '覆盖整个企业（含根部门）', en: 'Covers the whole company (root department included)' } };
  }
  return {
    ...head, status: 'warn', errcode: null,
    message: { zh: '只覆盖 {count} 个部门，不含根部门：范围外的成员和客户不会被同步', en: 'Covers only {count} departments, not the root: members and customers outside it are not synced' },
    fix: { zh: '在 应用管理 → 该自建应用 → 可见范围 中选择根部门', en: "Select the root department in the app's visible scope (App Management → the app → Visible scope)" },
    vars: { count: visible.length },
  };
}

/** The contact-sync assistant: ids only since 2022-08-15; detail reads give 48009 from new IPs. */
export async function contactsDirectoryChecks(client: WecomClient, appReadsDirectory: boolean): Promise<CheckResult[]> {
  const head = (id: string, title: Text): CheckHead => ({ id: `contacts.${id}`, credential: 'contacts', title });
  const checks: CheckResult[] = [];
  const ids = await probe(
    head('user_list_id', { zh: '通讯录同步：读取成员 ID 列表', en: 'Contact sync: list member ids' }),
    () => client.call('user.listId', { limit: 1 }, { credential: 'contacts' }),
    () => ({ message: { zh: '可读取成员 ID 和部门 ID', en: 'Member and department ids readable' } }),
  );
  checks.push(ids.check);
  const userid = ids.value?.dept_user?.[0]?.userid;
  if (!userid) return checks;
  const detail = await probe(
    head('user_get', { zh: '通讯录同步：读取成员详情', en: 'Contact sync: read a member' }),
    () => client.call('user.get', { userid }, { credential: 'contacts' }),
    () => ({ message: { zh: '可读取成员详情（此 IP 在 2022-08-15 前已加入）', en: 'Member details readable (this IP was added before 2022-08-15)' } }),
    (err) => err.errcode === ERRCODE.CONTACT_SYNC_FORBIDDEN ? (appReadsDirectory ? {
      status: 'pass',
      message: {
        zh: '通讯录同步助手不能读取详情（企业微信的限制）；通讯录用 APP_SECRET 读取',
        en: 'The contact-sync assistant cannot read details (a WeCom rule); the directory is read with APP_SECRET',
      },
    } : {
      status: 'warn',
      message: {
        zh: '通讯录同步助手只能读取 ID：成员姓名、职务等详情无法同步',
        en: 'The contact-sync assistant can read ids only: names, positions and other details cannot be synced',
      },
      fix: {
        zh: '创建一个自建应用（可见范围选根部门），把它的 Secret 填到 APP_SECRET',
        en: 'Create a self-built app (visible scope: root department) and put its secret in APP_SECRET',
      },
    }) : undefined,
  );
  checks.push(detail.check);
  return checks;
}
