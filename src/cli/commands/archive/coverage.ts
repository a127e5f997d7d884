import type { Command } from 'commander';
import { action } from '../../context.ts';
import { printJson } from '../../output.ts';

/**
 * `wecom-archive archive coverage [--no-refresh] [--full] [--json]`: for one corp (`--corp`, or the
 * only one configured), asks WeCom who is archived, which customers agree, what the archive's groups
 * and robots are called, stores it, and shows it against the synced directory. Exit 1 when a part
 * could not be refreshed.
 */
export function registerArchiveCoverage(archive: Command): void {
  archive
    .command('coverage')
    .description('one corp: who is archived and who is not, customers refusing, group and robot names (refreshes from WeCom)')
    .option('--no-refresh', 'show what the last refresh stored, without calling WeCom')
    .option('--full', 'look up every group and robot name and re-read every consent message again')
    .option('--all', 'list every refusing customer and unnamed group (a terminal shows the first 20 of each)')
    .action(action(async (ctx, opts: { refresh: boolean; full?: boolean; all?: boolean }) => {
      const rt = await ctx.runtime();
      const [{ archiveCoverage }, { renderCoverage }] = await Promise.all([
        import('../../../services/archive.ts'), import('../../../archive/coverage/index.ts'),
      ]);
      const report = await archiveCoverage(rt, { corpId: ctx.corp, refresh: opts.refresh, full: opts.full, all: opts.all }, {
        onRefresh: () => ctx.info({ zh: '正在向企业微信查询存档范围、客户同意情况和群名称…', en: 'Asking WeCom for the archive scope, consent and group names…' }),
      });
      if (ctx.json) printJson(report);
      else process.stdout.write(`${renderCoverage(report.coverage, ctx.lang, report.refresh ?? undefined, opts.all ? Infinity : undefined)}\n`);
      return report.ok ? 0 : 1;
    }));
}
