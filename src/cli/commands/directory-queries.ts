import type { Command } from 'commander';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { Runtime } from '../../services/runtime.ts';
import type { Department, Employee } from '../../services/types/directory.ts';
import { formatTime } from '../../util/time.ts';
import { action, type CliContext } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printList, type Column, type OutputFormat } from '../output.ts';
import { EMPLOYEE_STATUS, label } from './directory-labels.ts';

/**
 * `employees` and `departments`, and what the synced-data commands share (`customers`, `groups`):
 * parse the options, one call to the directory service, then a table (headers in the user's
 * language, codes as words, a corp column when several corps are in scope), `--csv` or `--json`.
 * Every record by default (`--limit` to cut); deleted records only with `--include-deleted`.
 */

export interface ListOptions {
  search?: string;
  department?: string;
  tag?: string;
  followUser?: string;
  includeDeleted?: boolean;
  limit?: string;
  csv?: boolean;
}

const TEXT = {
  hidden: { zh: '（不可见）', en: '(hidden)' },
} satisfies Record<string, Text>;

/** Headers shared by the directory's tables. */
export const HEADER = {
  corp: { zh: '企业', en: 'corp' },
  name: { zh: '名称', en: 'name' },
  status: { zh: '状态', en: 'status' },
  deletedAt: { zh: '删除时间', en: 'deleted' },
} satisfies Record<string, Text>;

/** The options every list command takes. */
export function listOptions(command: Command): Command {
  return command
    .option('--search <text>', 'only records containing this text')
    .option('--include-deleted', 'also records WeCom no longer lists (kept, marked deleted)')
    .option('--limit <n>', 'at most n records (default: all)')
    .option('--csv', 'CSV (UTF-8 with BOM, opens in Excel)');
}

/** What every list command reads from its options, checked before anything is opened. */
export function listQuery(ctx: CliContext, options: ListOptions) {
  return { corp: ctx.corp, search: options.search, includeDeleted: options.includeDeleted, limit: intOption('--limit', options.limit) };
}

export function formatOf(ctx: CliContext, options: { csv?: boolean }): OutputFormat {
  return ctx.json ? 'json' : options.csv ? 'csv' : 'table';
}

/** Asia/Shanghai, like every time the product shows. */
export const time = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '' : formatTime(ms));

/** The corp column, shown only when the command covers more than one corp. */
export function corpColumns<T extends { corpId: string }>(rt: Runtime, ctx: CliContext): Array<Column<T>> {
  return rt.corps(ctx.corp).length > 1 ? [{ header: HEADER.corp, field: 'corpId', value: (r) => r.corpId, keep: true }] : [];
}

/** The deletion time column, shown only with `--include-deleted`. */
export function deletedColumns<T extends { deletedAt: number | null }>(options: ListOptions): Array<Column<T>> {
  return options.includeDeleted ? [{ header: HEADER.deletedAt, field: 'deletedAt', value: (r) => time(r.deletedAt), keep: true }] : [];
}

/** A field WeCom withheld shows as hidden, never as an empty value that looks like data. */
export function shown(row: { hiddenFields: string[] }, field: string, value: string | number | null, lang: Lang): string | number | null {
  return row.hiddenFields.includes(field) ? t(TEXT.hidden, lang) : value;
}

export function registerDirectoryQueries(program: Command): void {
  listOptions(program.command('employees')
    .description('list employees (members of the directory)')
    .option('--department <id>', 'members of this department and those below it')
    .option('--tag <id|name>', 'members carrying this member tag'))
    .action(action(async (ctx, options: ListOptions) => {
      const query = { ...listQuery(ctx, options), department: intOption('--department', options.department), tag: options.tag };
      const rt = await ctx.runtime();
      const { listEmployees } = await import('../../services/directory/index.ts');
      const result = await listEmployees(rt, query);
      printList({ name: 'employees', rows: result.employees, truncated: result.truncated, format: formatOf(ctx, options), lang: ctx.lang, columns: [
        ...corpColumns<Employee>(rt, ctx),
        ...employeeColumns(ctx.lang),
        ...deletedColumns<Employee>(options),
      ] });
    }));

  listOptions(program.command('departments')
    .description('list the department tree (names indented by depth), in WeCom\'s order')
    .option('--department <id>', 'this department and those below it'))
    .action(action(async (ctx, options: ListOptions) => {
      const query = { ...listQuery(ctx, options), department: intOption('--department', options.department) };
      const rt = await ctx.runtime();
      const { listDepartments } = await import('../../services/directory/index.ts');
      const result = await listDepartments(rt, query);
      printList({ name: 'departments', rows: result.departments, truncated: result.truncated, format: formatOf(ctx, options), lang: ctx.lang, columns: [
        ...corpColumns<Department>(rt, ctx),
        ...departmentColumns(result.departments, Boolean(options.search?.trim()), ctx.lang),
        ...deletedColumns<Department>(options),
      ] });
    }));
}

function employeeColumns(lang: Lang): Array<Column<Employee>> {
  return [
    { header: { zh: '账号', en: 'userid' }, field: 'userid', value: (r) => r.userid, keep: true },
    { header: { zh: '姓名', en: 'name' }, field: 'name', value: (r) => shown(r, 'name', r.name, lang) },
    { header: { zh: '职务', en: 'position' }, field: 'position', value: (r) => shown(r, 'position', r.position, lang) },
    {
      header: { zh: '主部门', en: 'main department' }, field: 'mainDepartmentName',
      value: (r) => shown(r, 'main_department', r.mainDepartmentName ?? r.mainDepartment, lang),
    },
    { header: HEADER.status, field: 'status', value: (r) => (r.status === null ? shown(r, 'status', null, lang) : label(EMPLOYEE_STATUS, r.status, lang)) },
    { header: { zh: '手机', en: 'mobile' }, field: 'mobile', value: (r) => shown(r, 'mobile', r.mobile, lang) },
    { header: { zh: '邮箱', en: 'email' }, field: 'email', value: (r) => shown(r, 'email', r.email, lang) },
  ];
}

/**
 * A tree shows each name indented by its depth (under the shallowest row shown); search results
 * are scattered over the tree, so each shows its whole path instead.
 */
function departmentColumns(rows: Department[], searched: boolean, lang: Lang): Array<Column<Department>> {
  const top = Math.min(...rows.map((d) => d.depth));
  const name = (d: Department) => shown(d, 'name', d.name, lang) ?? String(d.id);
  return [
    { header: { zh: 'ID', en: 'id' }, field: 'id', value: (d) => d.id, keep: true },
    {
      header: { zh: '部门', en: 'department' }, field: 'name',
      value: (d) => (searched ? [...d.path, name(d)].join(' / ') : `${'  '.repeat(d.depth - top)}${name(d)}`),
      csv: (d) => d.name,
    },
    { header: { zh: '上级 ID', en: 'parent' }, field: 'parentId', value: (d) => d.parentId },
    { header: { zh: '层级', en: 'depth' }, field: 'depth', value: (d) => d.depth, only: 'csv' },
    { header: { zh: '路径', en: 'path' }, field: 'path', value: (d) => d.path.join(' / '), only: 'csv' },
    { header: { zh: '排序', en: 'order' }, field: 'order', value: (d) => d.order },
    { header: { zh: '直属成员', en: 'members' }, field: 'memberCount', value: (d) => d.memberCount },
  ];
}
