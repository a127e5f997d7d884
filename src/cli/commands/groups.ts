import type { Command } from 'commander';
import { t, type Text } from '../../i18n/index.ts';
import { action } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printJson, printRecords, renderTable } from '../output.ts';
import { collect, formatOf, label, listOptions, notFound, time, withStore, type ListOptions } from './directory-queries.ts';

/** `groups [chat_id]`: every customer group, or one with its members and admins. */

const GROUP: Text = { zh: '客户群', en: 'customer group' };
const MEMBERS: Text = { zh: '群成员', en: 'Members' };
const MEMBER_TYPE: Record<number, Text> = { 1: { zh: '成员', en: 'member' }, 2: { zh: '客户', en: 'customer' } };
/** 0 normal, 1 owner resigned, 2 inheritance in progress, 3 inheritance done (wecom-api.md §3). */
const STATUS: Record<number, Text> = {
  0: { zh: '正常', en: 'normal' }, 1: { zh: '群主离职', en: 'owner left' }, 2: { zh: '继承中', en: 'being inherited' }, 3: { zh: '已继承', en: 'inherited' },
};

export function registerGroups(program: Command): void {
  listOptions(program.command('groups')
    .description('list customer groups, or show one with its members')
    .argument('[chat_id]', 'show this group (exact id)')
    .option('--follow-user <userid>', 'groups this member owns or is in'))
    .action(action(async (ctx, id: string | undefined, options: ListOptions) => withStore(ctx, async (db, corpId) => {
      const { getGroup, listGroups } = await import('../../sync/queries.ts');
      if (id !== undefined) {
        const detail = await getGroup(db, corpId, id);
        if (!detail) throw notFound(GROUP, id, ctx.lang);
        if (ctx.json) return printJson(detail);
        const g = detail.group;
        const fields: Array<[string, string | number | null]> = [
          ['chat_id', g.chat_id], ['name', g.name], ['owner', g.owner], ['admins', detail.admins.join(', ')],
          ['status', label(STATUS, g.status, ctx.lang)], ['created', time(g.create_time)], ['notice', g.notice],
          ...(g.deleted_at === null ? [] : [['deleted_at', time(g.deleted_at)] as [string, string]]),
        ];
        const members = detail.members.map((m) => [m.member_id, label(MEMBER_TYPE, m.type, ctx.lang), m.name, m.group_nickname, time(m.join_time), m.invitor]);
        process.stdout.write(`${renderTable(['field', 'value'], fields)}\n${t(MEMBERS, ctx.lang)} (${members.length})\n${renderTable(
          ['id', 'type', 'name', 'nickname', 'joined', 'invited_by'], members)}\n`);
        return;
      }
      const rows = await collect(intOption('--limit', options.limit), (offset, limit) => listGroups(db, corpId, {
        search: options.search, followUser: options.followUser, includeDeleted: options.includeDeleted, offset, limit,
      }));
      printRecords(rows, [
        { header: 'chat_id', value: (r) => r.chat_id },
        { header: 'name', value: (r) => r.name },
        { header: 'owner', value: (r) => r.owner },
        { header: 'members', value: (r) => r.members },
        { header: 'status', value: (r) => label(STATUS, r.status, ctx.lang) },
        { header: 'created', value: (r) => time(r.create_time) },
        ...(options.includeDeleted ? [{ header: 'deleted_at', value: (r: (typeof rows)[number]) => time(r.deleted_at) }] : []),
      ], formatOf(ctx, options));
    })));
}
