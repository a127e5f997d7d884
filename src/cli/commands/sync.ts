import type { Command } from 'commander';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import { stopOnSignals } from '../../util/stop-signal.ts';
import { INTERNAL_ERROR } from '../../services/archive/per-corp.ts';
import type { CorpSyncSummary } from '../../services/types/sync.ts';
import type { EntityName } from '../../store/entities.ts';
import { ENTITY_LABELS, SCOPE_LABELS } from '../../sync/labels.ts';
// From its own small module, not services/sync.ts, which this command loads only when it runs.
import { SYNC_INTERRUPTED } from '../../sync/interrupt.ts';
import { SYNC_BUSY, SYNC_SCOPES, type SyncScope } from '../../sync/progress.ts';
import { UserError } from '../../util/errors.ts';
import { ERRCODE } from '../../wecom/errcodes.ts';
import { corpHeading, worstExit } from './archive/per-corp.ts';
import { action, errorLines, type CliContext } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printJson, renderTable } from '../output.ts';

/**
 * `sync [directory|customers|groups|all]`: copies the directory, customers and customer groups of
 * every configured corp (or `--corp`'s), each under its own leases, into the store, resuming where a
 * killed run stopped. Progress on stderr, the summary on stdout (`--json`: `{ ok, corps: [...], notStarted }`).
 * Exit 0 when every corp synced; else the worst corp's: 1 when a part failed, 2 when nothing could be
 * synced for a set-up reason (WeCom unreachable, a wrong secret: as `call` and `archive pull`).
 * Ctrl+C stops at the next page, everything written kept: exit 130, and the next sync resumes.
 */

const TEXT = {
  finished: { zh: '同步完成，用时 {seconds} 秒', en: 'Sync finished in {seconds} s' },
  partial: { zh: '同步部分完成（{seconds} 秒），有 {count} 个错误', en: 'Sync partly done ({seconds} s) with {count} error(s)' },
  failed: { zh: '同步失败（{seconds} 秒）', en: 'Sync failed ({seconds} s)' },
  interrupted: { zh: '同步已中断（{seconds} 秒）：已写入的部分都已保存，再次运行 sync 即从中断处继续', en: 'Sync interrupted ({seconds} s): what was written is kept; run sync again to resume where it stopped' },
  notStarted: { zh: '已中断，未开始同步：{corps}（再次运行 sync 即可）', en: 'Interrupted before syncing: {corps} (run sync again)' },
  stopping: { zh: '收到停止信号：写完当前页后退出…（再按一次 Ctrl+C 立即退出，下次同步同样可以继续）', en: 'Stop requested: finishing the current page… (Ctrl+C again exits at once; the next sync still resumes)' },
  resumed: { zh: '接续上次中断的同步：{scopes}', en: 'Resumed the interrupted sync of: {scopes}' },
  requests: { zh: '请求 {total} 次（频率限制 45009：{e45009} 次，并发限制 45033：{e45033} 次，均已自动重试）', en: '{total} requests (45009 rate limit: {e45009}, 45033 concurrency limit: {e45033}, retried automatically)' },
  skipped: { zh: '已跳过（没有可读取它们的凭据）：{parts}', en: 'Skipped (no configured credential can read them): {parts}' },
  itemError: { zh: '  - {message}', en: '  - {message}' },
  entity: { zh: '数据', en: 'Entity' },
  inserted: { zh: '新增', en: 'Inserted' },
  updated: { zh: '更新', en: 'Updated' },
  unchanged: { zh: '未变', en: 'Unchanged' },
  deleted: { zh: '标记删除', en: 'Deleted' },
  badScope: { zh: '未知的同步范围：{scope}', en: 'Unknown sync scope: {scope}' },
  badScopeFix: { zh: '可用：directory、customers、groups 或 all（默认）', en: 'Use directory, customers, groups or all (the default)' },
} satisfies Record<string, Text>;

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('copy the directory, customers and customer groups of every corp into the store (resumes an interrupted run)')
    .argument('[scope]', 'directory | customers | groups | all', 'all')
    .option('--rows-per-commit <n>', 'commit at least every n records (smaller loses less work to a crash; larger is faster on SQLite)')
    .action(action(async (ctx, scope: string, options: { rowsPerCommit?: string }) => {
      const scopes = parseScope(scope);
      const rowsPerCommit = intOption('--rows-per-commit', options.rowsPerCommit);
      const rt = await ctx.runtime();
      const several = rt.corps(ctx.corp).length > 1;
      const [{ syncCorps }, { terminalProgress }] = await Promise.all([import('../../services/sync.ts'), import('../../sync/progress-terminal.ts')]);
      const stop = stopOnSignals(() => process.stderr.write(`\n${t(TEXT.stopping, ctx.lang)}\n`));
      const report = await syncCorps(rt, { corpId: ctx.corp, scopes, rowsPerCommit, lang: ctx.lang, signal: stop.signal }, {
        progress: (corpId) => {
          if (several) process.stderr.write(`${corpHeading(corpId, ctx.lang)}\n`);
          return terminalProgress(ctx.lang);
        },
      }).finally(() => stop.dispose());
      if (ctx.json) printJson(report);
      else report.corps.forEach((corp, i) => printSummary(corp, ctx, several, i));
      // Stopped before some corps began: they are not synced, and the exit says it was interrupted.
      if (report.notStarted.length > 0) {
        if (!ctx.json) process.stderr.write(`${t(TEXT.notStarted, ctx.lang, { corps: report.notStarted.join(', ') })}\n`);
        return 130;
      }
      return worstExit(report.corps.map(exitOf));
    }));
}

