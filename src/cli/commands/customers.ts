import type { Command } from 'commander';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { Customer, CustomerDetailResult } from '../../services/types/directory.ts';
import { action } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printJson, printList, renderTable, TABLE_WIDTH, type Column } from '../output.ts';
import { ADD_WAY, CUSTOMER_TYPE, GENDER, label } from './directory-labels.ts';
import { corpColumns, deletedColumns, formatOf, HEADER, listOptions, listQuery, time, type ListOptions } from './directory-queries.ts';

/** `customers [id]`: every customer, or one with every member following them, remarks, tags and consent. */

const TEXT = {
  field: { zh: '字段', en: 'field' },
  value: { zh: '值', en: 'value' },
  followers: { zh: '跟进成员', en: 'Followed by' },
  consent: { zh: '会话存档同意记录（最新在前）', en: 'Consent to the chat archive (newest first)' },
  noConsent: {
    zh: '（尚无记录：该客户未出现在存档中，或还未刷新。运行 wecom-archive archive coverage 向企业微信查询）',
    en: '(none yet: this customer has not appeared in the archive, or coverage was not refreshed. Run wecom-archive archive coverage to ask WeCom)',
  },
} satisfies Record<string, Text>;

const H = {
  id: { zh: '客户 ID', en: 'external_userid' },
  type: { zh: '类型', en: 'type' },
  gender: { zh: '性别', en: 'gender' },
  corpName: { zh: '所在企业', en: 'company' },
  position: { zh: '职位', en: 'position' },
  followers: { zh: '跟进成员数', en: 'followers' },
  firstSeen: { zh: '首次同步', en: 'first synced' },
  updated: { zh: '更新时间', en: 'updated' },
  userid: { zh: '成员账号', en: 'userid' },
  employee: { zh: '成员', en: 'member' },
  remark: { zh: '备注', en: 'remark' },
  description: { zh: '描述', en: 'description' },
  added: { zh: '添加时间', en: 'added' },
  addWay: { zh: '添加方式', en: 'added by' },
  tags: { zh: '标签', en: 'tags' },
} satisfies Record<string, Text>;

export function registerCustomers(program: Command): void {
  listOptions(program.command('customers')
    .description('list customers (external contacts), or show one with its followers, remarks, tags and consent to archiving')
    .argument('[external_userid]', 'show this customer (exact id)')
    .option('--follow-user <userid>', 'customers this member follows')
    .option('--department <id>', 'customers followed by a member of this department (or below)')
    .option('--tag <id|name>', 'customers carrying this corp tag'))
    .action(action(async (ctx, id: string | undefined, options: ListOptions) => {
      const query = {
        ...listQuery(ctx, options), followUser: options.followUser, department: intOption('--department', options.department), tag: options.tag,
      };
      const rt = await ctx.runtime();
      const { getCustomer, listCustomers } = await import('../../services/directory/index.ts');
      if (id !== undefined) {
        const detail = await getCustomer(rt, { corp: ctx.corp, id, includeDeleted: options.includeDeleted });
        if (ctx.json) return printJson(detail);
        return printDetail(detail, rt.corps(ctx.corp).length > 1, Boolean(options.includeDeleted), ctx.lang);
      }
      const result = await listCustomers(rt, query);
      printList({ name: 'customers', rows: result.customers, truncated: result.truncated, format: formatOf(ctx, options), lang: ctx.lang, columns: [
        ...corpColumns<Customer>(rt, ctx),
        { header: H.id, field: 'externalUserid', value: (r) => r.externalUserid, keep: true },
        { header: HEADER.name, field: 'name', value: (r) => r.name },
        { header: H.type, field: 'type', value: (r) => label(CUSTOMER_TYPE, r.type, ctx.lang) },
        { header: H.gender, field: 'gender', value: (r) => label(GENDER, r.gender, ctx.lang) },
        { header: H.corpName, field: 'corpName', value: (r) => r.corpName },
        { header: H.followers, field: 'followerCount', value: (r) => r.followerCount },
        ...deletedColumns<Customer>(options),
      ] satisfies Array<Column<Customer>> });
    }));
}

/** The customer's fields, then who follows them, then their consent history. */
async function printDetail(detail: CustomerDetailResult, showCorp: boolean, includeDeleted: boolean, lang: Lang): Promise<void> {
  const { consentCells, CONSENT_HEADERS } = await import('../../archive/coverage/index.ts');
  const c = detail.customer;
  const fields: Array<[Text, string | number | null]> = [
    ...(showCorp ? [[HEADER.corp, c.corpId] as [Text, string]] : []),
    [H.id, c.externalUserid], [HEADER.name, c.name], [H.type, label(CUSTOMER_TYPE, c.type, lang)], [H.gender, label(GENDER, c.gender, lang)],
    [H.corpName, c.corpFullName ?? c.corpName], [H.position, c.position], [{ zh: 'unionid', en: 'unionid' }, c.unionid],
    [H.firstSeen, time(c.firstSeenAt)], [H.updated, time(c.updatedAt)],
    ...(c.deletedAt === null ? [] : [[HEADER.deletedAt, time(c.deletedAt)] as [Text, string]]),
  ];
  const follows = detail.follows.map((f) => [
    f.userid, f.employeeName, f.remark, f.description, time(f.addedAt), label(ADD_WAY, f.addWay, lang),
    f.tags.map((tag) => (tag.groupName ? `${tag.groupName}/${tag.name ?? tag.tagId}` : tag.name ?? tag.tagId)).join(', '),
    ...(includeDeleted ? [time(f.deletedAt)] : []),
  ]);
  const followHeaders = [H.userid, H.employee, H.remark, H.description, H.added, H.addWay, H.tags, ...(includeDeleted ? [HEADER.deletedAt] : [])];
  // The first column (a field's name, a member's userid) is kept whole; the free text gives way.
  const table = (headers: Text[], rows: Array<Array<string | number | null>>) =>
    renderTable(headers.map((h) => t(h, lang)), rows, { maxWidth: TABLE_WIDTH, keep: [true] });
  process.stdout.write(`${table([TEXT.field, TEXT.value], fields.map(([name, value]) => [t(name, lang), value]))}\n`);
  process.stdout.write(`${t(TEXT.followers, lang)}\n${table(followHeaders, follows)}\n`);
  process.stdout.write(`${t(TEXT.consent, lang)}\n${detail.consent.length === 0 ? t(TEXT.noConsent, lang)
    : table(CONSENT_HEADERS, detail.consent.map((event) => consentCells(event, lang)))}\n`);
}
