import type { Command } from 'commander';
import { t, type Text } from '../../i18n/index.ts';
import { action } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printJson, printRecords, renderTable } from '../output.ts';
import { collect, formatOf, label, listOptions, notFound, time, withStore, type ListOptions } from './directory-queries.ts';

/** `customers [id]`: every customer, or one with every member following them, remarks and tags. */

const CUSTOMER: Text = { zh: '客户', en: 'customer' };
const TYPE: Record<number, Text> = { 1: { zh: '微信', en: 'WeChat' }, 2: { zh: '企业微信', en: 'WeCom' } };
const FOLLOWERS: Text = { zh: '跟进成员', en: 'Followed by' };
const CONSENT: Text = { zh: '会话存档同意记录（最新在前）', en: 'Consent to the chat archive (newest first)' };
const NO_CONSENT: Text = {
  zh: '（尚无记录：该客户未出现在存档中，或还未刷新。运行 wecom-archive archive coverage 向企业微信查询）',
  en: '(none yet: this customer has not appeared in the archive, or coverage was not refreshed. Run wecom-archive archive coverage to ask WeCom)',
};

export function registerCustomers(program: Command): void {
  listOptions(program.command('customers')
    .description('list customers (external contacts), or show one with its followers, remarks, tags and consent to archiving')
    .argument('[external_userid]', 'show this customer (exact id)')
    .option('--follow-user <userid>', 'customers this member follows')
    .option('--department <id>', 'customers followed by a member of this department (or below)')
    .option('--tag <id|name>', 'customers carrying this corp tag'))
    .action(action(async (ctx, id: string | undefined, options: ListOptions) => withStore(ctx, async (db, corpId) => {
      const { corpTagIds, getCustomer, listCustomers } = await import('../../sync/queries.ts');
      if (id !== undefined) {
        const detail = await getCustomer(db, corpId, id, { includeDeleted: options.includeDeleted });
        if (!detail) throw notFound(CUSTOMER, id, ctx.lang);
        const { consentHistory, consentCells, CONSENT_HEADERS } = await import('../../archive/coverage/index.ts');
        const consent = await consentHistory(db, corpId, id);
        if (ctx.json) return printJson({ ...detail, consent });
        const c = detail.customer;
        const fields: Array<[string, string | number | null]> = [
          ['external_userid', c.external_userid], ['name', c.name], ['type', label(TYPE, c.type, ctx.lang)],
          ['corp_name', c.corp_name], ['position', c.position], ['unionid', c.unionid], ['first_seen_at', time(c.first_seen_at)],
          ['updated_at', time(c.updated_at)], ...(c.deleted_at === null ? [] : [['deleted_at', time(c.deleted_at)] as [string, string]]),
        ];
        const follows = detail.follows.map((f) => [f.userid, f.employee_name, f.remark, f.description, time(f.createtime), f.add_way,
          f.tags.map((tag) => (tag.group_name ? `${tag.group_name}/${tag.name ?? tag.tag_id}` : tag.name ?? tag.tag_id)).join(', '),
          ...(options.includeDeleted ? [time(f.deleted_at)] : [])]);
        process.stdout.write(`${renderTable(['field', 'value'], fields)}\n${t(FOLLOWERS, ctx.lang)}\n${renderTable(
          ['userid', 'name', 'remark', 'description', 'added', 'add_way', 'tags', ...(options.includeDeleted ? ['deleted_at'] : [])], follows)}\n`);
        process.stdout.write(`${t(CONSENT, ctx.lang)}\n${consent.length === 0 ? t(NO_CONSENT, ctx.lang)
          : renderTable(CONSENT_HEADERS.map((h) => t(h, ctx.lang)), consent.map((event) => consentCells(event, ctx.lang)))}\n`);
        return;
      }
      const departmentId = intOption('--department', options.department);
      const tagIds = options.tag === undefined ? undefined : await corpTagIds(db, corpId, options.tag);
      const rows = await collect(intOption('--limit', options.limit), (offset, limit) => listCustomers(db, corpId, {
        search: options.search, followUser: options.followUser, tagIds, departmentId, includeDeleted: options.includeDeleted, offset, limit,
      }));
      printRecords(rows, [
        { header: 'external_userid', value: (r) => r.external_userid },
        { header: 'name', value: (r) => r.name },
        { header: 'type', value: (r) => label(TYPE, r.type, ctx.lang) },
        { header: 'corp_name', value: (r) => r.corp_name },
        { header: 'followers', value: (r) => r.followers },
        ...(options.includeDeleted ? [{ header: 'deleted_at', value: (r: (typeof rows)[number]) => time(r.deleted_at) }] : []),
      ], formatOf(ctx, options));
    })));
}
