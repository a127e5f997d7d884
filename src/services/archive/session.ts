import type { KeyWarning } from '../../archive/keys/keyring.ts';
import type { SdkStall } from '../../archive/sdk/protocol.ts';
import { openArchiveSession, type ArchiveSession, type SessionOptions } from '../../archive/ingest/session.ts';
import type { Lang } from '../../i18n/index.ts';
import type { Runtime } from '../runtime.ts';

/** What every archive service that runs the SDK takes besides the corps. */
export interface ArchiveRunInput {
  /** `--corp`: only this corp; else every configured corp (or the one service's single corp). */
  corpId?: string;
  session?: SessionOptions;
  /** Stops after the page being written has committed. */
  signal?: AbortSignal;
  /** The language of the errors a per-corp result carries (default: the deployment's). */
  lang?: Lang;
}

export interface SessionReporter {
  /** A key file problem that does not stop the archive (e.g. readable by others). */
  onWarning?(corpId: string, warning: KeyWarning): void;
  /** A message the SDK has not answered for within the deadline: retried, then quarantined. */
  onStall?(corpId: string, stall: SdkStall): void;
}

/** The corp's archive session over the runtime's store (its own lease, keys and SDK pool). */
export async function openCorpSession(
  rt: Runtime, corpId: string, options: SessionOptions = {}, reporter: SessionReporter = {},
): Promise<ArchiveSession> {
  const onStall = reporter.onStall && ((stall: SdkStall) => reporter.onStall!(corpId, stall));
  const session = await openArchiveSession(rt.corp(corpId), await rt.store(), { ...options, onStall });
  for (const warning of session.warnings) reporter.onWarning?.(corpId, warning);
  return session;
}

export function langOf(rt: Runtime, input: { lang?: Lang }): Lang {
  return input.lang ?? rt.deployment.lang;
}
