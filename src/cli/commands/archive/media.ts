import type { Command } from 'commander';
import { stopOnSignals } from '../../../archive/ingest/stop-signal.ts';
import type { MediaSource, MediaSummary } from '../../../archive/media/index.ts';
import { MEDIA_TEXT, renderMediaSummary } from '../../../archive/media/texts.ts';
import { loadConfig } from '../../../config/load.ts';
import type { Config } from '../../../config/types.ts';
import { t } from '../../../i18n/index.ts';
import type { Store } from '../../../store/index.ts';
import { action, type CliContext } from '../../context.ts';
import { printJson } from '../../output.ts';
import { intOption } from '../../int-option.ts';

/**
 * `wecom-archive archive media`: downloads the media of stored messages (every pending item,
 * nested ones included), resuming what a stopped or crashed run left, and prints what happened:
 * downloaded, deduplicated, expired, md5 mismatches, bytes. `archive pull` runs the same queue.
 */

interface MediaFlags {
  retryFailed?: boolean;
  concurrency: string;
  timeout: string;
}

export interface MediaRunOptions {
  retryFailed?: boolean;
  concurrency?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** An SDK pool already running (`archive pull` passes its own); else one starts if anything is pending. */
  source?: MediaSource;
}

/** Runs the queue for the config's corp. */
export async function runMediaQueue(config: Config, store: Store, options: MediaRunOptions = {}): Promise<MediaSummary> {
  const [{ archiveSettings, startPool }, { downloadPendingMedia }, { lazyMediaSource }] = await Promise.all([
    import('../../../archive/ingest/session.ts'), import('../../../archive/media/index.ts'), import('../../../archive/media/source.ts'),
  ]);
  const { corpId } = archiveSettings(config);
  // One decrypt host is the least a pool runs; media uses only its io host.
  const own = options.source ? undefined : lazyMediaSource(() => startPool(config, undefined, { hosts: 1, timeoutMs: options.timeoutMs }));
  try {
    return await downloadPendingMedia({
      db: store.db, corpId, dataDir: config.dataDir, source: options.source ?? own!, retryFailed: options.retryFailed,
      concurrency: options.concurrency, signal: options.signal,
    });
  } finally {
    await own?.close();
  }
}

export function printMediaSummary(ctx: CliContext, summary: MediaSummary): void {
  if (ctx.json) printJson({ ok: true, ...summary });
  else process.stdout.write(`${renderMediaSummary(summary, ctx.lang).join('\n')}\n`);
}

export function registerArchiveMedia(archive: Command): void {
  archive
    .command('media')
    .description('download the media of stored messages (images, voice, video, files): resumable, verified, stored once per content')
    .option('--retry-failed', 'first put items marked failed or md5_mismatch back in the queue')
    .option('--concurrency <n>', 'items downloading at once', '2')
    .option('--timeout <seconds>', 'deadline of one SDK call; a process that hangs past it is killed and the call retried', '30')
    .action(action(async (ctx, flags: MediaFlags) => {
      const concurrency = intOption('--concurrency', flags.concurrency, 16);
      const timeoutMs = intOption('--timeout', flags.timeout, 3600) * 1000;
      const config = await loadConfig({ configFile: ctx.configFile });
      const { archiveSettings, openStoreFor } = await import('../../../archive/ingest/session.ts');
      archiveSettings(config);
      const store = await openStoreFor(config);
      const stop = stopOnSignals(() => process.stderr.write(`${t(MEDIA_TEXT.stopping, ctx.lang)}\n`));
      try {
        const summary = await runMediaQueue(config, store, { retryFailed: flags.retryFailed, concurrency, timeoutMs, signal: stop.signal });
        printMediaSummary(ctx, summary);
        return 0;
      } finally {
        stop.dispose();
        await store.close();
      }
    }));
}
