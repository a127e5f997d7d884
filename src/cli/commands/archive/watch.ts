import type { Command } from 'commander';
import { stopOnSignals } from '../../../util/stop-signal.ts';
import { INGEST_TEXT } from '../../../archive/ingest/texts.ts';
import { t, type Text } from '../../../i18n/index.ts';
import type { WatchReporter } from '../../../services/archive.ts';
import { formatTime } from '../../../util/time.ts';
import { action, errorLines, type CliContext } from '../../context.ts';
import { intOption } from '../../int-option.ts';
import { printJson } from '../../output.ts';
import { corpHeading, corpTag, perCorpExit, printPerCorp } from './per-corp.ts';
import { addSdkOptions, pullReporter, sessionOptions, type SdkFlags } from './pull.ts';

/**
 * `wecom-archive archive watch`: the archive service's watch loop for every configured corp (or
 * `--corp`'s) at once: pull until caught up, media, wait --interval seconds, again, until SIGINT /
 * SIGTERM (it then finishes the pages being written and exits 0). A failed cycle is reported and
 * tried again next interval. WeCom's msgaudit_notify callback fires at most every 15 s, so intervals
 * shorter than that gain little (archive-sdk.md §5.3).
 */

interface WatchFlags extends SdkFlags {
  interval: string;
  /** false with --no-media. */
  media: boolean;
}

const STANDING_BY: Text = {
  zh: '另一个进程正在拉取该企业的会话存档；本进程待命，每 {interval} 秒检查一次，它停止后接手。',
  en: "Another process is pulling this corp's archive; standing by, checking every {interval} s, to take over when it stops.",
};

/** Progress on stderr, in China time (the product shows times as Asia/Shanghai). */
function watchReporter(ctx: CliContext, several: boolean, interval: number): WatchReporter {
  const line = (corpId: string, text: string) => process.stderr.write(`${corpTag(several, corpId)}${text}\n`);
  const time = () => formatTime(Date.now());
  return {
    ...pullReporter(ctx, several),
    onStandBy: (corpId) => line(corpId, t(STANDING_BY, ctx.lang, { interval })),
    onCycle: (corpId, { summary }) => line(corpId, t(INGEST_TEXT.watchCycle, ctx.lang, { time: time(), stored: summary.stored, interval })),
    onCycleFailed: (corpId, err) => line(corpId, t(INGEST_TEXT.watchError, ctx.lang, { time: time(), message: err.describe(ctx.lang).what, interval })),
    onCorpFailed: (corpId, error) => {
      if (several) process.stderr.write(`${corpHeading(corpId, ctx.lang)}\n`);
      process.stderr.write(`${errorLines(error, ctx.lang).join('\n')}\n`);
    },
  };
}

export function registerArchiveWatch(archive: Command): void {
  addSdkOptions(archive
    .command('watch')
    .description('pull the chat archive of every corp continuously, every --interval seconds, until Ctrl+C / SIGTERM')
    .option('--interval <seconds>', 'pause between pulls once caught up', '30')
    .option('--no-media', 'do not download media after each pull'))
    .action(action(async (ctx, flags: WatchFlags) => {
      const interval = intOption('--interval', flags.interval, 86_400);
      const session = sessionOptions(flags);
      const rt = await ctx.runtime();
      const several = rt.corps(ctx.corp).length > 1;
      const { watchArchives } = await import('../../../services/archive.ts');
      const stop = stopOnSignals(() => process.stderr.write(`${t(INGEST_TEXT.stopping, ctx.lang)}\n`));
      try {
        const report = await watchArchives(rt, {
          corpId: ctx.corp, intervalSeconds: interval, media: flags.media, session, signal: stop.signal, lang: ctx.lang,
        }, watchReporter(ctx, several, interval));
        if (ctx.json) printJson(report);
        // A corp that failed was explained when it did; the closing lines are the ones that ran.
        else printPerCorp(report.corps.filter((c) => !c.error), ctx.lang, (entry) => [t(INGEST_TEXT.watchStopped, ctx.lang, { stored: entry.stored, cycles: entry.cycles })], several);
        return perCorpExit(report.corps);
      } finally {
        stop.dispose();
      }
    }));
}
