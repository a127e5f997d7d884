import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { Database } from './database.ts';
import type { DepartmentTable, EmployeeTable } from './directory.table.ts';
import { containsAny, parseJson } from './sql-kit.ts';

/** Read queries over the directory (departments, employees, member tags) for the CLI, API and sync. */

export interface Page {
  limit?: number;
  offset?: number;
}

export const DEFAULT_LIMIT = 100;

export type DepartmentRow = Omit<Selectable<DepartmentTable>, 'raw_json' | 'hash'> & { member_count: number };
export type EmployeeRow = Omit<Selectable<EmployeeTable>, 'raw_json' | 'hash'>;
/** A listed employee: their main department's name beside its id (null when it is not synced). */
export type EmployeeListRow = EmployeeRow & { main_department_name: string | null };

export interface EmployeeFilters extends Page {
  /** Contained in name, userid, alias or position (case-insensitive for Latin letters). */
  search?: string;
  /** Members of this department… */
  departmentId?: number;
  /** …and of every department below it (default true). */
  includeSubDepartments?: boolean;
  /** Members carrying this member tag. */
  tagId?: number;
  status?: number;
  includeDeleted?: boolean;
}

export interface EmployeeDetail {
  employee: EmployeeRow & { raw: unknown; hidden: string[] };
  departments: {
    department_id: number; name: string | null; sort_order: number | null; is_leader: boolean; is_main: boolean;
  }[];
  tags: { tag_id: number; name: string | null }[];
}

type Eb = ExpressionBuilder<Database, 'employees'>;

async function listEmployees(
  db: Kysely<Database>, corpId: string, filters: EmployeeFilters = {},
): Promise<EmployeeListRow[]> {
  let query = db.selectFrom('employees')
    .leftJoin('departments as md',
      (j) => j.onRef('md.corp_id', '=', 'employees.corp_id').onRef('md.department_id', '=', 'employees.main_department'))
    .select(EMPLOYEE_COLUMNS).select('md.name as main_department_name').where('employees.corp_id', '=', corpId);
  if (!filters.includeDeleted) query = query.where('employees.deleted_at', 'is', null);
  if (filters.status !== undefined) query = query.where('employees.status', '=', filters.status);
  const search = filters.search?.trim();
  if (search) {
    const columns = ['employees.name', 'employees.userid', 'employees.alias', 'employees.position'];
    query = query.where(containsAny(db, columns, search));
  }
  if (filters.departmentId !== undefined) {
    const departments = filters.includeSubDepartments === false
      ? [filters.departmentId]
      : await departmentSubtree(db, corpId, filters.departmentId);
    query = query.where((eb: Eb) => eb.exists(eb.selectFrom('employee_departments as ed').select('ed.userid')
      .whereRef('ed.corp_id', '=', 'employees.corp_id').whereRef('ed.userid', '=', 'employees.userid')
      .where('ed.department_id', 'in', departments)));
  }
  if (filters.tagId !== undefined) {
    const tagId = filters.tagId;
    query = query.where((eb: Eb) => eb.exists(eb.selectFrom('member_tag_users as tu').select('tu.userid')
      .whereRef('tu.corp_id', '=', 'employees.corp_id').whereRef('tu.userid', '=', 'employees.userid')
      .where('tu.tag_id', '=', tagId)));
  }
  return query.orderBy('employees.userid').limit(filters.limit ?? DEFAULT_LIMIT).offset(filters.offset ?? 0).execute();
}

const EMPLOYEE_COLUMNS = [
  'employees.corp_id', 'employees.userid', 'employees.name', 'employees.alias', 'employees.position',
  'employees.main_department', 'employees.status', 'employees.gender', 'employees.mobile', 'employees.email',
  'employees.biz_mail', 'employees.telephone', 'employees.avatar', 'employees.open_userid', 'employees.direct_leaders',
  'employees.external_position', 'employees.hidden_fields', 'employees.first_seen_at', 'employees.updated_at',
  'employees.deleted_at', 'employees.run_id',
] as const;

/** A member with their departments (main first) and member tags; deleted members are found too. */
async function getEmployee(db: Kysely<Database>, corpId: string, userid: string): Promise<EmployeeDetail | undefined> {
  const row = await db.selectFrom('employees').select([...EMPLOYEE_COLUMNS, 'employees.raw_json'])
    .where('corp_id', '=', corpId).where('userid', '=', userid).executeTakeFirst();
  if (!row) return undefined;
  const departments = await db.selectFrom('employee_departments as ed')
    .leftJoin('departments as d',
      (j) => j.onRef('d.corp_id', '=', 'ed.corp_id').onRef('d.department_id', '=', 'ed.department_id'))
    .select(['ed.department_id', 'd.name', 'ed.sort_order', 'ed.is_leader'])
    .where('ed.corp_id', '=', corpId).where('ed.userid', '=', userid).orderBy('ed.department_id').execute();
  const tags = await db.selectFrom('member_tag_users as tu')
    .innerJoin('member_tags as t', (j) => j.onRef('t.corp_id', '=', 'tu.corp_id').onRef('t.tag_id', '=', 'tu.tag_id'))
    .select(['t.tag_id', 't.name']).where('tu.corp_id', '=', corpId).where('tu.userid', '=', userid)
    .where('t.deleted_at', 'is', null).orderBy('t.tag_id').execute();
  const { raw_json, ...employee } = row;
  return {
    employee: { ...employee, raw: parseJson(raw_json), hidden: parseJson<string[]>(employee.hidden_fields) ?? [] },
    departments: departments
      .map((d) => ({ ...d, is_leader: d.is_leader === 1, is_main: d.department_id === employee.main_department }))
      .sort((a, b) => Number(b.is_main) - Number(a.is_main)),
    tags,
  };
}

