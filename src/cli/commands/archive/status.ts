import type { Command } from 'commander';
import { action } from '../../context.ts';
import { printJson } from '../../output.ts';
import { perCorpExit, printPerCorp } from './per-corp.ts';

/**
 * `wecom-archive archive status [--json]`: per corp (every configured corp and every corp the store
 * holds, or `--corp`'s), the seq range and messages held, by status, the lag behind the newest
 * message and against WeCom's 5-day window, the last pull, and the messages left encrypted
 * (quarantined, failed with their code, key versions missing), and who is archived (coverage:
 * members on the permit list, customers' consent, names; `archive coverage` for all of it).
 */
export function registerArchiveStatus(archive: Command): void {
  archive
    .command('status')
    .description('messages held per corp, by status; lag behind WeCom and the 5-day window; last pull; quarantined messages')
    .action(action(async (ctx) => {
      const rt = await ctx.runtime({ strict: false });
      const [{ archiveStatuses }, { renderStatus }, { coverageStatusLines }] = await Promise.all([
        // The status service alone, not the archive barrel: a status never loads the puller, SDK or HTTP client.
        import('../../../services/archive/status.ts'), import('../../../archive/status/render.ts'), import('../../../archive/coverage/index.ts'),
      ]);
      const report = await archiveStatuses(rt, { corpId: ctx.corp, lang: ctx.lang });
      if (ctx.json) printJson(report);
      // Each block opens with its corp: no extra heading.
      else printPerCorp(report.corps, ctx.lang, (entry) => [
        ...(report.corps[0] === entry ? [] : ['']), renderStatus({ ...entry }, ctx.lang), ...coverageStatusLines(entry.coverage, ctx.lang),
      ], false);
      return perCorpExit(report.corps);
    }));
}
