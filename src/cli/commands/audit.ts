import type { Command } from 'commander';
import { t, type Text } from '../../i18n/index.ts';
import { formatTime } from '../../util/time.ts';
import { action } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printJson, renderTable, TABLE_WIDTH } from '../output.ts';

const TEXT = {
  none: { zh: '没有符合条件的审计记录', en: 'No audit rows match' },
  more: { zh: '（还有更早的记录：加 --limit 或 --before {id}）', en: '(older rows exist: raise --limit or use --before {id})' },
  good: { zh: '审计日志的哈希链完好：{rows} 条记录', en: 'The audit log\'s hash chain is intact: {rows} rows' },
  broken: { zh: '审计日志的哈希链在第 {id} 条处断开（{reason}）：记录被修改、删除或插入过', en: 'The audit log\'s hash chain breaks at row {id} ({reason}): rows were changed, removed or inserted' },
} satisfies Record<string, Text>;

const H = {
  id: { zh: '序号', en: 'id' }, at: { zh: '时间', en: 'time' }, actor: { zh: '操作者', en: 'actor' }, action: { zh: '操作', en: 'action' },
  target: { zh: '对象', en: 'target' }, purpose: { zh: '目的', en: 'purpose' }, result: { zh: '结果', en: 'result' }, ip: { zh: 'IP', en: 'IP' },
} satisfies Record<string, Text>;

interface AuditOptions { actor?: string; action?: string; result?: string; target?: string; from?: string; to?: string; before?: string; limit?: string }

/** `wecom-archive audit [verify]`: the audit log (who read or changed what), and its hash chain. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit')
    .description('list the audit log, newest first, with filters')
    .option('--actor <who>', 'user:<name>, token:<name> or operator')
    .option('--action <action>', 'login, conversation.view, search, media.open, export, user.*, token.*…')
    .option('--result <result>', 'ok, denied, failed, locked, purpose_required…')
    .option('--target <target>', 'what was acted on')
    .option('--from <time>', 'from this China time (2026-11-20 or 2026-11-20 14:00)')
    .option('--to <time>', 'until this China time (a date includes its whole day)')
    .option('--before <id>', 'rows older than this id')
    .option('--limit <n>', 'at most this many rows (default 100)')
    .action(action(async (ctx, opts: AuditOptions) => {
      const { listAudit } = await import('../../services/audit.ts');
      const result = await listAudit(await ctx.runtime(), {
        ...opts, before: intOption('--before', opts.before), limit: intOption('--limit', opts.limit, 10_000),
      });
      if (ctx.json) return printJson(result);
      if (result.rows.length === 0) return ctx.info(TEXT.none);
      const headers = [H.id, H.at, H.actor, H.action, H.target, H.purpose, H.result, H.ip].map((h) => t(h, ctx.lang));
      const rows = result.rows.map((r) => [String(r.id), formatTime(r.at), r.actor, r.action, r.target ?? '', r.purpose ?? '', r.result, r.ip ?? '']);
      process.stdout.write(`${renderTable(headers, rows, { maxWidth: TABLE_WIDTH, keep: [true, true] })}\n`);
      if (result.truncated) ctx.info(TEXT.more, { id: result.rows[result.rows.length - 1]!.id });
    }));

  audit.command('verify')
    .description('check the audit log\'s hash chain (exit 1 when it is broken)')
    .action(action(async (ctx) => {
      const { verifyAudit } = await import('../../services/audit.ts');
      const report = await verifyAudit(await ctx.runtime());
      if (ctx.json) printJson(report);
      else if (report.broken) ctx.info(TEXT.broken, { id: report.broken.id, reason: report.broken.reason });
      else ctx.info(TEXT.good, { rows: report.rows });
      return report.ok ? 0 : 1;
    }));
}
