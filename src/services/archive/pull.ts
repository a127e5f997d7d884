import { pullArchive, PULL_TRIES, type PageProgress } from '../../archive/ingest/puller.ts';
import type { RetrySummary } from '../../archive/ingest/retry.ts';
import { pullGaveUp } from '../../archive/ingest/unreachable.ts';
import { sandboxConfig } from '../../doctor/sandbox.ts';
import { asStorageError } from '../../store/storage-errors.ts';
import { UserError } from '../../util/errors.ts';
import { withWhatWasKept } from './kept.ts';
import type { Runtime } from '../runtime.ts';
import type { ArchivePullReport, PullEntry } from '../types/archive.ts';
import { runMediaQueue } from './media.ts';
import { CORP_STOPPED, eachCorp } from './per-corp.ts';
import { langOf, openCorpSession, type ArchiveRunInput, type SessionReporter } from './session.ts';

/**
 * `archive pull`: pulls each corp's archive from its stored seq cursor until caught up (each under
 * its own lease, one corp after the other), then downloads the media of what it pulled (they expire
 * with their messages) through the pull's own SDK host.
 */

export interface PullInput extends ArchiveRunInput {
  /** Envelopes per GetChatData call (≤ 1000). */
  pageSize?: number;
  maxPages?: number;
  /** Download media after pulling (default true). */
  media?: boolean;
}

export interface PullReporter extends SessionReporter {
  onPage?(corpId: string, page: PageProgress): void;
  /** Messages that lacked their key, decrypted now that it is configured. */
  onRetry?(corpId: string, retry: RetrySummary): void;
}

export async function pullArchives(rt: Runtime, input: PullInput = {}, reporter: PullReporter = {}): Promise<ArchivePullReport> {
  const corpIds = rt.corps(input.corpId).map((config) => config.corpId!);
  return eachCorp<PullEntry>(corpIds, langOf(rt, input), (corpId) => pullCorp(rt, corpId, input, reporter));
}

async function pullCorp(rt: Runtime, corpId: string, input: PullInput, reporter: PullReporter): Promise<PullEntry> {
  if (input.signal?.aborted) throw stoppedBefore(corpId);
  const config = rt.corp(corpId);
  const progress = { pages: 0, stored: 0 };
  const session = await openCorpSession(rt, corpId, input.session, reporter).catch(async (err: unknown) => {
    // A full disk before the first page (the lease's lock file): still say where the corp stands.
    const storage = asStorageError(err, config.dataDir);
    throw storage ? await withWhatWasKept(storage, await rt.store(), corpId, progress) : err;
  });
  try {
    const { corpId: _, ...summary } = await pullArchive(session, {
      pageSize: input.pageSize, maxPages: input.maxPages, signal: input.signal,
      onPage: (page) => {
        progress.pages += 1;
        progress.stored = page.totalStored;
        reporter.onPage?.(corpId, page);
      },
      onRetry: (retry) => reporter.onRetry?.(corpId, retry),
    }).catch((err: unknown) => {
      throw asStorageError(err, session.store.location)
        ?? pullGaveUp(err, { apiBase: config.apiBase, tries: PULL_TRIES, sandboxCommand: sandboxConfig(config)?.command });
    });
    const media = input.media !== false && !input.signal?.aborted
      ? await runMediaQueue(config, session.store, { source: session.pool, signal: input.signal })
      : null;
    return { ...summary, media };
  } catch (err) {
    const storage = asStorageError(err, session.store.location);
    throw storage ? await withWhatWasKept(storage, session.store, corpId, progress) : err;
  } finally {
    await session.close();
  }
}

/** Ctrl+C during an earlier corp's pull: the later ones are not started (their cursors are untouched). */
function stoppedBefore(corpId: string): UserError {
  return new UserError(CORP_STOPPED, {
    what: { zh: '已停止：未拉取企业 {corp}', en: 'Stopped: corp {corp} was not pulled' },
    fix: { zh: '再次运行 archive pull，会从该企业已存的位置继续', en: 'Run archive pull again: it continues from where the corp stands' },
    vars: { corp: corpId },
  });
}
