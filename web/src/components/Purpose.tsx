import { useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { t } from '../i18n.ts';
import { purposeFor, statePurpose, useSession } from '../session.ts';

/**
 * Stands in front of message content until a purpose is stated: free text or a case reference,
 * for the session or (inside a conversation) for that conversation alone.
 */
export function PurposeGate(props: { conversationId?: string; children: () => preact.ComponentChildren }) {
  useSession();
  const purpose = purposeFor(props.conversationId);
  if (purpose) return <>{props.children()}</>;
  return <PurposeForm conversationId={props.conversationId} />;
}

export function PurposeForm({ conversationId, onDone }: { conversationId?: string; onDone?: () => void }) {
  const [text, setText] = useState('');
  const [caseRef, setCaseRef] = useState('');
  const [scope, setScope] = useState<'session' | 'conversation'>('session');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = conversationId ? 'purpose-c' : 'purpose-s';

  const submit = async (event: Event) => {
    event.preventDefault();
    const parts = [caseRef.trim() ? t('purposeCasePrefix', { ref: caseRef.trim() }) : '', text.trim()].filter(Boolean);
    if (parts.length === 0) {
      setError(t('purposeMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await statePurpose(parts.join(' — '), scope === 'conversation' ? conversationId : undefined);
      onDone?.();
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail || err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card purpose" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('purposeTitle')}</h2>
      <p class="muted">{t('purposeIntro')}</p>
      <label for={`${id}-text`}>{t('purposeText')}</label>
      <textarea id={`${id}-text`} rows={2} maxLength={500} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
      <label for={`${id}-case`}>{t('purposeCase')}</label>
      <input id={`${id}-case`} maxLength={100} placeholder={t('purposeCasePlaceholder')} value={caseRef}
        onInput={(e) => setCaseRef((e.currentTarget as HTMLInputElement).value)} />
      {conversationId ? (
        <fieldset>
          <legend>{t('purposeScope')}</legend>
          <label class="inline"><input type="radio" name={`${id}-scope`} checked={scope === 'session'} onChange={() => setScope('session')} /> {t('purposeScopeSession')}</label>
          <label class="inline"><input type="radio" name={`${id}-scope`} checked={scope === 'conversation'} onChange={() => setScope('conversation')} /> {t('purposeScopeConversation')}</label>
        </fieldset>
      ) : null}
      {error ? <p class="error" role="alert">{error}</p> : null}
      <button type="submit" class="primary" disabled={busy}>{t('purposeSubmit')}</button>
    </form>
  );
}
