import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { ConsentStatus, CoveragePart } from '../../store/archive-coverage.table.ts';
import { partyLabel, roomLabel } from '../reading/names.ts';
import { formatTime } from '../reading/time.ts';
import type { RefreshOutcome } from './refresh.ts';
import type { ConsentEvent, CoverageReport, RefusingCustomer } from './report.ts';

/** The coverage for people: a full page (`archive coverage`) and a short summary (`archive status`). */

const TEXT = {
  title: { zh: '会话存档覆盖情况（企业 {corp}）', en: 'Chat archive coverage (corp {corp})' },
  never: { zh: '尚未刷新（运行 wecom-archive archive coverage）', en: 'never refreshed (run wecom-archive archive coverage)' },
  at: { zh: '刷新于 {time}', en: 'refreshed {time}' },
  failed: { zh: '上次刷新失败：{error}', en: 'last refresh failed: {error}' },
  members: { zh: '存档成员（{state}）：通讯录 {directory} 人中 {archived} 人开启了会话存档；存档名单共 {permitted} 人', en: 'Archived members ({state}): {archived} of {directory} members in the directory are archived; {permitted} on the permit list' },
  notArchived: { zh: '  未开启存档（{count}）：{names}', en: '  Not archived ({count}): {names}' },
  unknown: { zh: '  在存档名单中但不在通讯录（{count}）：{ids}', en: '  On the permit list but not in the directory ({count}): {ids}' },
  consent: { zh: '客户同意（{state}）：同意 {Agree}，默认同意 {Default_Agree}，拒绝 {Disagree}；存档中的同意/拒绝消息 {messages} 条', en: 'Customer consent ({state}): {Agree} agree, {Default_Agree} agree by default, {Disagree} refuse; {messages} agree/disagree messages in the archive' },
  refusing: { zh: '  拒绝存档：{customer} 对 {party}，{time}（{source}）', en: '  Refuses: {customer} towards {party}, {time} ({source})' },
  more: { zh: '  …另有 {count} 项', en: '  …and {count} more' },
  moreAll: { zh: '  …另有 {count} 项（加 --all 查看全部）', en: '  …and {count} more (add --all to see them all)' },
  names: { zh: '群与机器人（{state}）：群 {groups} 个（内部群 {internal}，客户群 {customer}，未识别 {other}），未命名 {unnamed}；机器人 {robots} 个', en: 'Groups and robots ({state}): {groups} groups ({internal} internal, {customer} customer, {other} not identified), {unnamed} unnamed; {robots} robots' },
  unnamedRoom: { zh: '  未命名：{room}{why}', en: '  Unnamed: {room}{why}' },
  robot: { zh: '  机器人：{name}（{id}）', en: '  Robot: {name} ({id})' },
  skipped: { zh: '  已跳过：{item}', en: '  Skipped: {item}' },
  partFailed: { zh: '⚠ 刷新{part}失败：{error}', en: '⚠ Refreshing {part} failed: {error}' },
  api: { zh: '企业微信接口', en: 'WeCom API' },
  message: { zh: '存档消息', en: 'archived message' },
  callback: { zh: '企业微信回调', en: 'WeCom callback' },
  noTime: { zh: '时间未知', en: 'time unknown' },
} satisfies Record<string, Text>;

const PART: Record<CoveragePart, Text> = {
  permits: { zh: '存档成员', en: 'the permit list' },
  consent: { zh: '客户同意', en: 'consent' },
  names: { zh: '群和机器人名称', en: 'group and robot names' },
};

const STATUS: Record<ConsentStatus, Text> = {
  Agree: { zh: '同意', en: 'agrees' },
  Disagree: { zh: '拒绝', en: 'refuses' },
  Default_Agree: { zh: '默认同意', en: 'agrees by default' },
};

/** Rows of each list a terminal shows unless `--all`. */
const COVERAGE_SHOWN = 20;

