import type { Command } from 'commander';
import { pullArchive } from '../../../archive/ingest/puller.ts';
import { sleepUnlessAborted, stopOnSignals } from '../../../archive/ingest/stop-signal.ts';
import { INGEST_TEXT } from '../../../archive/ingest/texts.ts';
import { t } from '../../../i18n/index.ts';
import { isUserError } from '../../../util/errors.ts';
import { action, type CliContext } from '../../context.ts';
import { printJson } from '../../output.ts';
import { addSdkOptions, openSession, positiveInt, progressReporter, type SdkFlags } from './pull.ts';

/**
 * `wecom-archive archive watch`: pulls until caught up, waits --interval seconds, and again, until
 * SIGINT/SIGTERM (it then finishes the page being written and exits 0). A failed cycle (network,
 * WeCom) is reported and tried again next interval; WeCom keeps 5 days, so a few failed cycles lose
 * nothing. WeCom's msgaudit_notify callback fires at most every 15 s, so intervals shorter than that
 * gain little (archive-sdk.md §5.3).
 */

interface WatchFlags extends SdkFlags {
  interval: string;
}

function clock(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

function reportFailure(ctx: CliContext, err: unknown, interval: number): void {
  const message = isUserError(err) ? err.describe(ctx.lang).what : err instanceof Error ? err.message : String(err);
  process.stderr.write(`${t(INGEST_TEXT.watchError, ctx.lang, { time: clock(), message, interval })}\n`);
}

export function registerArchiveWatch(archive: Command): void {
  addSdkOptions(archive
    .command('watch')
    .description('pull the chat archive continuously, every --interval seconds, until Ctrl+C / SIGTERM')
    .option('--interval <seconds>', 'pause between pulls once caught up', '30'))
    .action(action(async (ctx, flags: WatchFlags) => {
      const interval = positiveInt('--interval', flags.interval, 86_400);
      const session = await openSession(ctx, flags);
      const stop = stopOnSignals(() => process.stderr.write(`${t(INGEST_TEXT.stopping, ctx.lang)}\n`));
      let cycles = 0;
      let stored = 0;
      try {
        while (!stop.signal.aborted) {
          try {
            const summary = await pullArchive(session, { signal: stop.signal, ...progressReporter(ctx) });
            cycles++;
            stored += summary.stored;
            process.stderr.write(`${t(INGEST_TEXT.watchCycle, ctx.lang, { time: clock(), stored: summary.stored, interval })}\n`);
          } catch (err) {
            // Bugs stop the watch; what WeCom or the SDK did wrong waits for the next cycle.
            if (!isUserError(err)) throw err;
            reportFailure(ctx, err, interval);
          }
          await sleepUnlessAborted(interval * 1000, stop.signal);
        }
      } finally {
        stop.dispose();
        await session.close();
      }
      if (ctx.json) printJson({ ok: true, cycles, stored });
      else process.stdout.write(`${t(INGEST_TEXT.watchStopped, ctx.lang, { stored, cycles })}\n`);
      return 0;
    }));
}
