import type { Command } from 'commander';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { Group, GroupDetailResult } from '../../services/types/directory.ts';
import { action } from '../context.ts';
import { printJson, printList, renderTable, TABLE_WIDTH } from '../output.ts';
import { GROUP_STATUS, label, MEMBER_TYPE } from './directory-labels.ts';
import { corpColumns, deletedColumns, formatOf, HEADER, listOptions, listQuery, time, type ListOptions } from './directory-queries.ts';

/** `groups [chat_id]`: every customer group, or one with its members and admins. */

const TEXT = {
  field: { zh: '字段', en: 'field' },
  value: { zh: '值', en: 'value' },
  members: { zh: '群成员', en: 'Members' },
} satisfies Record<string, Text>;

const H = {
  id: { zh: '群 ID', en: 'chat_id' },
  owner: { zh: '群主', en: 'owner' },
  admins: { zh: '管理员', en: 'admins' },
  members: { zh: '成员数', en: 'members' },
  created: { zh: '创建时间', en: 'created' },
  notice: { zh: '群公告', en: 'notice' },
  memberId: { zh: '成员 ID', en: 'id' },
  type: { zh: '类型', en: 'type' },
  nickname: { zh: '群昵称', en: 'nickname' },
  joined: { zh: '入群时间', en: 'joined' },
  invitor: { zh: '邀请人', en: 'invited by' },
} satisfies Record<string, Text>;

export function registerGroups(program: Command): void {
  listOptions(program.command('groups')
    .description('list customer groups, or show one with its members')
    .argument('[chat_id]', 'show this group (exact id)')
    .option('--follow-user <userid>', 'groups this member owns or is in'))
    .action(action(async (ctx, id: string | undefined, options: ListOptions) => {
      const query = { ...listQuery(ctx, options), followUser: options.followUser };
      const rt = await ctx.runtime();
      const { getGroup, listGroups } = await import('../../services/directory/index.ts');
      if (id !== undefined) {
        const detail = await getGroup(rt, { corp: ctx.corp, id });
        if (ctx.json) return printJson(detail);
        return printDetail(detail, rt.corps(ctx.corp).length > 1, ctx.lang);
      }
      const result = await listGroups(rt, query);
      printList({ name: 'groups', rows: result.groups, truncated: result.truncated, format: formatOf(ctx, options), lang: ctx.lang, columns: [
        ...corpColumns<Group>(rt, ctx),
        { header: H.id, field: 'chatId', value: (r) => r.chatId, keep: true },
        { header: HEADER.name, field: 'name', value: (r) => r.name },
        { header: H.owner, field: 'owner', value: (r) => r.owner },
        { header: H.members, field: 'memberCount', value: (r) => r.memberCount },
        { header: HEADER.status, field: 'status', value: (r) => label(GROUP_STATUS, r.status, ctx.lang) },
        { header: H.created, field: 'createdAt', value: (r) => time(r.createdAt), keep: true },
        ...deletedColumns<Group>(options),
      ] });
    }));
}

/** The group's fields, then its members. */
function printDetail(detail: GroupDetailResult, showCorp: boolean, lang: Lang): void {
  const g = detail.group;
  const fields: Array<[Text, string | number | null]> = [
    ...(showCorp ? [[HEADER.corp, g.corpId] as [Text, string]] : []),
    [H.id, g.chatId], [HEADER.name, g.name], [H.owner, g.ownerName ? `${g.ownerName} (${g.owner})` : g.owner],
    [H.admins, detail.admins.join(', ')], [HEADER.status, label(GROUP_STATUS, g.status, lang)], [H.created, time(g.createdAt)],
    [H.notice, g.notice], ...(g.deletedAt === null ? [] : [[HEADER.deletedAt, time(g.deletedAt)] as [Text, string]]),
  ];
  const members = detail.members.map((m) => [
    m.memberId, label(MEMBER_TYPE, m.type, lang), m.displayName, m.groupNickname, time(m.joinedAt), m.invitor,
  ]);
  // The first column (a field's name, a member's id) is kept whole; the free text gives way.
  const table = (headers: Text[], rows: Array<Array<string | number | null>>) =>
    renderTable(headers.map((h) => t(h, lang)), rows, { maxWidth: TABLE_WIDTH, keep: [true] });
  process.stdout.write(`${table([TEXT.field, TEXT.value], fields.map(([name, value]) => [t(name, lang), value]))}\n`);
  process.stdout.write(`${t(TEXT.members, lang)} (${members.length})\n${table(
    [H.memberId, H.type, HEADER.name, H.nickname, H.joined, H.invitor], members)}\n`);
}