/**
 * `rootId` and every live department below it. Walked with a recursive CTE; UNION (not UNION ALL)
 * stops on a cycle, should bad data ever contain one.
 */
async function departmentSubtree(db: Kysely<Database>, corpId: string, rootId: number): Promise<number[]> {
  const { rows } = await sql<{ department_id: number }>`
    with recursive subtree(department_id) as (
      select cast(${rootId} as bigint)
      union
      select d.department_id from departments d join subtree s on d.parent_id = s.department_id
      where d.corp_id = ${corpId} and d.deleted_at is null
    )
    select department_id from subtree`.execute(db);
  return rows.map((r) => Number(r.department_id)).sort((a, b) => a - b);
}

export interface DepartmentFilters {
  parentId?: number;
  /** Contained in name or name_en. */
  search?: string;
  includeDeleted?: boolean;
}

/** Departments in WeCom's display order (higher `order` first), each with its direct member count. */
async function listDepartments(
  db: Kysely<Database>, corpId: string, filters: DepartmentFilters = {},
): Promise<DepartmentRow[]> {
  let query = db.selectFrom('departments as d')
    .select(['d.corp_id', 'd.department_id', 'd.name', 'd.name_en', 'd.parent_id', 'd.sort_order', 'd.leader_userids',
      'd.hidden_fields', 'd.first_seen_at', 'd.updated_at', 'd.deleted_at', 'd.run_id'])
    .select((eb) => eb.selectFrom('employee_departments as ed')
      .innerJoin('employees as e', (j) => j.onRef('e.corp_id', '=', 'ed.corp_id').onRef('e.userid', '=', 'ed.userid'))
      .whereRef('ed.corp_id', '=', 'd.corp_id').whereRef('ed.department_id', '=', 'd.department_id')
      .where('e.deleted_at', 'is', null)
      .select((e2) => e2.fn.countAll<number>().as('n')).as('member_count'))
    .where('d.corp_id', '=', corpId);
  if (!filters.includeDeleted) query = query.where('d.deleted_at', 'is', null);
  if (filters.parentId !== undefined) query = query.where('d.parent_id', '=', filters.parentId);
  const search = filters.search?.trim();
  if (search) query = query.where(containsAny(db, ['d.name', 'd.name_en'], search));
  const rows = await query.orderBy('d.sort_order', 'desc').orderBy('d.department_id').execute();
  return rows.map((r) => ({ ...r, member_count: Number(r.member_count ?? 0) }));
}

/** Member tags with how many live members carry each. */
async function listMemberTags(
  db: Kysely<Database>, corpId: string,
): Promise<{ tag_id: number; name: string | null; member_count: number }[]> {
  const rows = await db.selectFrom('member_tags as t')
    .select(['t.tag_id', 't.name'])
    .select((eb) => eb.selectFrom('member_tag_users as tu')
      .innerJoin('employees as e', (j) => j.onRef('e.corp_id', '=', 'tu.corp_id').onRef('e.userid', '=', 'tu.userid'))
      .whereRef('tu.corp_id', '=', 't.corp_id').whereRef('tu.tag_id', '=', 't.tag_id').where('e.deleted_at', 'is', null)
      .select((e2) => e2.fn.countAll<number>().as('n')).as('member_count'))
    .where('t.corp_id', '=', corpId).where('t.deleted_at', 'is', null).orderBy('t.tag_id').execute();
  return rows.map((r) => ({ ...r, member_count: Number(r.member_count ?? 0) }));
}

/** A member tag id for `--tag`: the number itself, or the tag of that name (undefined: no such tag). */
async function memberTagId(db: Kysely<Database>, corpId: string, idOrName: string): Promise<number | undefined> {
  if (/^\d+$/.test(idOrName)) return Number(idOrName);
  const row = await db.selectFrom('member_tags').select('tag_id').where('corp_id', '=', corpId).where('name', '=', idOrName)
    .executeTakeFirst();
  return row?.tag_id;
}

export const directoryRepository = Object.freeze({
  listEmployees, getEmployee, listDepartments, departmentSubtree, listMemberTags, memberTagId,
});
