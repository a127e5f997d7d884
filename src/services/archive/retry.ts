import { retryStored, type RetryableStatus } from '../../archive/ingest/retry.ts';
import type { Runtime } from '../runtime.ts';
import type { ArchiveRetryReport } from '../types/archive.ts';
import { openCorpSession, type ArchiveRunInput, type SessionReporter } from './session.ts';

/**
 * `archive retry`: decrypts again one corp's messages stored encrypted (missing key, failed,
 * quarantined) from their stored envelopes, under the corp's archive lease (it rewrites rows a pull
 * also writes). One corp: `corpId`, or the only one configured.
 */

export interface RetryInput extends ArchiveRunInput {
  statuses: RetryableStatus[];
}

export async function retryArchive(rt: Runtime, input: RetryInput, reporter: SessionReporter = {}): Promise<ArchiveRetryReport> {
  const corpId = rt.corp(input.corpId).corpId!;
  const session = await openCorpSession(rt, corpId, input.session, reporter);
  try {
    const summary = await retryStored(session, { statuses: input.statuses, signal: input.signal });
    return { ok: true, corpId, ...summary };
  } finally {
    await session.close();
  }
}
