import type { Command } from 'commander';
import type { PullOptions, PullSummary } from '../../../archive/ingest/puller.ts';
import type { ArchiveSession, SessionOptions } from '../../../archive/ingest/session.ts';
import { stopOnSignals } from '../../../archive/ingest/stop-signal.ts';
import { INGEST_TEXT, renderKeyRetry, renderPage, renderPullSummary } from '../../../archive/ingest/texts.ts';
import { describeProblem, loadConfig } from '../../../config/load.ts';
import type { Config } from '../../../config/types.ts';
import { t } from '../../../i18n/index.ts';
import { action, type CliContext } from '../../context.ts';
import { intOption } from '../../int-option.ts';
import { printJson } from '../../output.ts';
import { printMediaSummary, runMediaQueue } from './media.ts';

/**
 * `wecom-archive archive pull`: pulls the chat archive from the stored seq cursor until caught up,
 * decrypts, parses and stores it (a page and its cursor per transaction). Progress on stderr, the
 * summary on stdout (`--json` for machines). Ctrl+C stops after the page being written.
 * The store and SDK modules are imported when a command runs, not when the command tree is built.
 */

export interface SdkFlags {
  timeout: string;
  hosts?: string;
}

export function addSdkOptions(command: Command): Command {
  return command
    .option('--timeout <seconds>', 'deadline of one SDK call; a process that hangs past it is killed and the call retried', '30')
    .option('--hosts <n>', 'decrypting SDK processes (default: one per core)');
}

export function sessionOptions(flags: SdkFlags): SessionOptions {
  return {
    timeoutMs: intOption('--timeout', flags.timeout, 3600) * 1000,
    hosts: intOption('--hosts', flags.hosts, 64),
  };
}

/** Opens the archive from the (strictly loaded) config, warning about key files. */
export async function openSession(ctx: CliContext, config: Config, flags: SdkFlags): Promise<ArchiveSession> {
  const { openArchiveSession } = await import('../../../archive/ingest/session.ts');
  const session = await openArchiveSession(config, sessionOptions(flags));
  for (const warning of session.warnings) process.stderr.write(`⚠ ${describeProblem(warning, ctx.lang)}\n`);
  return session;
}

export function progressReporter(ctx: CliContext): Pick<PullOptions, 'onPage' | 'onRetry'> {
  return {
    onPage: (page) => process.stderr.write(`${renderPage(page, ctx.lang)}\n`),
    onRetry: (retry) => process.stderr.write(`${renderKeyRetry(retry, ctx.lang)}\n`),
  };
}

export function printPullSummary(ctx: CliContext, summary: PullSummary): void {
  if (ctx.json) printJson({ ok: true, ...summary });
  else process.stdout.write(`${renderPullSummary(summary, ctx.lang).join('\n')}\n`);
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
    .description('pull the chat archive until caught up: decrypt, parse and store every message (Ctrl+C stops after the current page)')
    .option('--page-size <n>', 'messages per GetChatData call, at most 1000', '1000')
    .option('--max-pages <n>', 'stop after this many pages even if not caught up')
    .option('--no-media', 'do not download media after pulling (run `archive media` later)'))
    .action(action(async (ctx, flags: PullFlags) => {
      const pageSize = intOption('--page-size', flags.pageSize, 1000);
      const maxPages = intOption('--max-pages', flags.maxPages);
      const { pullArchive } = await import('../../../archive/ingest/puller.ts');
      const config = await loadConfig({ configFile: ctx.configFile });
      const session = await openSession(ctx, config, flags);
      const stop = stopOnSignals(() => process.stderr.write(`${t(INGEST_TEXT.stopping, ctx.lang)}\n`));
      try {
        const summary = await pullArchive(session, { pageSize, maxPages, signal: stop.signal, ...progressReporter(ctx) });
        // Media expire with their messages (5 days): fetch them now, through the pull's own SDK host.
        const media = flags.media && !stop.signal.aborted
          ? await runMediaQueue(config, session.store, { source: session.pool, signal: stop.signal })
          : undefined;
        if (ctx.json) {
          printJson({ ok: true, ...summary, media: media ?? null });
        } else {
          printPullSummary(ctx, summary);
          if (media) printMediaSummary(ctx, media);
        }
        return 0;
      } finally {
        stop.dispose();
        await session.close();
      }
    }));
}
