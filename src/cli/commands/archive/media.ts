import type { Command } from 'commander';
import { stopOnSignals } from '../../../util/stop-signal.ts';
import { MEDIA_TEXT, renderMediaSummary } from '../../../archive/media/texts.ts';
import { t } from '../../../i18n/index.ts';
import { action } from '../../context.ts';
import { intOption } from '../../int-option.ts';
import { printJson } from '../../output.ts';

/**
 * `wecom-archive archive media`: downloads the media of one corp's stored messages (`--corp`, or the
 * only one configured; `archive pull` and `watch` do this for every corp they pull), every pending
 * item, nested ones included, resuming what a stopped or crashed run left, and prints what
 * happened: downloaded, deduplicated, expired, md5 mismatches, bytes.
 */

interface MediaFlags {
  retryFailed?: boolean;
  concurrency: string;
  timeout: string;
}

export function registerArchiveMedia(archive: Command): void {
  archive
    .command('media')
    .description('download the media of one corp\'s stored messages (images, voice, video, files): resumable, verified, stored once per content')
    .option('--retry-failed', 'first put items marked failed or md5_mismatch back in the queue')
    .option('--concurrency <n>', 'items downloading at once', '2')
    .option('--timeout <seconds>', 'deadline of one SDK call; a process that hangs past it is killed and the call retried', '30')
    .action(action(async (ctx, flags: MediaFlags) => {
      const concurrency = intOption('--concurrency', flags.concurrency, 16);
      const timeoutMs = intOption('--timeout', flags.timeout, 3600) * 1000;
      const rt = await ctx.runtime();
      const { downloadMedia } = await import('../../../services/archive.ts');
      const stop = stopOnSignals(() => process.stderr.write(`${t(MEDIA_TEXT.stopping, ctx.lang)}\n`));
      try {
        const report = await downloadMedia(rt, { corpId: ctx.corp, retryFailed: flags.retryFailed, concurrency, timeoutMs, signal: stop.signal });
        if (ctx.json) printJson(report);
        else process.stdout.write(`${renderMediaSummary(report, ctx.lang).join('\n')}\n`);
        return 0;
      } finally {
        stop.dispose();
      }
    }));
}
