import { ApiError } from '../api.ts';
import { t } from '../i18n.ts';

export function Loading({ label }: { label?: string }) {
  return <p class="loading" role="status" aria-live="polite">{label ?? t('loading')}</p>;
}

/** A failed request, as the server explained it (problem+json detail, why, fix). */
export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  const problem = error instanceof ApiError ? error.problem : null;
  const forbidden = error instanceof ApiError && error.status === 403;
  // A refusal or a wrong address stays so however often it is asked (4xx but a time-out or a rate limit).
  const final = error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
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
