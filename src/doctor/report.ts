import type { Config } from '../config/types.ts';
import { t, type Lang, type Text } from '../i18n/index.ts';
import type { DoctorCheck, DoctorCorp, DoctorResult } from '../services/types/doctor.ts';
import { redactText } from '../util/redact.ts';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One line of the users' checklist, kept as Text until printed so both languages come from one run. */
export interface CheckResult {
  /** Stable id, e.g. `app.token`, `contacts.user_get`, `network.proxy`. */
  id: string;
  credential: string | null;
  status: CheckStatus;
  errcode: number | null;
  title: Text;
  message: Text;
  fix?: Text;
  vars?: Record<string, string | number>;
}

export interface DoctorReport {
  ok: boolean;
  checks: CheckResult[];
  /** Which of the guide's two set-ups fits what was found. */
  advice: Text[];
}

const ICON: Record<CheckStatus, string> = { pass: '✅', fail: '❌', warn: '⚠', skip: '·' };

const TEXT = {
  fix: { zh: '处理', en: 'Fix' },
  result: {
    zh: '结果：{pass} 项通过，{fail} 项失败，{warn} 项警告，{skip} 项跳过',
    en: 'Result: {pass} passed, {fail} failed, {warn} warnings, {skip} skipped',
  },
  corp: { zh: '企业 {corpId}（{file}）', en: 'Corp {corpId} ({file})' },
  noCorpId: { zh: '未配置 CORP_ID', en: 'no CORP_ID' },
  environment: { zh: '环境变量', en: 'environment' },
  overall: {
    zh: '共 {corps} 个企业：{failed} 个有失败项',
    en: '{corps} corps: {failed} with failures',
  },
} satisfies Record<string, Text>;

/** One corp's report in `lang`, redacted: the rows of the service's result. */
export function renderReport(
  report: DoctorReport, lang: Lang, config?: Pick<Config, 'corpId' | 'file'>,
): { corp: DoctorCorp; checks: DoctorCheck[] } {
  const corpId = config?.corpId ?? null;
  const render = (text: Text | undefined, vars?: Record<string, string | number>) => (text ? redactText(t(text, lang, vars)) : null);
  const checks = report.checks.map((check): DoctorCheck => ({
    corpId,
    id: check.id,
    credential: check.credential,
    status: check.status,
    errcode: check.errcode,
    title: render(check.title, check.vars)!,
    message: render(check.message, check.vars)!,
    fix: render(check.fix, check.vars),
  }));
  return {
    corp: { corpId, file: config?.file ?? null, ok: report.ok, counts: countByStatus(report.checks), advice: report.advice.map((a) => render(a)!) },
    checks,
  };
}

/** One corp's checklist as text (tests and single reports). */
export function reportText(report: DoctorReport, lang: Lang): string {
  const { corp, checks } = renderReport(report, lang);
  return corpText(corp, checks, lang).join('\n');
}

/** The service's result as the command prints it: per corp when several are in scope. */
export function formatDoctor(result: DoctorResult, lang: Lang): string {
  const several = result.corps.length > 1;
  const blocks = result.corps.map((corp) => {
    const lines = corpText(corp, result.checks.filter((check) => check.corpId === corp.corpId), lang);
    if (!several) return lines;
    const file = corp.file ?? t(TEXT.environment, lang);
    const heading = t(TEXT.corp, lang, { corpId: corp.corpId ?? t(TEXT.noCorpId, lang), file });
    return [`${corp.ok ? '✅' : '❌'} ${heading}`, ...lines.map((line) => (line ? `  ${line}` : line))];
  });
  const lines = blocks.flatMap((block, k) => (k ? ['', ...block] : block));
  if (several) {
    lines.push('', t(TEXT.overall, lang, { corps: result.corps.length, failed: result.corps.filter((c) => !c.ok).length }));
  }
  return redactText(lines.join('\n'));
}

function corpText(corp: DoctorCorp, checks: DoctorCheck[], lang: Lang): string[] {
  const lines: string[] = [];
  for (const check of checks) {
    const code = check.errcode !== null && check.errcode !== 0 ? ` [${check.errcode}]` : '';
    lines.push(`${ICON[check.status]} ${check.title}: ${check.message}${code}`);
    if (check.fix && (check.status === 'fail' || check.status === 'warn')) lines.push(`   ${t(TEXT.fix, lang)}: ${check.fix}`);
  }
  lines.push('');
  for (const advice of corp.advice) lines.push(`💡 ${advice}`);
  lines.push(t(TEXT.result, lang, corp.counts));
  return lines;
}

function countByStatus(checks: Array<{ status: CheckStatus }>): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const check of checks) counts[check.status] += 1;
  return counts;
}
