import { useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { lang, setLang, t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { logIn } from '../session.ts';

/** Name and password; a refusal shows the server's own words (problem+json `detail`). */
export function LoginPage({ next }: { next: string | null }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ detail: string; fix?: string } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await logIn(name, password);
      // Only a path of this site: never an address given in the link.
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/browse/employee', { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? { detail: err.problem.detail || err.message, fix: err.problem.fix } : { detail: String(err) });
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login-page">
      <form class="card login" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t('appName')} · {t('loginTitle')}</h1>
        <label for="login-name">{t('loginName')}</label>
        <input id="login-name" name="username" autoComplete="username" required value={name}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        <label for="login-password">{t('loginPassword')}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required value={password}
          onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} />
        {error ? (
          <div class="error" role="alert" id="login-error">
            <p>{error.detail}</p>
            {error.fix ? <p class="muted small">{error.fix}</p> : null}
          </div>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>{busy ? t('loginBusy') : t('loginSubmit')}</button>
        <p class="muted small">{t('loginHint')}</p>
        <button type="button" class="link-button" aria-label={t('langToggleLabel')} onClick={() => setLang(lang() === 'zh' ? 'en' : 'zh')}>
          {t('langToggle')}
        </button>
      </form>
    </main>
  );
}
