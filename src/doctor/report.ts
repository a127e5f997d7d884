import { t, type Lang, type Text } from '../i18n/index.ts';
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

/** The JSON shape the issue promises: `{ ok, checks: [{ id, credential, status, errcode, message, fix }] }`. */
export function reportJson(report: DoctorReport, lang: Lang): unknown {
  const render = (text: Text | undefined, vars?: Record<string, string | number>) => (text ? redactText(t(text, lang, vars)) : null);
  return {
    ok: report.ok,
    checks: report.checks.map((check) => ({
      id: check.id,
      credential: check.credential,
      status: check.status,
      errcode: check.errcode,
      title: render(check.title, check.vars),
      message: render(check.message, check.vars),
      fix: render(check.fix, check.vars),
    })),
    advice: report.advice.map((text) => render(text)),
  };
}

export function reportText(report: DoctorReport, lang: Lang): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    const code = check.errcode !== null && check.errcode !== 0 ? ` [${check.errcode}]` : '';
    lines.push(`${ICON[check.status]} ${t(check.title, lang, check.vars)}: ${t(check.message, lang, check.vars)}${code}`);
    if (check.fix && (check.status === 'fail' || check.status === 'warn')) {
      lines.push(`   ${t({ zh: '处理', en: 'Fix' }, lang)}: ${t(check.fix, lang, check.vars)}`);
    }
  }
  const counts = countByStatus(report.checks);
  lines.push('');
  for (const advice of report.advice) lines.push(`💡 ${t(advice, lang)}`);
  lines.push(t({
    zh: '结果：{pass} 项通过，{fail} 项失败，{warn} 项警告，{skip} 项跳过',
    en: 'Result: {pass} passed, {fail} failed, {warn} warnings, {skip} skipped',
  }, lang, counts));
  return redactText(lines.join('\n'));
}

function countByStatus(checks: CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const check of checks) counts[check.status] += 1;
  return counts;
}
