import { useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';
import { formatDuration, formatTime, labelOf, t, type TextKey } from '../i18n.ts';
import { useLoad, type Loaded } from '../load.ts';
import type { ArchiveStatusReport, CorpOverview, EventList, InboxStatus, RunStatus, StatusEntry } from '../types.ts';

/**
 * Sync and archive lag per corp, coverage, the callback inbox, parked events and the last verify.
 * Each part comes from its own route: one that fails says why, and the rest of the page still shows.
 */
export function HealthPage() {
  const [corps, retry] = useLoad(() => api.listCorps(), []);
  const [status] = useLoad(() => api.archiveStatus(), []);
  const [inbox] = useLoad(() => api.inbox(), []);
  const [parked] = useLoad(() => api.parkedEvents(), []);
  // A role without the health page (a manager following a link) is told once, not once per part.
  if (corps.status === 'error' && corps.error instanceof ApiError && corps.error.status === 403) {
    return <div class="page health-page"><h1>{t('healthTitle')}</h1><ErrorNote error={corps.error} /></div>;
  }
  return (
    <div class="page health-page">
      <h1>{t('healthTitle')}</h1>
      {corps.status === 'loading' ? <Loading /> : corps.status === 'error' ? <ErrorNote error={corps.error} retry={retry} /> : (
        <div class="table-wrap card">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('corp')}</th><th scope="col">{t('lastSync')}</th><th scope="col">{t('archivedMessages')}</th>
                <th scope="col">{t('archiveLag')}</th><th scope="col">{t('lastPull')}</th>
              </tr>
            </thead>
            <tbody>{corps.value.corps.map((corp) => <CorpRow key={corp.corpId} corp={corp} />)}</tbody>
          </table>
        </div>
      )}
      <section class="card" aria-labelledby="h-coverage">
        <h2 id="h-coverage">{t('archiveSection')}</h2>
        <Optional state={status}>{(report) => report.corps.map((entry) => <StatusBlock key={entry.corpId} entry={entry} />)}</Optional>
      </section>
      <Verify status={status} />
      <section class="card" aria-labelledby="h-inbox">
        <h2 id="h-inbox">{t('callbackInbox')}</h2>
        <Optional state={inbox}>{(value) => <Events list={value} />}</Optional>
      </section>
      <section class="card" aria-labelledby="h-parked">
        <h2 id="h-parked">{t('parkedEvents')}</h2>
        <Optional state={parked}>{(value) => <Events list={value} />}</Optional>
      </section>
    </div>
  );
}

function CorpRow({ corp }: { corp: CorpOverview }) {
  const sync = corp.lastSync;
  return (
    <tr>
      <th scope="row"><code>{corp.corpId}</code></th>
      <td>{sync ? `${formatTime(sync.finishedAt ?? sync.startedAt)} · ${labelOf(RUN_LABELS, sync.status)}` : t('neverSynced')}</td>
      <td>{corp.archive.messages}</td>
      <td>{formatDuration(corp.archive.lagMs)}</td>
      <td>{formatTime(corp.archive.lastPullAt) || '—'}</td>
    </tr>
  );
}

function StatusBlock({ entry }: { entry: ArchiveEntry }) {
  if ('error' in entry && entry.error) return <p class="error"><code>{entry.corpId}</code> {entry.error.what}</p>;
  const ok = entry as StatusEntry & { corpId: string };
  const permits = ok.coverage?.permits;
  const consent = ok.coverage?.consent;
  return (
    <div class="status-block">
      <h3><code>{ok.corpId}</code></h3>
      <dl class="facts">
        {permits ? <div class="fact"><dt>{t('coverage')}</dt><dd>{permits.archived} / {permits.directory}</dd></div> : null}
        {consent ? <div class="fact"><dt>{t('consentHistory')}</dt><dd>{Object.entries(consent.current).map(([k, v]) => `${consentLabel(k)} ${v}`).join(' · ')}</dd></div> : null}
        <div class="fact"><dt>{t('archiveLag')}</dt><dd>{formatDuration(ok.lagMs)}</dd></div>
        <div class="fact"><dt>{t('quarantined')}</dt><dd>{ok.quarantined.length}</dd></div>
        <div class="fact"><dt>{t('expiresIn')}</dt><dd>{formatDuration(ok.expiresInMs)}</dd></div>
      </dl>
    </div>
  );
}