/**
 * 1 when part of the run failed; 2 when all of it did for set-up reasons (as `call` exits) or a stream
 * was refused because another process syncs it (as a busy `archive pull`), 70 for a bug.
 */
const isStorageCode = (code: string) => code.startsWith('storage_');

function exitOf(corp: CorpSyncSummary): number {
  if (corp.run.status === 'succeeded') return 0;
  if (interrupted(corp)) return 130;
  // A busy stream and a storage failure (disk full, read-only, damaged) are set-up causes: 2.
  if (corp.run.status === 'partial') return corp.failures.some((f) => f.code === SYNC_BUSY || isStorageCode(f.code)) ? 2 : 1;
  return corp.failures.some((f) => f.code === INTERNAL_ERROR) ? 70 : 2;
}

function interrupted(corp: CorpSyncSummary): boolean {
  return corp.failures.some((f) => f.code === SYNC_INTERRUPTED);
}

function parseScope(scope: string): SyncScope[] {
  if (scope === 'all') return [...SYNC_SCOPES];
  if ((SYNC_SCOPES as readonly string[]).includes(scope)) return [scope as SyncScope];
  throw new UserError('sync_bad_scope', { what: TEXT.badScope, fix: TEXT.badScopeFix, vars: { scope } });
}

/** Scopes and entities in words; a note after the name (`member_tags (errcode 48002)`) stays as it is. */
function scopeNames(parts: readonly string[], lang: Lang): string {
  const label = (name: string) => SCOPE_LABELS[name as SyncScope] ?? ENTITY_LABELS[name as EntityName];
  return parts.map((part) => part.replace(/^\w+/, (name) => (label(name) ? t(label(name)!, lang) : name))).join(lang === 'zh' ? '、' : ', ');
}

function printSummary(summary: CorpSyncSummary, ctx: CliContext, several: boolean, index: number): void {
  const lang: Lang = ctx.lang;
  const seconds = (summary.run.durationMs / 1000).toFixed(1);
  const status = summary.run.status;
  const out: string[] = several ? [...(index > 0 ? [''] : []), corpHeading(summary.corpId, lang)] : [];
  const headline = status === 'succeeded' ? TEXT.finished : interrupted(summary) ? TEXT.interrupted : status === 'partial' ? TEXT.partial : TEXT.failed;
  out.push(`${status === 'succeeded' ? '✔' : '✖'} ${t(headline, lang, { seconds, count: summary.errors.length })}`);
  if (summary.run.resumed.length > 0) out.push(t(TEXT.resumed, lang, { scopes: scopeNames(summary.run.resumed, lang) }));
  const rows = Object.entries(summary.entities).map(([entity, c]) => [scopeNames([entity], lang), c.inserted, c.updated, c.unchanged, c.deleted]);
  if (rows.length > 0) {
    out.push(renderTable([TEXT.entity, TEXT.inserted, TEXT.updated, TEXT.unchanged, TEXT.deleted].map((h) => t(h, lang)), rows));
  }
  out.push(t(TEXT.requests, lang, {
    total: summary.requests.total, e45009: summary.errcodes[ERRCODE.RATE_LIMITED] ?? 0, e45033: summary.errcodes[ERRCODE.CONCURRENCY_LIMITED] ?? 0,
  }));
  if (summary.skipped.length > 0) out.push(t(TEXT.skipped, lang, { parts: scopeNames(summary.skipped, lang) }));
  process.stdout.write(`${out.join('\n')}\n`);
  // Whole streams that stopped: explained like any error, each distinct one once.
  for (const failure of summary.failures) process.stderr.write(`${errorLines(failure, lang).join('\n')}\n`);
  // Single records WeCom refused (a group it will not show): listed briefly.
  const stray = summary.errors.filter((e) => e.context?.stream === undefined);
  for (const error of stray.slice(0, 10)) process.stderr.write(`${t(TEXT.itemError, lang, { message: error.message })}\n`);
}
