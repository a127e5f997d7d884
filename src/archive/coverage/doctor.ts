import type { Config } from '../../config/types.ts';
import type { ExtraChecks } from '../../doctor/doctor.ts';
import { failure, result, skipped, type CheckHead } from '../../doctor/probe.ts';
import type { CheckResult } from '../../doctor/report.ts';
import type { Text } from '../../i18n/index.ts';
import type { Store } from '../../store/index.ts';
import { clientFromConfig, type WecomClientOptions } from '../../wecom/client.ts';
import { formatTime } from '../reading/time.ts';
import { openExistingStore } from '../status/existing-store.ts';
import { coverageReport, type CoverageReport } from './report.ts';

/**
 * `doctor`'s coverage lines: members without archiving (the live permit list against the synced
 * directory), customers who refuse, groups and robots without a name (as the last `archive
 * coverage` stored them). Read-only: the store is neither created nor migrated here.
 */

const HEADS = {
  members: { id: 'archive.coverage_members', credential: 'archive', title: { zh: '会话存档：成员覆盖', en: 'Chat archive: members covered' } },
  consent: { id: 'archive.coverage_consent', credential: 'archive', title: { zh: '会话存档：客户同意', en: 'Chat archive: customer consent' } },
  names: { id: 'archive.coverage_names', credential: 'archive', title: { zh: '会话存档：群和机器人名称', en: 'Chat archive: group and robot names' } },
} satisfies Record<string, CheckHead>;

const TEXT = {
  noStore: { zh: '还没有数据库（先运行 wecom-archive sync 和 wecom-archive archive coverage）', en: 'No database yet (run wecom-archive sync, then wecom-archive archive coverage)' },
  oldStore: { zh: '数据库结构较旧（运行任一 wecom-archive 命令升级后再试）', en: 'The database schema is older (run any wecom-archive command to upgrade it, then retry)' },
  noDirectory: { zh: '通讯录尚未同步，无法比较（运行 wecom-archive sync）', en: 'The directory is not synced yet: nothing to compare with (run wecom-archive sync)' },
  allArchived: { zh: '通讯录中 {total} 名成员都开启了会话存档', en: 'All {total} members of the directory are archived' },
  someNot: { zh: '通讯录 {total} 名成员中 {count} 名未开启会话存档，他们的聊天不会被存档：{names}', en: '{count} of {total} members in the directory are not archived, their chats are not kept: {names}' },
  someNotFix: { zh: '如需存档他们的聊天，在 管理工具 → 会话内容存档 → 设置存档范围 中加入这些成员（需要存档席位）', en: 'To archive their chats, add them under Management Tools → Chat Archive → archive scope (needs archive licences)' },
  neverChecked: { zh: '尚未检查（运行 wecom-archive archive coverage）', en: 'Not checked yet (run wecom-archive archive coverage)' },
  noneRefuse: { zh: '{pairs} 个客户关系中没有客户拒绝存档（检查于 {time}）', en: 'No customer refuses archiving among {pairs} customer relations (checked {time})' },
  refuse: { zh: '{count} 个客户关系（客户对某成员或某群）拒绝存档，这些聊天不会被存档：{who}', en: '{count} customer relations (a customer towards a member or a group) refuse archiving, those chats are not kept: {who}' },
  refuseFix: { zh: '由对接的成员向客户说明用途并邀请其同意；拒绝是客户的权利，不影响其他存档', en: 'Have the member in charge explain why and invite the customer to agree; refusing is their right and affects nothing else' },
  allNamed: { zh: '{groups} 个群、{robots} 个机器人都有名称', en: 'All {groups} groups and {robots} robots have names' },
  unnamed: { zh: '{groups} 个群、{robots} 个机器人还没有名称', en: '{groups} groups and {robots} robots have no name yet' },
  unnamedFix: { zh: '运行 wecom-archive archive coverage；客户群的名称需要客户联系权限（CUSTOMER_SECRET，或把自建应用加入「可调用应用」）', en: 'Run wecom-archive archive coverage; customer group names need customer-contact access (CUSTOMER_SECRET, or the self-built app allowed to call it)' },
} satisfies Record<string, Text>;

