import type { Lang } from '../../i18n/index.ts';
import { asStorageError } from '../../store/storage-errors.ts';
import { isUserError } from '../../util/errors.ts';
import { redactText } from '../../util/redact.ts';
import type { CorpError, CorpOutcome, PerCorp } from '../types/archive.ts';

/**
 * Running one piece of work for each corp in scope: a corp that fails does not stop the others; its
 * entry carries the error, explained in the language asked for. A bug is reported as one (code
 * `internal_error`), redacted, so one corp's surprise cannot hide the other corps' results.
 */

export const INTERNAL_ERROR = 'internal_error';
/** A corp left out because the run was stopped (Ctrl+C) before its turn: not a failure. */
export const CORP_STOPPED = 'archive_stopped';

export function corpError(caught: unknown, lang: Lang): CorpError {
  // A full disk or a damaged store is named as such, with what the run kept (src/store/storage-errors.ts).
  const storage = asStorageError(caught);
  const err = storage ?? caught;
  if (storage?.kept) return { code: storage.code, ...storage.describe(lang), kept: storage.kept };
  if (isUserError(err)) return { code: err.code, ...err.describe(lang) };
  return { code: INTERNAL_ERROR, what: redactText(err instanceof Error ? err.message : String(err)) };
}

/** Called as soon as a corp fails (a watch runs on: its face says so now, not when it stops). */
export type OnCorpFailed = (corpId: string, error: CorpError) => void;

async function outcomeOf<T extends object>(
  corpId: string, lang: Lang, run: () => Promise<T & { ok?: boolean }>, onFailed?: OnCorpFailed,
): Promise<CorpOutcome<T>> {
  try {
    const result = await run();
    return { corpId, ok: true, ...result } as CorpOutcome<T>;
  } catch (err) {
    if (process.env.WECOM_ARCHIVE_DEBUG) process.stderr.write(`${redactText(String((err as Error)?.stack ?? err))}\n`);
    const error = corpError(err, lang);
    onFailed?.(corpId, error);
    return { corpId, ok: false, error };
  }
}

/** One corp after the other: each pull starts SDK processes on every core, so two at once would only compete. */
export async function eachCorp<T extends object>(
  corpIds: readonly string[], lang: Lang, run: (corpId: string) => Promise<T & { ok?: boolean }>,
): Promise<PerCorp<T>> {
  const corps: Array<CorpOutcome<T>> = [];
  for (const corpId of corpIds) corps.push(await outcomeOf(corpId, lang, () => run(corpId)));
  return { ok: corps.every((c) => c.ok), corps };
}

/** Every corp at once (a watch: each corp waits on its own interval and lease). */
export async function allCorps<T extends object>(
  corpIds: readonly string[], lang: Lang, run: (corpId: string) => Promise<T & { ok?: boolean }>, onFailed?: OnCorpFailed,
): Promise<PerCorp<T>> {
  const corps = await Promise.all(corpIds.map((corpId) => outcomeOf(corpId, lang, () => run(corpId), onFailed)));
  return { ok: corps.every((c) => c.ok), corps };
}
