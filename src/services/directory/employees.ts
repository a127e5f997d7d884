import { directoryRepository, type EmployeeListRow } from '../../store/directory.repository.ts';
import { parseJson } from '../../store/sql-kit.ts';
import type { Runtime } from '../runtime.ts';
import type { Employee, EmployeeQuery, EmployeesResult } from '../types/directory.ts';
import { listAcrossCorps } from './scope.ts';

/** `employees`: the members of every corp in scope, by userid, filtered. */
export async function listEmployees(rt: Runtime, query: EmployeeQuery): Promise<EmployeesResult> {
  const tagIds = new Map<string, number>();
  const { rows, truncated } = await listAcrossCorps(rt, query, async (db, corpId, offset, limit) => {
    // A tag name no tag has matches nobody (no tag has id -1), rather than being ignored; tags are per corp.
    if (query.tag !== undefined && !tagIds.has(corpId)) tagIds.set(corpId, (await directoryRepository.memberTagId(db, corpId, query.tag)) ?? -1);
    const tagId = tagIds.get(corpId);
    return directoryRepository.listEmployees(db, corpId, {
      search: query.search, departmentId: query.department, tagId, includeDeleted: query.includeDeleted, offset, limit,
    });
  }, { kind: 'employee', idOf: (row) => row.userid });
  return { ok: true, employees: rows.map(employeeOf), truncated };
}

function employeeOf(r: EmployeeListRow): Employee {
  return {
    corpId: r.corp_id, userid: r.userid, name: r.name, alias: r.alias, position: r.position,
    mainDepartment: r.main_department, mainDepartmentName: r.main_department_name, status: r.status,
    // WeCom sends gender as text ("0", "1", "2").
    gender: r.gender === null || r.gender === '' ? null : Number(r.gender),
    mobile: r.mobile, email: r.email, bizMail: r.biz_mail, telephone: r.telephone, avatar: r.avatar,
    openUserid: r.open_userid, directLeaders: parseJson<string[]>(r.direct_leaders) ?? [], externalPosition: r.external_position,
    hiddenFields: parseJson<string[]>(r.hidden_fields) ?? [], firstSeenAt: r.first_seen_at, updatedAt: r.updated_at, deletedAt: r.deleted_at,
  };
}
