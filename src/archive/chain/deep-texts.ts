import { t, type Lang, type Text } from '../../i18n/index.ts';
import { MISSING_KEY_TEXT } from '../keys/keyring.ts';
import { escapeStored } from '../../util/safe-text.ts';
import type { DeepReport } from './deep-verify.ts';

/**
 * What `archive verify --deep` tells people. Mismatches name the seq, msgid and columns only: the
 * values are chat content or secrets (sdkfileid) and are never printed.
 */

export const DEEP_TEXT = {
  progress: { zh: '深度校验 {corp}：{done}/{total} 条已解密消息', en: 'Deep check {corp}: {done}/{total} decrypted message(s)' },
  ok: {
    zh: '✔ {corp}：深度校验通过，{checked} 条已解密消息重新解密后与存储内容一致',
    en: '✔ {corp}: deep check passed: {checked} decrypted message(s) decrypted again match what is stored',
  },
  chainBroken: {
    zh: '✖ {corp}：深度校验未通过：哈希链已断开（见上），重新解密所依据的信封不可信；已重新解密并比对 {checked} 条已解密消息',
    en: '✖ {corp}: deep check failed: the hash chain is broken (above), so the envelopes decrypted again cannot be trusted; {checked} decrypted message(s) decrypted again and compared',
  },
  compared: {
    zh: '  {corp}：已重新解密并比对 {checked} 条已解密消息',
    en: '  {corp}: {checked} decrypted message(s) decrypted again and compared',
  },
  skipped: {
    zh: '  跳过 {count} 条未解密保存的消息（隔离 {quarantined}，缺密钥 {missing_key}，失败 {failed}）',
    en: '  Skipped {count} message(s) stored encrypted ({quarantined} quarantined, {missing_key} missing key, {failed} failed)',
  },
  mismatches: {
    zh: '✖ {corp}：{count} 条消息的存储内容与其信封重新解密的结果不符（入库后被修改，或本版本的解析结果与入库时不同）：',
    en: '✖ {corp}: {count} message(s) differ from what their envelope decrypts to (changed after ingest, or parsed differently by this version):',
  },
  mismatch: { zh: '  seq {seq}（msgid {msgid}）：{columns}', en: '  seq {seq} (msgid {msgid}): {columns}' },
  more: { zh: '  ……另有 {count} 条未列出', en: '  … and {count} more not listed' },
  missingKey: {
    zh: '⚠ {what}该版本的 {count} 条已解密消息无法重新解密复核（不算作篡改）。',
    en: '⚠ {what} {count} decrypted message(s) of that version could not be checked again (not counted as tampering).',
  },
  fix: { zh: '  处理: {fix}', en: '  Fix: {fix}' },
  sdkFailed: {
    zh: '⚠ {corp}：{failed} 条已解密消息重新解密时返回错误、{quarantined} 条使 SDK 崩溃或卡死，未能复核（不算作篡改）；运行 `wecom-archive doctor` 检查私钥与 SDK。',
    en: '⚠ {corp}: {failed} decrypted message(s) failed to decrypt again and {quarantined} crashed or hung the SDK, so they were not checked (not counted as tampering); run `wecom-archive doctor` to check the keys and the SDK.',
  },
} satisfies Record<string, Text>;

export function renderDeepProgress(corp: string, progress: { done: number; total: number }, lang: Lang): string {
  return t(DEEP_TEXT.progress, lang, { corp, ...progress });
}

function unverifiedLines(report: DeepReport, lang: Lang): string[] {
  const lines: string[] = [];
  for (const { version, messages } of report.unverified.missingKey) {
    lines.push(t(DEEP_TEXT.missingKey, lang, { what: t(MISSING_KEY_TEXT.what, lang, { version }), count: messages }));
    lines.push(t(DEEP_TEXT.fix, lang, { fix: t(MISSING_KEY_TEXT.fix, lang, { version }) }));
  }
  const { failed, quarantined } = report.unverified;
  if (failed + quarantined > 0) lines.push(t(DEEP_TEXT.sdkFailed, lang, { corp: report.corpId, failed, quarantined }));
  return lines;
}

/**
 * The lines of one corp's deep check: the verdict, mismatches, what could not be checked, what was
 * skipped. `chainOk` false (the plain check found a break): never "passed", as the run fails.
 */
export function renderDeep(report: DeepReport, lang: Lang, chainOk = true): string[] {
  const corp = report.corpId;
  const lines: string[] = [];
  if (!chainOk && report.mismatchCount === 0) {
    lines.push(t(DEEP_TEXT.chainBroken, lang, { corp, checked: report.checked }));
  } else if (report.ok) {
    lines.push(t(DEEP_TEXT.ok, lang, { corp, checked: report.checked }));
  } else if (report.mismatchCount > 0) {
    lines.push(t(DEEP_TEXT.mismatches, lang, { corp, count: report.mismatchCount }));
    for (const m of report.mismatches) {
      lines.push(t(DEEP_TEXT.mismatch, lang, { seq: m.seq.toString(), msgid: escapeStored(m.msgid), columns: m.columns.join(', ') }));
    }
    const unlisted = report.mismatchCount - report.mismatches.length;
    if (unlisted > 0) lines.push(t(DEEP_TEXT.more, lang, { count: unlisted }));
  } else {
    lines.push(t(DEEP_TEXT.compared, lang, { corp, checked: report.checked }));
  }
  lines.push(...unverifiedLines(report, lang));
  const s = report.skipped;
  const skipped = s.quarantined + s.missing_key + s.failed;
  if (skipped > 0) lines.push(t(DEEP_TEXT.skipped, lang, { count: skipped, ...s }));
  return lines;
}
