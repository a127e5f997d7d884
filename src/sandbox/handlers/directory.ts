import type { CredentialKind } from '../../wecom/endpoints.ts';
import { ERRCODE } from '../../wecom/errcodes.ts';
import type { SandboxDepartment, SandboxEmployee } from '../company/view.ts';
import { ApiError } from '../server/api-error.ts';
import { decodeCursor, encodeCursor, int, pageLimit, requireStr, str } from '../server/params.ts';
import { TICKET_TTL_SECONDS } from '../state/oauth.ts';
import type { ApiCall, Handler, SandboxState } from './types.ts';

/** Directory reads (wecom-api.md §2.3), filtered to what the token may see (§2.2). */

/** A member the caller may see, or the WeCom error: unknown → 60111, outside the scope → 60011. */
export function visibleMember(call: ApiCall, userid: string): SandboxEmployee {
  const member = call.state.company.employeeByUserid(userid);
  if (!member) throw new ApiError(ERRCODE.USERID_NOT_FOUND, `invalid string value \`${userid}\``);
  if (!call.state.visibility.seesEmployee(call.credential, member)) throw new ApiError(ERRCODE.NO_PRIVILEGE, `userid ${userid}`);
  return member;
}

function visibleDepartment(call: ApiCall, id: number): SandboxDepartment {
  const department = call.state.company.department(id);
  if (!department) throw new ApiError(ERRCODE.INVALID_DEPARTMENT_ID, `department ${id}`);
  if (!call.state.visibility.seesDepartment(call.credential, id)) throw new ApiError(ERRCODE.NO_PRIVILEGE, `department ${id}`);
  return department;
}

function departmentJson(d: SandboxDepartment): Record<string, unknown> {
  return {
    id: d.id, name: d.name, ...(d.name_en ? { name_en: d.name_en } : {}),
    department_leader: d.leaders, parentid: d.parentid, order: d.order,
  };
}

/** Departments under `rootId` (itself included), or all, that the caller sees; parents first. */
function departmentsFor(call: ApiCall): SandboxDepartment[] {
  const rootId = int(call.params, 'id', { min: 1 });
  const all = call.state.company.departments();
  let chosen = all;
  if (rootId !== undefined) {
    visibleDepartment(call, rootId);
    const inside = new Set([rootId]);
    chosen = all.filter((d) => (inside.has(d.id) || inside.has(d.parentid) ? (inside.add(d.id), true) : false));
  }
  return chosen.filter((d) => call.state.visibility.seesDepartment(call.credential, d.id));
}

/** Sensitive fields (§2.1) go only to the contact-sync token and to apps created before 2022-06-20. */
function seesSensitive(kind: CredentialKind, state: SandboxState): boolean {
  return kind === 'contacts' || state.rules.appSensitiveFields;
}

export function memberJson(call: ApiCall, m: SandboxEmployee, detail: boolean): Record<string, unknown> {
  const shown = m.department.map((d, i) => [d, i] as const)
    .filter(([d]) => call.state.visibility.seesDepartment(call.credential, d));
  const base = { userid: m.userid, name: m.name, department: shown.map(([d]) => d) };
  if (!detail) return base;
  const sensitive = seesSensitive(call.credential, call.state) ? {
    mobile: m.mobile, gender: String(m.gender), email: m.email, biz_mail: m.bizMail, avatar: m.avatar,
    thumb_avatar: m.avatar.replace(/\/0$/, '/100'), address: '', qr_code: `https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=${m.userid.toLowerCase()}`,
  } : {};
  return {
    ...base,
    order: shown.map(([, i]) => m.order[i]),
    position: m.position,
    ...sensitive,
    is_leader_in_dept: shown.map(([, i]) => m.isLeaderInDept[i]),
    direct_leader: m.directLeader,
    telephone: m.telephone,
    alias: m.alias,
    ...(shown.some(([d]) => d === m.mainDepartment) ? { main_department: m.mainDepartment } : {}),
    extattr: { attrs: [] },
    status: m.status,
    external_position: m.position,
    external_profile: { external_corp_name: call.state.company.corpName.short, external_attr: [] },
  };
}

function membersOfDepartment(call: ApiCall, detail: boolean): Record<string, unknown> {
  const id = int(call.params, 'department_id', { required: true, min: 1 })!;
  visibleDepartment(call, id);
  const { company, visibility } = call.state;
  const userlist = company.membersOf(id).map((e) => company.employee(e))
    .filter((m) => visibility.seesEmployee(call.credential, m))
    .map((m) => memberJson(call, m, detail));
  return { userlist };
}