export interface CoverageDoctorOptions {
  clientOptions?: Partial<WecomClientOptions>;
}

export function coverageDoctorChecks(options: CoverageDoctorOptions = {}): ExtraChecks {
  return async (config) => {
    if (!config.secrets.archive || !config.corpId) return [];
    const store = await openExistingStore(config);
    if (!store) return [skipped(HEADS.members, TEXT.noStore)];
    try {
      let report: CoverageReport;
      try {
        report = await coverageReport(store.db, config.corpId, 10);
      } catch {
        return [skipped(HEADS.members, TEXT.oldStore)];
      }
      return [await membersCheck(config, store, options), consentCheck(report), namesCheck(report)];
    } finally {
      await store.close();
    }
  };
}

/** The permit list as WeCom has it now, against the directory as last synced. */
async function membersCheck(config: Config, store: Store, options: CoverageDoctorOptions): Promise<CheckResult> {
  const employees = await store.db.selectFrom('employees').select(['userid', 'name'])
    .where('corp_id', '=', config.corpId!).where('deleted_at', 'is', null).orderBy('userid').execute();
  if (employees.length === 0) return skipped(HEADS.members, TEXT.noDirectory);
  const client = clientFromConfig(config, { failFastOnRateLimit: true, retryPolicy: 'interactive', ...options.clientOptions });
  let live: Set<string>;
  try {
    live = new Set((await client.call('msgaudit.getPermitUserList', {}, { credential: 'archive' })).ids ?? []);
  } catch (err) {
    return failure(HEADS.members, err);
  } finally {
    await client.close();
  }
  const missing = employees.filter((e) => !live.has(e.userid));
  const total = employees.length;
  if (missing.length === 0) return result(HEADS.members, { message: TEXT.allArchived, vars: { total } });
  const names = missing.slice(0, 10).map((e) => (e.name ? `${e.name} (${e.userid})` : e.userid)).join(', ') + (missing.length > 10 ? ' …' : '');
  return result(HEADS.members, { status: 'warn', message: TEXT.someNot, fix: TEXT.someNotFix, vars: { total, count: missing.length, names } });
}

function consentCheck(report: CoverageReport): CheckResult {
  const state = report.refreshed.consent;
  if (!state || state.at === null) return skipped(HEADS.consent, TEXT.neverChecked);
  const { current, refusing, refusingTotal } = report.consent;
  const pairs = current.Agree + current.Disagree + current.Default_Agree;
  if (refusingTotal === 0) return result(HEADS.consent, { message: TEXT.noneRefuse, vars: { pairs, time: formatTime(state.at) } });
  // Names and times only, so one text serves both languages.
  const who = refusing.slice(0, 5).map((r) => {
    const time = r.time > 0 ? ` ${formatTime(r.time)}` : '';
    return `${r.customer.name ?? r.customer.id} → ${r.party.name ?? r.party.id}${time}`;
  }).join('; ') + (refusingTotal > 5 ? ' …' : '');
  return result(HEADS.consent, { status: 'warn', message: TEXT.refuse, fix: TEXT.refuseFix, vars: { count: refusingTotal, who } });
}

function namesCheck(report: CoverageReport): CheckResult {
  const state = report.refreshed.names;
  if (!state || state.at === null) return skipped(HEADS.names, TEXT.neverChecked);
  const robots = report.names.robots.filter((r) => !r.name).length;
  const vars = { groups: report.names.unnamedTotal, robots };
  if (report.names.unnamedTotal === 0 && robots === 0) {
    return result(HEADS.names, { message: TEXT.allNamed, vars: { groups: report.names.groups, robots: report.names.robots.length } });
  }
  return result(HEADS.names, { status: 'warn', message: TEXT.unnamed, fix: TEXT.unnamedFix, vars });
}
