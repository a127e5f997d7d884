import type { Command } from 'commander';
import type { ArchiveStatus } from '../../../archive/status/status.ts';
import { loadConfig } from '../../../config/load.ts';
import { action } from '../../context.ts';
import { printJson } from '../../output.ts';

/**
 * `wecom-archive archive status [--json]`: per corp, the seq range and messages held, by status, the
 * lag behind the newest message and against WeCom's 5-day window, the last pull, and the messages
 * left encrypted (quarantined, failed with their code, key versions missing), and who is archived
 * (coverage: members on the permit list, customers' consent, names; `archive coverage` for all of it).
 */
export function registerArchiveStatus(archive: Command): void {
  archive
    .command('status')
    .description('messages held per corp, by status; lag behind WeCom and the 5-day window; last pull; quarantined messages')
    .action(action(async (ctx) => {
      const config = await loadConfig({ configFile: ctx.configFile, strict: false });
      const [{ coverageReport, coverageStatusLines }, { openStoreFor }, { renderStatus }, { archiveCorps, archiveStatus }] = await Promise.all([
        import('../../../archive/coverage/index.ts'), import('../../../archive/ingest/session.ts'),
        import('../../../archive/status/render.ts'), import('../../../archive/status/status.ts'),
      ]);
      const store = await openStoreFor(config);
      try {
        const corps = new Set(await archiveCorps(store.db));
        if (config.corpId) corps.add(config.corpId);
        const now = Date.now();
        const statuses: ArchiveStatus[] = [];
        for (const corp of [...corps].sort()) statuses.push(await archiveStatus(store.db, corp, now));
        const coverage = await Promise.all(statuses.map((s) => coverageReport(store.db, s.corpId, 20)));
        if (ctx.json) printJson({ ok: true, corps: statuses.map((s, i) => ({ ...s, coverage: coverage[i] })) });
        else process.stdout.write(`${statuses.map((s, i) => [renderStatus(s, ctx.lang), ...coverageStatusLines(coverage[i]!, ctx.lang)].join('\n')).join('\n\n')}\n`);
        return 0;
      } finally {
        await store.close();
      }
    }));
}
