import type { Command } from 'commander';
import { stopOnSignals } from '../../util/stop-signal.ts';
import { t, type Text } from '../../i18n/index.ts';
import { action } from '../context.ts';
import { printJson } from '../output.ts';

/**
 * `wecom-archive worker`: runs the background jobs (scheduled sync, archive polls with their media,
 * the callbacks' inbox) on PostgreSQL until SIGTERM / SIGINT, then finishes the running jobs,
 * releases their leases and exits 0. Any number run side by side, and beside `serve`, coordinated
 * by pg-boss in the same database. On SQLite `serve` runs the jobs itself, so a worker is refused.
 * Logs: JSON lines (pino) on stdout, plain lines on a terminal. `--once`: what is due runs once.
 */

const TEXT = {
  inbox: { zh: '回调事件：应用 {applied} 个，失败 {failed} 个，搁置 {parked} 个', en: 'Callback events: {applied} applied, {failed} failed, {parked} parked' },
  synced: { zh: '已同步：{corps}', en: 'Synced: {corps}' },
  pulled: { zh: '已拉取会话存档：{corps}', en: 'Archive pulled: {corps}' },
  none: { zh: '无', en: 'none' },
} satisfies Record<string, Text>;

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the background jobs (sync, archive, callbacks) on PostgreSQL until SIGTERM; several may run side by side')
    .option('--once', 'run each job that is due once (the inbox, each corp\'s archive pull, the syncs due), then exit')
    .action(action(async (ctx, flags: { once?: boolean }) => {
      const rt = await ctx.runtime();
      const [{ startBackground, runJobsOnce }, { createLogger }] = await Promise.all([import('../../jobs/index.ts'), import('../../util/logger.ts')]);
      // --json: JSON lines even on a terminal; else JSON unless stdout is one. --once's summary goes to stdout too.
      const log = createLogger({ json: ctx.json || undefined, write: flags.once ? (line) => void process.stderr.write(line) : undefined });
      if (flags.once) {
        const report = await runJobsOnce(rt, log);
        if (ctx.json) printJson({ ok: true, ...report });
        else {
          const list = (corps: string[]) => (corps.length ? corps.join(', ') : t(TEXT.none, ctx.lang));
          process.stdout.write(`${t(TEXT.inbox, ctx.lang, report.inbox)}\n${t(TEXT.synced, ctx.lang, { corps: list(report.synced) })}\n${t(TEXT.pulled, ctx.lang, { corps: list(report.pulled) })}\n`);
        }
        return 0;
      }
      const stop = stopOnSignals();
      try {
        const background = await startBackground(rt, log, { worker: true });
        if (!stop.signal.aborted) await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
        log.info({}, 'stopping: finishing the running jobs');
        await background.stop();
      } finally {
        stop.dispose();
      }
      return 0;
    }));
}
