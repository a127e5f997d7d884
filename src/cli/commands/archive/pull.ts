import type { Command } from 'commander';
import type { SessionOptions } from '../../../archive/ingest/session.ts';
import { stopOnSignals } from '../../../util/stop-signal.ts';
import { INGEST_TEXT, renderKeyRetry, renderPage, renderPullSummary, renderStall } from '../../../archive/ingest/texts.ts';
import { renderMediaSummary } from '../../../archive/media/texts.ts';
import { describeProblem } from '../../../config/load.ts';
import { t } from '../../../i18n/index.ts';
import type { PullReporter } from '../../../services/archive.ts';
import { action, type CliContext } from '../../context.ts';
import { intOption } from '../../int-option.ts';
import { printJson } from '../../output.ts';
import { corpTag, perCorpExit, printPerCorp } from './per-corp.ts';

/**
 * `wecom-archive archive pull`: pulls the chat archive of every configured corp (or `--corp`'s),
 * each under its own lease, from its stored seq cursor until caught up, then downloads the media.
 * Progress on stderr, the summary on stdout (`--json`: `{ ok, corps: [...] }`). Ctrl+C stops after
 * the page being written. Exit 0 when every corp pulled, else the worst corp's code (2: set-up or
 * WeCom unreachable).
 */

export interface SdkFlags {
  timeout: string;
  hosts?: string;
}

export function addSdkOptions(command: Command): Command {
  return command
    .option('--timeout <seconds>', 'deadline of one SDK call; a process that hangs past it is killed and the call retried', '30')
    .option('--hosts <n>', 'decrypting SDK processes per corp (default: one per core)');
}

export function sessionOptions(flags: SdkFlags): SessionOptions {
  return {
    timeoutMs: intOption('--timeout', flags.timeout, 3600) * 1000,
    hosts: intOption('--hosts', flags.hosts, 64),
  };
}

/** Pages, key retries, key warnings and a hanging SDK on stderr, each tagged with its corp when several run. */
export function pullReporter(ctx: CliContext, several: boolean): PullReporter {
  const line = (corpId: string, text: string) => process.stderr.write(`${corpTag(several, corpId)}${text}\n`);
  return {
    onPage: (corpId, page) => line(corpId, renderPage(page, ctx.lang)),
    onRetry: (corpId, retry) => line(corpId, renderKeyRetry(retry, ctx.lang)),
    onWarning: (corpId, warning) => line(corpId, `⚠ ${describeProblem(warning, ctx.lang)}`),
    onStall: (corpId, stall) => line(corpId, `⚠ ${renderStall(stall, ctx.lang)}`),
  };
}

interface PullFlags extends SdkFlags {
  pageSize: string;
  maxPages?: string;
  /** false with --no-media. */
  media: boolean;
}

export function registerArchivePull(archive: Command): void {
  addSdkOptions(archive
    .command('pull')
    .description('pull the chat archive of every corp until caught up: decrypt, parse and store every message (Ctrl+C stops after the current page)')
    .option('--page-size <n>', 'messages per GetChatData call, at most 1000', '1000')
    .option('--max-pages <n>', 'stop after this many pages even if not caught up')
    .option('--no-media', 'do not download media after pulling (run `archive media` later)'))
    .action(action(async (ctx, flags: PullFlags) => {
      const pageSize = intOption('--page-size', flags.pageSize, 1000);
      const maxPages = intOption('--max-pages', flags.maxPages);
      const session = sessionOptions(flags);
      const rt = await ctx.runtime();
      const several = rt.corps(ctx.corp).length > 1;
      const { pullArchives } = await import('../../../services/archive.ts');
      const stop = stopOnSignals(() => process.stderr.write(`${t(INGEST_TEXT.stopping, ctx.lang)}\n`));
      try {
        const report = await pullArchives(rt, {
          corpId: ctx.corp, pageSize, maxPages, media: flags.media, session, signal: stop.signal, lang: ctx.lang,
        }, pullReporter(ctx, several));
        if (ctx.json) printJson(report);
        else printPerCorp(report.corps, ctx.lang, (entry) => [
          ...renderPullSummary({ ...entry, corpId: entry.corpId }, ctx.lang),
          ...(entry.media ? renderMediaSummary(entry.media, ctx.lang) : []),
        ]);
        return perCorpExit(report.corps);
      } finally {
        stop.dispose();
      }
    }));
}