/** `shown`: rows per list (every row the report holds with `--all`); a cut list says how to see the rest. */
export function renderCoverage(report: CoverageReport, lang: Lang, refresh?: RefreshOutcome, shown = COVERAGE_SHOWN): string {
  const more = (count: number) => t(TEXT.moreAll, lang, { count });
  const lines = [t(TEXT.title, lang, { corp: report.corpId })];
  if (refresh) {
    for (const part of ['permits', 'names', 'consent'] as const) {
      const outcome = refresh[part];
      if (!outcome.ok) lines.push(t(TEXT.partFailed, lang, { part: t(PART[part], lang), error: outcome.error ?? '' }));
    }
  }
  lines.push(...summaryLines(report, lang));
  const { permits, consent, names } = report;
  if (permits.notArchived.length) {
    lines.push(t(TEXT.notArchived, lang, { count: permits.notArchived.length, names: list(permits.notArchived.map((p) => `${p.name ?? p.id} (${p.id})`), lang, shown) }));
  }
  if (permits.unknown.length) lines.push(t(TEXT.unknown, lang, { count: permits.unknown.length, ids: list(permits.unknown, lang, shown) }));
  for (const refusal of consent.refusing.slice(0, shown)) lines.push(refusalLine(refusal, lang));
  if (consent.refusingTotal > shown) lines.push(more(consent.refusingTotal - shown));
  for (const { room, error } of names.unnamed.slice(0, shown)) {
    lines.push(t(TEXT.unnamedRoom, lang, { room: room.roomid, why: error ? ` — ${error}` : '' }));
  }
  if (names.unnamedTotal > shown) lines.push(more(names.unnamedTotal - shown));
  for (const robot of names.robots) lines.push(t(TEXT.robot, lang, { name: robot.name ?? robot.error ?? '?', id: robot.id }));
  const skipped = refresh ? Object.values(refresh).flatMap((p) => p.skipped) : [];
  for (const item of skipped.slice(0, shown)) lines.push(t(TEXT.skipped, lang, { item }));
  if (skipped.length > shown) lines.push(more(skipped.length - shown));
  return lines.join('\n');
}

/** Three lines: members, consent, names, each with when it was refreshed. */
export function summaryLines(report: CoverageReport, lang: Lang): string[] {
  const { permits, consent, names } = report;
  return [
    t(TEXT.members, lang, { state: stateOf(report, 'permits', lang), directory: permits.directory, archived: permits.archived, permitted: permits.permitted }),
    t(TEXT.consent, lang, { state: stateOf(report, 'consent', lang), ...consent.current, messages: consent.fromMessages }),
    t(TEXT.names, lang, {
      state: stateOf(report, 'names', lang), groups: names.groups, internal: names.byType.internal, customer: names.byType.customer,
      other: names.byType.unknown + names.byType.unresolved, unnamed: names.unnamedTotal, robots: names.robots.length,
    }),
  ];
}

/** `archive status`: the summary, and the latest refusals (the full list is `archive coverage`). */
export function statusLines(report: CoverageReport, lang: Lang): string[] {
  const lines = summaryLines(report, lang);
  for (const refusal of report.consent.refusing.slice(0, 5)) lines.push(refusalLine(refusal, lang));
  if (report.consent.refusingTotal > 5) lines.push(t(TEXT.more, lang, { count: report.consent.refusingTotal - 5 }));
  return lines;
}

/** Column names of consentCells, for a table on the customer's record (`customers <id>`). */
export const CONSENT_HEADERS: Text[] = [
  { zh: '对象', en: 'towards' }, { zh: '状态', en: 'status' }, { zh: '时间', en: 'since' },
  { zh: '来源', en: 'source' }, { zh: '最近确认', en: 'last checked' },
];

/** One consent event as table cells: towards whom, the status, its time, where it was seen, when confirmed. */
export function consentCells(event: ConsentEvent, lang: Lang): string[] {
  return [
    partyOf(event.party, lang), t(STATUS[event.status], lang), event.time > 0 ? formatTime(event.time) : t(TEXT.noTime, lang),
    t(TEXT[event.source], lang), formatTime(event.checkedAt),
  ];
}

function partyOf(party: ConsentEvent['party'], lang: Lang): string {
  return party.kind === 'room'
    ? roomLabel({ roomid: party.id, name: party.name, type: 'customer' }, lang)
    : partyLabel({ id: party.id, kind: 'employee', name: party.name }, lang);
}

export function refusalLine(refusal: RefusingCustomer, lang: Lang): string {
  return t(TEXT.refusing, lang, {
    customer: partyLabel(refusal.customer, lang), party: partyOf(refusal.party, lang),
    time: refusal.time > 0 ? formatTime(refusal.time) : t(TEXT.noTime, lang), source: t(TEXT[refusal.source], lang),
  });
}

function stateOf(report: CoverageReport, part: CoveragePart, lang: Lang): string {
  const state = report.refreshed[part];
  if (!state || (state.at === null && !state.error)) return t(TEXT.never, lang);
  const parts = [];
  if (state.at !== null) parts.push(t(TEXT.at, lang, { time: formatTime(state.at) }));
  if (state.error) parts.push(t(TEXT.failed, lang, { error: state.error }));
  return parts.join(lang === 'zh' ? '；' : '; ');
}

function list(items: string[], lang: Lang, shown: number): string {
  const head = items.slice(0, shown).join(lang === 'zh' ? '、' : ', ');
  return items.length > shown ? `${head}${t(TEXT.moreAll, lang, { count: items.length - shown })}` : head;
}
