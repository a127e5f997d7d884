import { ARCHIVE_BUSY, pullArchives } from '../services/archive.ts';
import type { Runtime } from '../services/runtime.ts';
import { SYNC_INTERRUPTED, syncCorps } from '../services/sync.ts';
import { ChangeLog, type JobLog } from './log.ts';
import type { JobData, JobHandler } from './queue.ts';

/**
 * The jobs, each a face like a CLI command: read the job's data, make ONE service call, log the
 * result. What the work does (leases, resuming, sweeping, media) is the services' business.
 */

/** The corp a job is for; a job without one is a bug in whoever queued it. */
function corpOf(data: JobData): string {
  if (typeof data.corpId !== 'string' || !data.corpId) throw new Error('job data without a corpId');
  return data.corpId;
}

/**
 * A complete sync of the corp: every listing, only what changed written, what vanished marked
 * deleted (the sync's own per-stream leases keep it to one process). It is also the reconciliation:
 * WeCom retries a callback only on network failure, so what a lost callback missed is found here.
 */
export function syncJob(rt: Runtime, log: JobLog): JobHandler {
  const said = new ChangeLog(log);
  return async (data, signal) => {
    const corpId = corpOf(data);
    const report = await syncCorps(rt, { corpId, signal });
    for (const corp of report.corps) {
      const fields = {
        job: 'sync', corpId, status: corp.run.status, durationMs: corp.run.durationMs, requests: corp.requests.total,
        entities: corp.entities, failures: corp.failures.map((f) => ({ code: f.code, what: f.what })),
      };
      if (corp.ok) log.info(fields, 'sync finished');
      else if (corp.failures.some((f) => f.code === SYNC_INTERRUPTED)) log.info(fields, 'sync stopped at a checkpoint: the next sync resumes there');
      else said.say(corpId, corp.failures.map((f) => f.code).join(','), 'warn', fields, 'sync did not finish');
    }
  };
}

/**
 * One cycle of the corp's archive: pull until caught up, then the media of what arrived (the pull
 * service does both, under the corp's archive lease). A corp whose lease another process holds (a
 * worker elsewhere, `archive watch` by hand) is said once and tried again next poll.
 */
export function archiveJob(rt: Runtime, log: JobLog): JobHandler {
  const said = new ChangeLog(log);
  return async (data, signal) => {
    const corpId = corpOf(data);
    const report = await pullArchives(rt, { corpId, signal });
    for (const corp of report.corps) {
      if (corp.error) {
        const busy = corp.error.code === ARCHIVE_BUSY;
        said.say(corpId, corp.error.code, busy ? 'info' : 'warn', { job: 'archive', corpId, code: corp.error.code, what: corp.error.what },
          busy ? 'archive pulled by another process: standing by' : 'archive pull failed');
        continue;
      }
      const fields = {
        job: 'archive', corpId, pulled: corp.pulled, stored: corp.stored, duplicates: corp.duplicates, cursor: String(corp.cursor),
        caughtUp: corp.caughtUp, durationMs: corp.durationMs, mediaDownloaded: corp.media?.downloaded ?? 0,
      };
      // An empty poll every 30 s is not news: said at debug, except the first (or after a failure).
      const news = corp.stored > 0 || (corp.media?.downloaded ?? 0) > 0;
      said.say(corpId, 'ok', 'info', fields, 'archive pulled', news);
    }
  };
}
