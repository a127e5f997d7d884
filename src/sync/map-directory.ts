import type { RecordInput } from '../store/entities.ts';
import type { Department, TagGetRes, User } from '../wecom/types-directory.ts';

/**
 * WeCom directory answers → store records (wecom-api.md §2). A field the credential cannot see is
 * listed in `hidden_fields` and its column stays null: a withheld mobile is not an empty mobile.
 */

/**
 * Withheld from user/get and user/list for apps created after 2022-06-20 and for base apps other
 * than contact sync (wecom-api.md §2.1). WeCom leaves them out of the answer, so absence means hidden.
 */
export const SENSITIVE_USER_FIELDS = [
  'mobile', 'gender', 'email', 'biz_mail', 'avatar', 'thumb_avatar', 'address', 'qr_code',
] as const satisfies readonly (keyof User)[];

/** Everything user/list tells beyond the ids: unknown when only user/list_id can be read. */
const USER_DETAIL_FIELDS = [
  'name', 'order', 'position', 'is_leader_in_dept', 'direct_leader', 'telephone', 'alias', 'open_userid',
  'main_department', 'extattr', 'status', 'external_position', 'external_profile', ...SENSITIVE_USER_FIELDS,
] as const satisfies readonly (keyof User)[];

/** Known only from department/list, not from department/simplelist. */
const DEPARTMENT_DETAIL_FIELDS = ['name', 'name_en', 'department_leader'] as const satisfies readonly (keyof Department)[];

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

export function departmentRecord(d: Department): RecordInput<'departments'> {
  return {
    department_id: d.id, name: d.name, name_en: d.name_en ?? null, parent_id: d.parentid, sort_order: d.order,
    leader_userids: json(d.department_leader), raw: d,
  };
}

/** department/simplelist: the tree without names. */
export function departmentIdsRecord(d: { id: number; parentid: number; order: number }): RecordInput<'departments'> {
  return { department_id: d.id, parent_id: d.parentid, sort_order: d.order, raw: d, hidden_fields: DEPARTMENT_DETAIL_FIELDS };
}

export function employeeRecord(u: User): RecordInput<'employees'> {
  return {
    userid: u.userid,
    name: u.name,
    alias: u.alias ?? null,
    position: u.position ?? null,
    main_department: u.main_department ?? null,
    status: u.status ?? null,
    gender: u.gender ?? null,
    mobile: u.mobile ?? null,
    email: u.email ?? null,
    biz_mail: u.biz_mail ?? null,
    telephone: u.telephone ?? null,
    avatar: u.avatar ?? null,
    open_userid: u.open_userid ?? null,
    direct_leaders: json(u.direct_leader),
    external_position: u.external_position ?? null,
    departments: u.department.map((department_id, i) => ({
      department_id, sort_order: u.order?.[i] ?? null, is_leader: u.is_leader_in_dept?.[i] ?? 0,
    })),
    raw: u,
    hidden_fields: SENSITIVE_USER_FIELDS.filter((field) => !(field in u)),
  };
}

/** user/list_id: a member's departments, nothing else (the contact-sync secret from a new IP). */
export function employeeIdsRecord(userid: string, departments: number[]): RecordInput<'employees'> {
  return {
    userid,
    departments: departments.map((department_id) => ({ department_id, sort_order: null, is_leader: 0 })),
    raw: { userid, department: departments },
    hidden_fields: USER_DETAIL_FIELDS,
  };
}

export function memberTagRecord(tagid: number, tagname: string, detail: TagGetRes): RecordInput<'member_tags'> {
  return {
    tag_id: tagid,
    name: tagname,
    users: detail.userlist.map((u) => ({ userid: u.userid })),
    departments: detail.partylist.map((department_id) => ({ department_id })),
    raw: { tagid, ...detail },
  };
}
