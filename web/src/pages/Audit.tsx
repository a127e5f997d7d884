import { useState } from 'preact/hooks';
import * as api from '../api.ts';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';
import { formatTime, t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { href, navigate } from '../router.ts';

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
            <input id={`a-${field}`} type={(field === 'from' || field === 'to' ? 'date' : 'text') as 'text'} value={form[field]}
              onInput={(e) => setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value })} />
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
                <th scope="col">{t('auditTarget')}</th><th scope="col">{t('auditPurpose')}</th><th scope="col">{t('auditResult')}</th><th scope="col">{t('auditIp')}</th>
              </tr>
            </thead>
            <tbody>
              {state.value.rows.map((row) => (
                <tr key={row.id}>
                  <td>{formatTime(row.at)}</td><td><bdi>{row.actor}</bdi></td><td>{row.action}</td><td><bdi>{row.target ?? ''}</bdi></td>
                  <td><bdi>{row.purpose ?? ''}</bdi></td><td>{row.result}</td><td title={row.userAgent ?? ''}>{row.ip ?? ''}</td>
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
