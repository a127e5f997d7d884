import type { Command } from 'commander';
import { RETRYABLE_STATUSES, type RetryableStatus } from '../../../archive/ingest/retry-statuses.ts';
import { stopOnSignals } from '../../../util/stop-signal.ts';
import { INGEST_TEXT, renderRetry } from '../../../archive/ingest/texts.ts';
import { t } from '../../../i18n/index.ts';
import { UserError } from '../../../util/errors.ts';
import { action } from '../../context.ts';
import { printJson } from '../../output.ts';
import { addSdkOptions, pullReporter, sessionOptions, type SdkFlags } from './pull.ts';

/**
 * `wecom-archive archive retry`: decrypts again one corp's messages stored encrypted (`--corp`, or
 * the only one configured), from their stored envelopes: missing_key (once the key is configured),
 * failed (an error code), quarantined (it crashed or hung the SDK 3 times). A message that still
 * crashes the SDK stays quarantined, with one more attempt counted; its envelope and chain link
 * never change.
 */

interface RetryFlags extends SdkFlags {
  status: string;
}

function parseStatuses(text: string): RetryableStatus[] {
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((s) => !(RETRYABLE_STATUSES as readonly string[]).includes(s));
  if (bad !== undefined || list.length === 0) {
    throw new UserError('archive_bad_option', {
      what: { zh: '--status 的值 “{value}” 无效', en: 'Invalid value "{value}" for --status' },
      fix: { zh: '可选：{allowed}（逗号分隔）', en: 'Allowed: {allowed} (comma-separated)' },
      vars: { value: bad ?? text, allowed: RETRYABLE_STATUSES.join(', ') },
    });
  }
  return list as RetryableStatus[];
}

export function registerArchiveRetry(archive: Command): void {
  addSdkOptions(archive
    .command('retry')
    .description('decrypt again one corp\'s messages stored encrypted (missing key, failed, quarantined) from their stored envelopes')
    .option('--status <list>', 'which to retry: missing_key, failed, quarantined (comma-separated)', RETRYABLE_STATUSES.join(',')))
    .action(action(async (ctx, flags: RetryFlags) => {
      const statuses = parseStatuses(flags.status);
      const session = sessionOptions(flags);
      const rt = await ctx.runtime();
      const { retryArchive } = await import('../../../services/archive.ts');
      const stop = stopOnSignals(() => process.stderr.write(`${t(INGEST_TEXT.stopping, ctx.lang)}\n`));
      try {
        const report = await retryArchive(rt, { corpId: ctx.corp, statuses, session, signal: stop.signal }, pullReporter(ctx, false));
        if (ctx.json) {
          printJson(report);
        } else {
          const lines = [renderRetry(report, ctx.lang)];
          if (report.byStatus.quarantined > 0) lines.push(t(INGEST_TEXT.stillQuarantined, ctx.lang, { count: report.byStatus.quarantined }));
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        return 0;
      } finally {
        stop.dispose();
      }
    }));
}
