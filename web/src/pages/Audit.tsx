import { useState } from 'preact/hooks';
import * as api from '../api.ts';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';
import { formatTime, labelOf, t, type TextKey } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { href, navigate } from '../router.ts';
import type { AuditAction, AuditRowItem } from '../types.ts';

/** Every action in words (keyed by the services' own list, so a new action cannot go unnamed). */
const ACTION_LABELS: Record<AuditAction, TextKey> = {
  'login': 'audit_login', 'logout': 'audit_logout', 'purpose': 'audit_purpose', 'conversation.view': 'audit_conversation_view',
  'search': 'audit_search', 'media.open': 'audit_media_open', 'export': 'audit_export', 'user.add': 'audit_user_add',
  'user.disable': 'audit_user_disable', 'user.passwd': 'audit_user_passwd', 'user.role': 'audit_user_role',
  'token.create': 'audit_token_create', 'token.revoke': 'audit_token_revoke', 'events.replay': 'audit_events_replay',
};
const actionLabel = (action: string) => labelOf(ACTION_LABELS, action);
/** ok and a refusal in words; an error keeps its code (what to filter by). */
const resultLabel = (result: string) => (result === 'ok' ? t('auditOk') : result === 'denied' ? t('forbidden') : result);

/** Paging and the corp (already in the target): how a page was asked for, not what a reviewer looks at. */
const PAGING = new Set(['corp', 'limit', 'offset', 'around', 'before', 'after', 'cursor', 'lang']);

/** What was searched (the words in quotes), filtered by or changed: one line. */
function detailText(row: AuditRowItem): string {
  if (!row.detail || typeof row.detail !== 'object') return '';
  return Object.entries(row.detail as Record<string, unknown>)
    .filter(([key, value]) => !PAGING.has(key) && value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => (key === 'query' ? `“${String(value)}”` : `${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`))
    .join(' · ');
}

/** The audit log, for admins: who did what, when, from where, why, and how it ended; filters in the address. */
const FIELDS = ['actor', 'action', 'result', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];

export function AuditPage({ query }: { query: URLSearchParams }) {
  const initial = Object.fromEntries(FIELDS.map((f) => [f, query.get(f) ?? ''])) as Record<Field, string>;
  const [form, setForm] = useState(initial);
  const [state, retry] = useLoad(() => api.listAudit({
    actor: initial.actor || undefined, action: initial.action || undefined, result: initial.result || undefined,
    from: initial.from || undefined, to: initial.to || undefined, limit: 200,
  }), [query.toString()]);
  const labels: Record<Field, Parameters<typeof t>[0]> = { actor: 'auditActor', action: 'auditAction', result: 'auditResult', from: 'auditFrom', to: 'auditTo' };
  return (
    <div class="page audit-page">
      <h1>{t('auditTitle')}</h1>
      <form class="card search-form" onSubmit={(e) => { e.preventDefault(); navigate(href('/audit', form)); }}>
        {FIELDS.map((field) => (
          <div class="field" key={field}>
            <label for={`a-${field}`}>{t(labels[field])}</label>
            {field === 'action' ? (
              <select id="a-action" value={form.action} onChange={(e) => setForm({ ...form, action: (e.currentTarget as HTMLSelectElement).value })}>
                <option value="">{t('auditAny')}</option>
                {Object.keys(ACTION_LABELS).map((action) => <option key={action} value={action}>{actionLabel(action)}</option>)}
              </select>
            ) : (
              <input id={`a-${field}`} type={(field === 'from' || field === 'to' ? 'date' : 'text') as 'text'} value={form[field]}
                onInput={(e) => setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value })} />
            )}
          </div>
        ))}
        <button type="submit" class="primary">{t('auditFilter')}</button>
      </form>
      {state.status === 'loading' ? <Loading /> : state.status === 'error' ? (
        <ErrorNote error={state.error} retry={retry} />
      ) : state.value.rows.length === 0 ? <Empty /> : (
        <div class="table-wrap card">
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">{t('auditAt')}</th><th scope="col">{t('auditActor')}</th><th scope="col">{t('auditAction')}</th>
                <th scope="col">{t('auditTarget')}</th><th scope="col">{t('auditDetail')}</th><th scope="col">{t('auditPurpose')}</th>
                <th scope="col">{t('auditResult')}</th><th scope="col">{t('auditIp')}</th>
              </tr>
            </thead>
            <tbody>
              {state.value.rows.map((row) => (
                <tr key={row.id}>
                  <td>{formatTime(row.at)}</td><td><bdi>{row.actor}</bdi></td><td>{actionLabel(row.action)}</td><td><bdi>{row.target ?? ''}</bdi></td>
                  <td><bdi>{detailText(row)}</bdi></td><td><bdi>{row.purpose ?? ''}</bdi></td><td>{resultLabel(row.result)}</td>
                  <td title={row.userAgent ?? ''}>{row.ip ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {state.value.truncated ? <p class="muted small">{t('truncated', { count: state.value.rows.length })}</p> : null}
        </div>
      )}
    </div>
  );
}
