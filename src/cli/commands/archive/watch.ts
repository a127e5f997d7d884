import type { Command } from 'commander';
import { sleepUnlessAborted, stopOnSignals } from '../../../archive/ingest/stop-signal.ts';
import { INGEST_TEXT } from '../../../archive/ingest/texts.ts';
import { loadConfig } from '../../../config/load.ts';
import { t } from '../../../i18n/index.ts';
import { isUserError, type UserError } from '../../../util/errors.ts';
import { formatTime } from '../../../util/time.ts';
import { action, type CliContext } from '../../context.ts';
import { intOption } from '../../int-option.ts';
import { printJson } from '../../output.ts';
import { runMediaQueue } from './media.ts';
import { addSdkOptions, openSession, progressReporter, type SdkFlags } from './pull.ts';

/**
 * `wecom-archive archive watch`: pulls until caught up, waits --interval seconds, and again, until
 * SIGINT/SIGTERM (it then finishes the page being written and exits 0). A failed cycle (network,
 * WeCom) is reported and tried again next interval; WeCom keeps 5 days, so a few failed cycles lose
 * nothing. WeCom's msgaudit_notify callback fires at most every 15 s, so intervals shorter than that
 * gain little (archive-sdk.md §5.3).
 */

interface WatchFlags extends SdkFlags {
  interval: string;
  /** false with --no-media. */
  media: boolean;
}

/** Now, as the product shows times (Asia/Shanghai). */
function clock(): string {
  return formatTime(Date.now());
}

function reportFailure(ctx: CliContext, err: UserError, interval: number): void {
  const message = err.describe(ctx.lang).what;
  process.stderr.write(`${t(INGEST_TEXT.watchError, ctx.lang, { time: clock(), message, interval })}\n`);
}

/**
 * Another watcher holds this corp's archive lease: wait, and take over when it stops (several
 * machines can run `archive watch` against one PostgreSQL; one pulls). Undefined when stopped first.
 */
async function standBy<T>(ctx: CliContext, open: () => Promise<T>, interval: number, signal: AbortSignal): Promise<T | undefined> {
  for (let told = false; !signal.aborted; told = true) {
    try {
      return await open();
    } catch (err) {
      const { ARCHIVE_BUSY } = await import('../../../archive/ingest/session.ts');
      if (!isUserError(err) || err.code !== ARCHIVE_BUSY) throw err;
      if (!told) process.stderr.write(`${t(STANDING_BY, ctx.lang, { interval })}\n`);
    }
    await sleepUnlessAborted(interval * 1000, signal);
  }
  return undefined;
}

const STANDING_BY = {
  zh: '另一个进程正在拉取该企业的会话存档；本进程待命，每 {interval} 秒检查一次，它停止后接手。',
  en: "Another process is pulling this corp's archive; standing by, checking every {interval} s, to take over when it stops.",
};

export function registerArchiveWatch(archive: Command): void {
  addSdkOptions(archive
    .command('watch')
    .description('pull the chat archive continuously, every --interval seconds, until Ctrl+C / SIGTERM')
    .option('--interval <seconds>', 'pause between pulls once caught up', '30')
    .option('--no-media', 'do not download media after each pull'))
    .action(action(async (ctx, flags: WatchFlags) => {
      const interval = intOption('--interval', flags.interval, 86_400);
      const { pullArchive } = await import('../../../archive/ingest/puller.ts');
      const config = await loadConfig({ configFile: ctx.configFile });
      const stop = stopOnSignals(() => process.stderr.write(`${t(INGEST_TEXT.stopping, ctx.lang)}\n`));
      const session = await standBy(ctx, () => openSession(ctx, config, flags), interval, stop.signal);
      if (!session) {
        stop.dispose();
        return 0;
      }
      let cycles = 0;
      let stored = 0;
      let downloaded = 0;
      try {
        while (!stop.signal.aborted) {
          try {
            const summary = await pullArchive(session, { signal: stop.signal, ...progressReporter(ctx) });
            cycles++;
            stored += summary.stored;
            // Media expire with their messages: each cycle fetches what it pulled, on the same host.
            if (flags.media && !stop.signal.aborted) {
              const media = await runMediaQueue(config, session.store, { source: session.pool, signal: stop.signal });
              downloaded += media.downloaded;
            }
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
      if (ctx.json) printJson({ ok: true, cycles, stored, mediaDownloaded: downloaded });
      else process.stdout.write(`${t(INGEST_TEXT.watchStopped, ctx.lang, { stored, cycles })}\n`);
      return 0;
    }));
}
