import type { Command } from 'commander';
import type { RefreshOutcome } from '../../../archive/coverage/index.ts';
import { loadConfig } from '../../../config/load.ts';
import { UserError } from '../../../util/errors.ts';
import { action } from '../../context.ts';
import { printJson } from '../../output.ts';

/**
 * `wecom-archive archive coverage [--no-refresh] [--full] [--json]`: asks WeCom who is archived,
 * which customers agree, what the archive's groups and robots are called, stores it, and shows it
 * against the synced directory. Exit 1 when a part could not be refreshed.
 */
export function registerArchiveCoverage(archive: Command): void {
  archive
    .command('coverage')
    .description('who is archived and who is not, customers refusing, group and robot names (refreshes from WeCom)')
    .option('--no-refresh', 'show what the last refresh stored, without calling WeCom')
    .option('--full', 'look up every group and robot name and re-read every consent message again')
    .action(action(async (ctx, opts: { refresh: boolean; full?: boolean }) => {
      const config = await loadConfig({ configFile: ctx.configFile });
      if (opts.refresh && !config.secrets.archive) {
        throw new UserError('archive_coverage_no_secret', {
          what: { zh: '未配置 CHAT_ARCHIVE_SECRET，无法查询存档范围和客户同意情况', en: 'CHAT_ARCHIVE_SECRET is not set: the archive scope and consent cannot be queried' },
          fix: { zh: '在 管理工具 → 会话内容存档 复制 Secret 填到 CHAT_ARCHIVE_SECRET；或加 --no-refresh 只看已存的结果', en: 'Copy the Secret from Management Tools → Chat Archive into CHAT_ARCHIVE_SECRET, or add --no-refresh to show what is stored' },
        });
      }
      const [{ coverageReport, refreshCoverage, renderCoverage }, { openArchive }, { clientFromConfig }] = await Promise.all([
        import('../../../archive/coverage/index.ts'), import('../../../archive/reading/filters.ts'), import('../../../wecom/client.ts'),
      ]);
      const { store, corpId } = await openArchive(config);
      try {
        let refresh: RefreshOutcome | undefined;
        if (opts.refresh) {
          ctx.info({ zh: '正在向企业微信查询存档范围、客户同意情况和群名称…', en: 'Asking WeCom for the archive scope, consent and group names…' });
          const client = clientFromConfig(config);
          try {
            refresh = await refreshCoverage({ db: store.db, corpId, client, full: opts.full });
          } finally {
            await client.close();
          }
        }
        const report = await coverageReport(store.db, corpId);
        const ok = !refresh || Object.values(refresh).every((part) => part.ok);
        if (ctx.json) printJson({ ok, refresh: refresh ?? null, coverage: report });
        else process.stdout.write(`${renderCoverage(report, ctx.lang, refresh)}\n`);
        return ok ? 0 : 1;
      } finally {
        await store.close();
      }
    }));
}
