import { useState } from 'preact/hooks';
import { MSGTYPES } from '../../../src/archive/msgtypes.ts';
import * as api from '../api.ts';
import { typeLabel } from '../components/Content.tsx';
import { Link } from '../components/Link.tsx';
import { PurposeForm, PurposeGate } from '../components/Purpose.tsx';
import { Name } from '../components/RichText.tsx';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';
import { t, tParts } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.ts';

/**
 * Search with filters (time, employee, customer, group, type). The query lives in the address, so
 * a search can be linked to; a hit opens its conversation at that message.
 */
const FIELDS = ['q', 'from', 'to', 'employee', 'customer', 'group', 'types'] as const;
type Field = (typeof FIELDS)[number];
const TYPES = MSGTYPES.filter((spec) => spec.name !== 'revoke').map((spec) => spec.name);

export function SearchPage({ query }: { query: URLSearchParams }) {
  const initial = Object.fromEntries(FIELDS.map((f) => [f, query.get(f) ?? ''])) as Record<Field, string>;
  const [form, setForm] = useState(initial);
  const set = (field: Field) => (e: Event) => setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });
  const chosen = new Set(form.types.split(',').filter(Boolean));
  const toggleType = (type: string) => {
    if (chosen.has(type)) chosen.delete(type);
    else chosen.add(type);
    setForm({ ...form, types: [...chosen].join(',') });
  };
  const submit = (event: Event) => {
    event.preventDefault();
    navigate(href('/search', form));
  };
  const field = (name: Field, label: Parameters<typeof t>[0], type: 'text' | 'date' = 'text') => (
    <div class="field">
      <label for={`s-${name}`}>{t(label)}</label>
      <input id={`s-${name}`} type={type as 'text'} value={form[name]} onInput={set(name)} required={name === 'q'} />
    </div>
  );
  return (
    <div class="page search-page">
      <h1>{t('searchTitle')}</h1>
      <form class="card search-form" onSubmit={submit} role="search">
        <div class="field grow">
          <label for="s-q">{t('searchText')}</label>
          <input id="s-q" type="search" value={form.q} onInput={set('q')} placeholder={t('searchTextHint')} required />
        </div>
        {field('from', 'searchFrom', 'date')}
        {field('to', 'searchTo', 'date')}
        {field('employee', 'searchEmployee')}
        {field('customer', 'searchCustomer')}
        {field('group', 'searchGroup')}
        <fieldset class="types">
          <legend>{t('searchTypes')}</legend>
          {TYPES.map((type) => (
            <label key={type} class="inline chip">
              <input type="checkbox" checked={chosen.has(type)} onChange={() => toggleType(type)} /> {typeLabel(type)}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary">{t('searchSubmit')}</button>
      </form>
      {initial.q ? <PurposeGate>{() => <Results query={initial} />}</PurposeGate> : null}
    </div>
  );
}

function Results({ query }: { query: Record<Field, string> }) {
  const session = useSession();
  const [state, retry] = useLoad(() => api.search({
    q: query.q, from: query.from || undefined, to: query.to || undefined, employee: query.employee || undefined,
    customer: query.customer || undefined, conversation: query.group || undefined, types: query.types || undefined, limit: 100,
  }), [JSON.stringify(query), session.version]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    if (state.error instanceof api.ApiError && state.error.status === 428) return <PurposeForm onDone={retry} />;
    return <ErrorNote error={state.error} retry={retry} />;
  }
  const { hits, truncated, indexed } = state.value;
  return (
    <section class="results" aria-labelledby="results-title">
      <h2 id="results-title">{t('searchHits', { count: hits.length })}</h2>
      {truncated ? <p class="muted">{t('searchMore', { count: hits.length })}</p> : null}
      {!indexed ? <p class="muted small">{t('searchNotIndexed')}</p> : null}
      {hits.length === 0 ? <Empty label={t('searchNone')} /> : null}
      <ol class="hits">
        {hits.map((hit) => (
          <li key={`${hit.corpId}:${hit.msgid}`} class="hit">
            <Link href={href(`/conversations/${encodeURIComponent(hit.conversation.id)}`, { corp: hit.corpId, at: hit.msgid })} class="hit-link">
              <span class="hit-head">
                {hit.sender ? <Name text={hit.sender.label} /> : null}
                <span class="muted small"> {tParts('searchIn', { title: <bdi>{hit.conversation.title}</bdi> })}</span>
                <span class="muted small"> · {hit.timeText ?? ''} · {hit.typeLabel}</span>
              </span>
              <Snippet text={hit.snippet} />
            </Link>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The service marks the match with 【】: shown as <mark>, the rest as text. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/(【[^【】]*】)/);
  return (
    <span class="snippet user-text" dir="auto">
      {parts.map((part, i) => (part.startsWith('【') && part.endsWith('】') ? <mark key={i}>{part.slice(1, -1)}</mark> : part))}
    </span>
  );
}