function userListIds(call: ApiCall): Record<string, unknown> {
  const { company, seed } = call.state;
  const limit = pageLimit(call.name, call.params);
  const [startEmployee, startPosition] = decodeCursor(seed, 'list_id', '', str(call.params, 'cursor'), 2) ?? [0, 0];
  const rows: Array<{ userid: string; department: number }> = [];
  let e = startEmployee;
  let p = startPosition;
  for (; e < company.counts.employees && rows.length < limit; e++, p = 0) {
    if (!company.hasEmployee(e)) continue;
    const member = company.employee(e);
    for (; p < member.department.length && rows.length < limit; p++) rows.push({ userid: member.userid, department: member.department[p] });
    if (p < member.department.length) break;
  }
  while (p === 0 && e < company.counts.employees && !company.hasEmployee(e)) e++;
  // The loop stops on the next unread row, so an exhausted directory gives no cursor (no empty last page).
  const done = e >= company.counts.employees;
  return { next_cursor: done ? '' : encodeCursor(seed, 'list_id', '', [e, p]), dept_user: rows };
}

export const directoryHandlers = {
  'department.list': (call) => ({ department: departmentsFor(call).map(departmentJson) }),
  'department.simplelist': (call) => ({
    department_id: departmentsFor(call).map((d) => ({ id: d.id, parentid: d.parentid, order: d.order })),
  }),
  'department.get': (call) => ({
    department: departmentJson(visibleDepartment(call, int(call.params, 'id', { required: true, min: 1 })!)),
  }),
  'user.simplelist': (call) => membersOfDepartment(call, false),
  'user.list': (call) => membersOfDepartment(call, true),
  'user.listId': userListIds,
  'user.get': (call) => memberJson(call, visibleMember(call, requireStr(call.params, 'userid', 64)), true),
  'user.getuserid': (call) => {
    const mobile = requireStr(call.params, 'mobile', 32);
    const member = call.state.company.employeeByMobile(mobile);
    if (!member) throw new ApiError(ERRCODE.USER_NOT_EXIST, `mobile ${mobile}`);
    return { userid: visibleMember(call, member.userid).userid };
  },
  'user.getUseridByEmail': (call) => {
    const email = requireStr(call.params, 'email', 64);
    const type = int(call.params, 'email_type', { min: 1, max: 2 }) ?? 1;
    // Only business mail (type 1) exists in the sandbox; personal addresses are never found.
    const member = type === 1 ? call.state.company.employeeByEmail(email) : undefined;
    if (!member) throw new ApiError(ERRCODE.USER_NOT_EXIST, `email ${email}`);
    return { userid: visibleMember(call, member.userid).userid };
  },
  'tag.list': (call) => ({ taglist: call.state.company.memberTags().map((t) => ({ tagid: t.tagid, tagname: t.tagname })) }),
  'tag.get': (call) => {
    const tagid = int(call.params, 'tagid', { required: true, min: 1 })!;
    const tag = call.state.company.memberTags().find((t) => t.tagid === tagid);
    if (!tag) throw new ApiError(ERRCODE.INVALID_TAG_ID, `tagid ${tagid}`);
    const { company, visibility } = call.state;
    const members = tag.userids.map((u) => company.employeeByUserid(u)!).filter((m) => visibility.seesEmployee(call.credential, m));
    return {
      tagname: tag.tagname,
      userlist: members.map((m) => ({ userid: m.userid, name: m.name })),
      partylist: tag.partylist.filter((d) => visibility.seesDepartment(call.credential, d)),
    };
  },
  'auth.getuserinfo': (call) => {
    const redeemed = call.state.oauth.redeemCode(requireStr(call.params, 'code'));
    if (!redeemed) throw new ApiError(ERRCODE.INVALID_OAUTH_CODE);
    return { userid: redeemed.userid, user_ticket: redeemed.ticket, expires_in: TICKET_TTL_SECONDS };
  },
  'auth.getuserdetail': (call) => {
    const userid = call.state.oauth.userOfTicket(requireStr(call.params, 'user_ticket'));
    const member = userid ? call.state.company.employeeByUserid(userid) : undefined;
    if (!member) throw new ApiError(ERRCODE.INVALID_OAUTH_CODE, 'invalid user_ticket');
    return {
      userid: member.userid, gender: String(member.gender), avatar: member.avatar,
      qr_code: `https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=${member.userid.toLowerCase()}`,
      mobile: member.mobile, email: member.email, biz_mail: member.bizMail, address: '',
    };
  },
} satisfies Record<string, Handler>;