/**
 * The hash chain: the last verify of each corp (kept by whoever ran it: CLI, API or this page), and a
 * new one when asked (it reads every stored envelope: not on every page load).
 */
function Verify({ status }: { status: Loaded<ArchiveStatusReport> }) {
  const [fresh, setFresh] = useState<{ at: number; report: Awaited<ReturnType<typeof api.verifyArchive>> } | { error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const report = await api.verifyArchive();
      setFresh({ at: Date.now(), report });
    } catch (error) {
      setFresh({ error });
    } finally {
      setBusy(false);
    }
  };
  const rows: VerifyRow[] = fresh && 'report' in fresh
    ? fresh.report.corps.map((corp) => ('error' in corp && corp.error ? { corpId: corp.corpId, error: corp.error.what }
      : { corpId: corp.corpId, ok: corp.ok && (corp.deep?.ok ?? true), checked: corp.checked ?? 0, at: fresh.at }))
    : status.status === 'done'
      ? status.value.corps.flatMap((entry) => ('lastVerify' in entry && entry.lastVerify ? [{ corpId: entry.corpId, ...entry.lastVerify }] : []))
      : [];
  return (
    <section class="card" aria-labelledby="h-verify">
      <h2 id="h-verify">{t('lastVerify')}</h2>
      {fresh && 'error' in fresh ? <ErrorNote error={fresh.error} /> : null}
      {rows.length > 0 ? (
        <ul class="list verify-list">
          {rows.map((row) => (
            <li key={row.corpId} class={'error' in row || !row.ok ? 'error' : 'ok'}>
              <code>{row.corpId}</code> {'error' in row ? row.error
                : `${row.ok ? t('verifyOk') : t('verifyBroken')} · ${t('verifyChecked', { count: row.checked })} · ${formatTime(row.at)}`}
            </li>
          ))}
        </ul>
      ) : status.status === 'done' && !fresh ? <p class="muted">{t('neverVerified')}</p> : null}
      <button type="button" onClick={() => void run()} disabled={busy}>{busy ? t('loading') : t('verifyNow')}</button>
    </section>
  );
}

type VerifyRow = { corpId: string; error: string } | { corpId: string; ok: boolean; checked: number; at: number };

/** Sync runs' and callback events' stored statuses in words (typed by the store's lists, so none is missed). */
const RUN_LABELS: Record<RunStatus, TextKey> = { running: 'run_running', succeeded: 'run_succeeded', partial: 'run_partial', failed: 'run_failed' };
const EVENT_LABELS: Record<InboxStatus, TextKey> = {
  pending: 'event_pending', applied: 'event_applied', failed: 'event_failed', parked: 'event_parked', ignored: 'event_ignored',
};

function consentLabel(status: string): string {
  const keys: Record<string, Parameters<typeof t>[0]> = { agree: 'consentAgree', disagree: 'consentDisagree', default_agree: 'consentDefault' };
  const key = keys[status.toLowerCase()];
  return key ? t(key) : status;
}

type ArchiveEntry = Awaited<ReturnType<typeof api.archiveStatus>>['corps'][number];

function Optional<T>({ state, children }: { state: Loaded<T>; children: (value: T) => preact.ComponentChildren }) {
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNote error={state.error} />;
  return <>{children(state.value)}</>;
}

/** Callback events, newest first: when, which, how it ended, what it did (or why it failed). */
function Events({ list }: { list: EventList }) {
  if (list.events.length === 0) return <Empty label={t('noEvents')} />;
  return (
    <div class="table-wrap">
      <table class="events">
        <thead>
          <tr>
            <th scope="col">{t('eventReceived')}</th><th scope="col">{t('eventKind')}</th>
            <th scope="col">{t('eventStatus')}</th><th scope="col">{t('eventEffect')}</th>
          </tr>
        </thead>
        <tbody>
          {list.events.map((event) => (
            <tr key={event.id}>
              <td>{formatTime(event.receivedAt)}</td>
              <td><code>{event.eventKind}</code></td>
              <td class="nowrap">{labelOf(EVENT_LABELS, event.status)}{event.attempts > 1 ? ` (${event.attempts})` : ''}</td>
              <td><bdi>{event.lastError ?? [event.effect.entity, event.effect.record, event.effect.change].filter(Boolean).join(' ')}</bdi></td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.truncated ? <p class="muted small">{t('truncated', { count: list.events.length })}</p> : null}
    </div>
  );
}
