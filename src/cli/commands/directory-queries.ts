import type { Command } from 'commander';
import { formatTime } from '../../util/time.ts';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../config/load.ts';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { Database } from '../../store/database.ts';
import { UserError } from '../../util/errors.ts';
import { WecomMissingCorpIdError } from '../../wecom/errors.ts';
import { action, type CliContext } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printRecords, type OutputFormat } from '../output.ts';

/**
 * `employees` and `departments`, and what the synced-data commands share (`customers`, `groups`):
 * every record by default (`--limit` to cut), filters, deleted records only with
 * `--include-deleted`, as a table, `--json` (an array of records) or `--csv`. The store and its
 * queries are imported when a command runs, not when the command tree is built.
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
  notFound: { zh: '找不到{what} {id}', en: 'No {what} {id}' },
  notFoundWhy: { zh: '本地数据库中没有该记录（ID 须完全一致）', en: 'The local database has no such record (the id must match exactly)' },
  notFoundFix: { zh: '先运行 `wecom-archive sync`，或用列表命令加 --search 查找', en: 'Run `wecom-archive sync` first, or find it with the list command and --search' },
  hidden: { zh: '（不可见）', en: '(hidden)' },
} satisfies Record<string, Text>;

/** Rows fetched per query while listing everything. */
const PAGE = 1000;

/** The options every list command takes. */
export function listOptions(command: Command): Command {
  return command
    .option('--search <text>', 'only records containing this text')
    .option('--include-deleted', 'also records WeCom no longer lists (kept, marked deleted)')
    .option('--limit <n>', 'at most n records (default: all)')
    .option('--csv', 'CSV (UTF-8 with BOM, opens in Excel)');
}

/** Loads the config and opens the store for one command, closing it whatever happens. */
export async function withStore<T>(ctx: CliContext, fn: (db: Kysely<Database>, corpId: string) => Promise<T>): Promise<T> {
  const config = await loadConfig({ configFile: ctx.configFile });
  if (!config.corpId) throw new WecomMissingCorpIdError();
  const { openStore } = await import('../../store/open.ts');
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await fn(store.db, config.corpId);
  } finally {
    await store.close();
  }
}

export function formatOf(ctx: CliContext, options: { csv?: boolean }): OutputFormat {
  return ctx.json ? 'json' : options.csv ? 'csv' : 'table';
}

export function notFound(what: Text, id: string, lang: Lang): UserError {
  return new UserError('not_found', { what: TEXT.notFound, why: TEXT.notFoundWhy, fix: TEXT.notFoundFix, vars: { what: t(what, lang), id } });
}

/** Every page of a query, up to `limit` rows. */
export async function collect<T>(limit: number | undefined, page: (offset: number, size: number) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const size = Math.min(PAGE, limit === undefined ? PAGE : limit - out.length);
    if (size <= 0) return out;
    const rows = await page(out.length, size);
    out.push(...rows);
    if (rows.length < size) return out;
  }
}

/** Asia/Shanghai, like every time the product shows. */
export const time = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '' : formatTime(ms));

/** A coded value (status, type…) in words; a code the table does not know shows as the number. */
export function label(table: Record<number, Text>, value: number | null, lang: Lang): string | null {
  return value === null ? null : t(table[value] ?? { zh: String(value), en: String(value) }, lang);
}

/** A column WeCom withheld shows as hidden, never as an empty value that looks like data. */
function shown(row: { hidden_fields: string[] }, field: string, value: string | number | null, lang: Lang): string | number | null {
  return row.hidden_fields.includes(field) ? t(TEXT.hidden, lang) : value;
}

const STATUS: Record<number, Text> = {
  1: { zh: '已激活', en: 'active' }, 2: { zh: '已禁用', en: 'disabled' }, 4: { zh: '未激活', en: 'not activated' }, 5: { zh: '已退出', en: 'left' },
};

export function registerDirectoryQueries(program: Command): void {
  listOptions(program.command('employees')
    .description('list employees (members of the directory)')
    .option('--department <id>', 'members of this department and those below it')
    .option('--tag <id|name>', 'members carrying this member tag'))
    .action(action(async (ctx, options: ListOptions) => withStore(ctx, async (db, corpId) => {
      const [{ directoryRepository }, { parseJson }, { memberTagId }] = await Promise.all([
        import('../../store/directory.repository.ts'), import('../../store/sql-kit.ts'), import('../../sync/queries.ts'),
      ]);
      const departmentId = intOption('--department', options.department);
      // An unknown tag name matches nobody (no tag has id -1), rather than being ignored.
      const tagId = options.tag === undefined ? undefined : (await memberTagId(db, corpId, options.tag)) ?? -1;
      const rows = await collect(intOption('--limit', options.limit), (offset, limit) => directoryRepository.listEmployees(db, corpId, {
        search: options.search, departmentId, tagId, includeDeleted: options.includeDeleted, offset, limit,
      }));
      const records = rows.map((r) => ({ ...r, hidden_fields: parseJson<string[]>(r.hidden_fields) ?? [], direct_leaders: parseJson<string[]>(r.direct_leaders) }));
      printRecords(records, [
        { header: 'userid', value: (r) => r.userid },
        { header: 'name', value: (r) => shown(r, 'name', r.name, ctx.lang) },
        { header: 'position', value: (r) => shown(r, 'position', r.position, ctx.lang) },
        { header: 'main_department', value: (r) => shown(r, 'main_department', r.main_department, ctx.lang) },
        { header: 'status', value: (r) => (r.status === null ? shown(r, 'status', null, ctx.lang) : label(STATUS, r.status, ctx.lang)) },
        { header: 'mobile', value: (r) => shown(r, 'mobile', r.mobile, ctx.lang) },
        { header: 'email', value: (r) => shown(r, 'email', r.email, ctx.lang) },
        ...(options.includeDeleted ? [{ header: 'deleted_at', value: (r: (typeof records)[number]) => time(r.deleted_at) }] : []),
      ], formatOf(ctx, options));
    })));

  listOptions(program.command('departments')
    .description('list departments, in WeCom\'s order')
    .option('--department <id>', 'this department and those below it'))
    .action(action(async (ctx, options: ListOptions) => withStore(ctx, async (db, corpId) => {
      const [{ directoryRepository }, { parseJson }] = await Promise.all([import('../../store/directory.repository.ts'), import('../../store/sql-kit.ts')]);
      const root = intOption('--department', options.department);
      const within = root === undefined ? undefined : new Set(await directoryRepository.departmentSubtree(db, corpId, root));
      const all = await directoryRepository.listDepartments(db, corpId, { search: options.search, includeDeleted: options.includeDeleted });
      const limit = intOption('--limit', options.limit);
      const records = all.filter((d) => !within || within.has(d.department_id)).slice(0, limit)
        .map((d) => ({ ...d, hidden_fields: parseJson<string[]>(d.hidden_fields) ?? [], leader_userids: parseJson<string[]>(d.leader_userids) }));
      printRecords(records, [
        { header: 'id', value: (d) => d.department_id },
        { header: 'name', value: (d) => shown(d, 'name', d.name, ctx.lang) },
        { header: 'parent_id', value: (d) => d.parent_id },
        { header: 'order', value: (d) => d.sort_order },
        { header: 'members', value: (d) => d.member_count },
        ...(options.includeDeleted ? [{ header: 'deleted_at', value: (d: (typeof records)[number]) => time(d.deleted_at) }] : []),
      ], formatOf(ctx, options));
    })));
}
