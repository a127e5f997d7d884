import { ApiError } from '../api.ts';
import { t } from '../i18n.ts';

export function Loading({ label }: { label?: string }) {
  return <p class="loading" role="status" aria-live="polite">{label ?? t('loading')}</p>;
}

/** A failed request, as the server explained it (problem+json detail, why, fix). */
export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  const problem = error instanceof ApiError ? error.problem : null;
  const forbidden = error instanceof ApiError && error.status === 403;
  // A refusal, a missing record or a missing purpose stays so however often it is asked.
  const final = error instanceof ApiError && [401, 403, 404, 410, 428].includes(error.status);
  const title = forbidden ? t('forbidden') : problem?.title || t('errorTitle');
  const detail = problem?.detail ?? (error instanceof Error ? error.message : String(error));
  return (
    <div class="error" role="alert">
      <strong>{title}</strong>
      {detail && detail !== title ? <p>{detail}</p> : null}
      {problem?.why ? <p class="muted">{problem.why}</p> : null}
      {problem?.fix ? <p class="muted">{problem.fix}</p> : null}
      {retry && !final ? <button type="button" onClick={retry}>{t('retry')}</button> : null}
    </div>
  );
}

export function Empty({ label }: { label?: string }) {
  return <p class="empty">{label ?? t('empty')}</p>;
}
