import type { RecordColumns } from './record.table.ts';

/** Directory tables (wecom-api.md §2). Keys are WeCom's ids; every table is scoped by corp_id. */

export interface DepartmentTable extends RecordColumns {
  corp_id: string;
  department_id: number;
  name: string | null;
  name_en: string | null;
  /** 0 for the root department (id 1). */
  parent_id: number | null;
  /** WeCom `order`: higher sorts first. */
  sort_order: number | null;
  /** JSON array of userids (`department_leader`, from department/get only). */
  leader_userids: string | null;
}

export interface EmployeeTable extends RecordColumns {
  corp_id: string;
  userid: string;
  name: string | null;
  alias: string | null;
  position: string | null;
  main_department: number | null;
  /** 1 activated, 2 disabled, 4 not activated, 5 left the corp. */
  status: number | null;
  /** WeCom sends a string "0"/"1"/"2"; kept as sent. Sensitive (hidden since 2022). */
  gender: string | null;
  mobile: string | null;
  email: string | null;
  biz_mail: string | null;
  telephone: string | null;
  avatar: string | null;
  open_userid: string | null;
  /** JSON array of userids. */
  direct_leaders: string | null;
  external_position: string | null;
}

/** One row per (member, department): replaced with the member's record when it changes. */
export interface EmployeeDepartmentTable {
  corp_id: string;
  userid: string;
  department_id: number;
  /** The member's `order` within that department. */
  sort_order: number | null;
  /** `is_leader_in_dept`, 0/1. */
  is_leader: number;
}

/** Member tags (通讯录标签, tag/list + tag/get). */
export interface MemberTagTable extends RecordColumns {
  corp_id: string;
  tag_id: number;
  name: string | null;
}

export interface MemberTagUserTable {
  corp_id: string;
  tag_id: number;
  userid: string;
}

export interface MemberTagDepartmentTable {
  corp_id: string;
  tag_id: number;
  department_id: number;
}
