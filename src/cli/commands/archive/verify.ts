import type { Command } from 'commander';
import { describeProblem } from '../../../config/load.ts';
import { t, type Lang, type Text } from '../../../i18n/index.ts';
import type { VerifyReporter } from '../../../services/archive.ts';
import type { CorpOutcome, VerifyEntry } from '../../../services/types/archive.ts';
import { action, type CliContext } from '../../context.ts';
import { printJson } from '../../output.ts';
import { corpTag, perCorpExit, printPerCorp } from './per-corp.ts';
import { addSdkOptions, sessionOptions, type SdkFlags } from './pull.ts';

/**
 * `wecom-archive archive verify`: recomputes each corp's hash chain from the stored envelopes and
 * reports the first break (seq, msgid, expected vs stored) or OK with the count and head hash; every
 * configured corp and every corp the store holds, or `--corp`'s. Exit 1 on a break. Needs neither
 * the SDK nor the keys: the chain covers the envelopes. `--deep` also decrypts every decrypted
 * message again (each corp's keys and SDK, like a pull) and compares its stored columns: exit 1 on a
 * mismatch, 2 when some could not be decrypted again.
 */

const TEXT = {
  ok: { zh: '✔ {corp}：哈希链完整，{count} 条消息，链头 {head}', en: '✔ {corp}: hash chain intact, {count} message(s), head {head}' },
  broken: {
    zh: '✖ {corp}：哈希链在 seq {seq}（msgid {msgid}）处断开：{field} 应为 {expected}，存储值为 {stored}（自第 {position} 个字符起不同）',
    en: '✖ {corp}: hash chain broken at seq {seq} (msgid {msgid}): {field} should be {expected}, stored {stored} (differs from character {position})',
  },
  brokenNull: {
    zh: '✖ {corp}：哈希链在 seq {seq}（msgid {msgid}）处断开：{field} 应为 {expected}，存储值为空',
    en: '✖ {corp}: hash chain broken at seq {seq} (msgid {msgid}): {field} should be {expected}, nothing stored',
  },
  escaped: {
    zh: '  存储值已转义显示（不可打印的字节写作 \\xNN），字符位置从 0 起算。',
    en: '  The stored value is shown escaped (unprintable bytes as \\xNN); character positions count from 0.',
  },
  brokenWhy: {
    zh: '  该行（或其前一行）的信封字段或哈希在入库后被修改、删除或插入；此前 {count} 条校验通过。',
    en: '  This row (or the one before it) had its envelope or hash changed, removed or inserted after ingest; the {count} before it verify.',
  },
  empty: { zh: '{corp}：存档中还没有消息（先运行 `wecom-archive archive pull`）。', en: '{corp}: no messages in the archive yet (run `wecom-archive archive pull` first).' },
} satisfies Record<string, Text>;

/** At most one progress line per this interval, and the last one (a million messages is a thousand pages). */
const PROGRESS_INTERVAL_MS = 5_000;

interface VerifyFlags extends SdkFlags {
  deep?: boolean;
}

type Ran = Exclude<CorpOutcome<VerifyEntry>, { error: object }>;

function renderChain(corp: string, report: VerifyEntry, lang: Lang): string[] {
  if (report.ok && report.checked === 0) return [t(TEXT.empty, lang, { corp })];
  if (report.ok) return [t(TEXT.ok, lang, { corp, count: report.checked, head: report.headHash })];
  const b = report.firstBreak!;
  // b.msgid and b.stored come escaped from the chain check: a damaged row's bytes never reach the terminal.
  const vars = { corp, seq: b.seq.toString(), msgid: b.msgid, field: b.field, expected: b.expected, stored: b.stored ?? '', position: b.position ?? 0 };
  return [
    t(b.stored === null ? TEXT.brokenNull : TEXT.broken, lang, vars),
    t(TEXT.brokenWhy, lang, { count: report.checked - 1 }),
    ...(b.stored === null ? [] : [t(TEXT.escaped, lang)]),
  ];
}

/** Deep progress on stderr: at most one line per corp every few seconds, and its last. */
function verifyReporter(ctx: CliContext, several: boolean, renderDeepProgress: (corp: string, p: { done: number; total: number }, lang: Lang) => string): VerifyReporter {
  const printedAt = new Map<string, number>();
  return {
    onWarning: (corpId, warning) => process.stderr.write(`${corpTag(several, corpId)}⚠ ${describeProblem(warning, ctx.lang)}\n`),
    onDeepProgress(corpId, progress) {
      const now = Date.now();
      if (now - (printedAt.get(corpId) ?? 0) < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
      printedAt.set(corpId, now);
      process.stderr.write(`${renderDeepProgress(corpId, progress, ctx.lang)}\n`);
    },
  };
}

/** 1: tampering (a break, a mismatch); 2: the deep check could not decrypt some again (set-up); 0: intact. */
function exitOf(entry: Ran): number {
  if (!entry.ok || (entry.deep?.mismatchCount ?? 0) > 0) return 1;
  return entry.deep && !entry.deep.ok ? 2 : 0;
}

export function registerArchiveVerify(archive: Command): void {
  addSdkOptions(archive
    .command('verify')
    .description('recompute the hash chain over the stored envelopes of every corp; report the first break (exit 1) or OK with the head hash')
    .option('--deep', 'also decrypt every decrypted message again (keys and SDK needed) and compare its stored columns and media rows'))
    .action(action(async (ctx, flags: VerifyFlags) => {
      const session = flags.deep ? sessionOptions(flags) : undefined;
      // --deep needs the archive settings a pull needs: a broken config stops here, as for pull.
      const rt = await ctx.runtime({ strict: Boolean(flags.deep) });
      const [{ verifyArchives }, { renderDeep, renderDeepProgress }] = await Promise.all([
        import('../../../services/archive.ts'), import('../../../archive/chain/deep-texts.ts'),
      ]);
      const report = await verifyArchives(rt, { corpId: ctx.corp, deep: flags.deep, session, lang: ctx.lang },
        verifyReporter(ctx, rt.corps(ctx.corp).length > 1, renderDeepProgress));
      if (ctx.json) printJson(report);
      else printPerCorp(report.corps, ctx.lang, (entry) => [
        ...renderChain(entry.corpId, entry, ctx.lang), ...(entry.deep ? renderDeep(entry.deep, ctx.lang, entry.ok) : []),
      ], false);
      return perCorpExit(report.corps, (entry) => exitOf(entry as Ran));
    }));
}
