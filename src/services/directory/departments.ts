import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { directoryRepository, type DepartmentRow } from '../../store/directory.repository.ts';
import { parseJson } from '../../store/sql-kit.ts';
import { departmentScoped, grantOf } from '../access.ts';
import type { Runtime } from '../runtime.ts';
import type { Department, DepartmentQuery, DepartmentsResult } from '../types/directory.ts';
import { corpsAndStore, cut } from './scope.ts';

/**
 * `departments`: each corp's tree, depth first, siblings in WeCom's order (higher `order` first),
 * every row with its depth and the names above it, so that two departments of one name (a 华东区
 * under each region) are told apart. `department` keeps that department's subtree; `search` keeps
 * the matching departments, still with their place in the tree.
 */
export async function listDepartments(rt: Runtime, query: DepartmentQuery): Promise<DepartmentsResult> {
  const { corpIds, db } = await corpsAndStore(rt, query.corp);
  const rows: Department[] = [];
  const scope = departmentScoped(rt.actor) ? grantOf(rt.actor)!.departments : null;
  for (const corpId of corpIds) {
    const tree = await corpTree(db, corpId, query);
    // A department-scoped actor sees its subtrees only.
    const within = scope && new Set((await Promise.all(scope.map((id) => directoryRepository.departmentSubtree(db, corpId, id)))).flat());
    rows.push(...(within ? tree.filter((d) => within.has(d.id)) : tree));
    if (query.limit !== undefined && rows.length > query.limit) break;
  }
  const { rows: departments, truncated } = cut(rows, query.limit);
  return { ok: true, departments, truncated };
}

async function corpTree(db: Kysely<Database>, corpId: string, query: DepartmentQuery): Promise<Department[]> {
  // The whole tree is read (departments number in the thousands at most) so that paths and depths
  // are right whatever the filters keep; the search itself is the store's.
  const all = await directoryRepository.listDepartments(db, corpId, { includeDeleted: query.includeDeleted });
  const matching = query.search?.trim()
    ? new Set((await directoryRepository.listDepartments(db, corpId, { search: query.search, includeDeleted: query.includeDeleted }))
      .map((d) => d.department_id))
    : undefined;
  const ids = new Set(all.map((d) => d.department_id));
  const children = new Map<number | null, DepartmentRow[]>();
  for (const d of all) {
    // A department whose parent is not in the store (the root's parent 0, or outside the app's scope) is a top.
    const parent = d.parent_id !== null && ids.has(d.parent_id) && d.parent_id !== d.department_id ? d.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const out: Department[] = [];
  const seen = new Set<number>();
  const walk = (d: DepartmentRow, path: string[], inScope: boolean): void => {
    if (seen.has(d.department_id)) return; // bad data with a cycle must not loop
    seen.add(d.department_id);
    const within = inScope || d.department_id === query.department;
    if (within && (!matching || matching.has(d.department_id))) out.push(departmentOf(d, path));
    for (const child of children.get(d.department_id) ?? []) walk(child, [...path, d.name ?? String(d.department_id)], within);
  };
  for (const top of children.get(null) ?? []) walk(top, [], query.department === undefined);
  // Departments caught in a parent cycle (bad data) are reached from no top: shown as tops rather than lost.
  for (const d of all) if (!seen.has(d.department_id)) walk(d, [], query.department === undefined);
  return out;
}

function departmentOf(d: DepartmentRow, path: string[]): Department {
  return {
    corpId: d.corp_id, id: d.department_id, name: d.name, nameEn: d.name_en, parentId: d.parent_id, order: d.sort_order,
    depth: path.length, path, memberCount: d.member_count, leaderUserids: parseJson<string[]>(d.leader_userids) ?? [],
    hiddenFields: parseJson<string[]>(d.hidden_fields) ?? [], firstSeenAt: d.first_seen_at, updatedAt: d.updated_at, deletedAt: d.deleted_at,
  };
}
