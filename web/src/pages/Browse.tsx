import { useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ConversationView } from '../components/ConversationView.tsx';
import { Link } from '../components/Link.tsx';
import { Name } from '../components/RichText.tsx';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';
import { t, type TextKey } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { href } from '../router.ts';
import type { ConversationItem } from '../types.ts';

/**
 * Three columns: who (employees, customers or groups), their conversations, the messages. By
 * employee: their customers, colleagues and groups. By customer: every employee who talks with them,
 * and the groups they are in. By group: the group's own conversation.
 */
type By = 'employee' | 'customer' | 'group';
const MODES: Array<[By, TextKey]> = [['employee', 'byEmployee'], ['customer', 'byCustomer'], ['group', 'byGroup']];

interface Person { id: string; corpId: string; label: string; detail: string | null }

export function BrowsePage({ by: given, query }: { by: string; query: URLSearchParams }) {
  const by: By = given === 'customer' || given === 'group' ? given : 'employee';
  const who = query.get('who');
  const conversation = query.get('c');
  const corp = query.get('corp') ?? undefined;
  const link = (params: Record<string, string | undefined | null>) => href(`/browse/${by}`, { corp, who, c: conversation, ...params });
  return (
    <div class="browse">
      <nav class="column people" aria-label={t('browseMode')}>
        <ul class="tabs" role="list">
          {MODES.map(([mode, label]) => (
            <li key={mode}><Link href={`/browse/${mode}`} current={mode === by}>{t(label)}</Link></li>
          ))}
        </ul>
        <PeopleColumn by={by} who={who} link={link} />
      </nav>
      <section class="column conversations" aria-label={t('conversations')}>
        {who ? <ConversationColumn by={by} who={who} corp={corp} current={conversation} link={link} /> : <Empty label={t('pickLeft')} />}
      </section>
      <section class="column messages-column">
        {conversation ? <ConversationView id={conversation} corp={corp} at={query.get('at')} self={by === 'employee' ? who : null} /> : <Empty label={t('pickConversation')} />}
      </section>
    </div>
  );
}

function PeopleColumn({ by, who, link }: { by: By; who: string | null; link: (p: Record<string, string | undefined | null>) => string }) {
  const [filter, setFilter] = useState('');
  const [state, retry] = useLoad(async (): Promise<{ rows: Person[]; truncated: boolean }> => {
    const search = filter.trim() || undefined;
    if (by === 'employee') {
      const result = await api.listEmployees({ search, limit: 300 });
      return { rows: result.employees.map((e) => ({ id: e.userid, corpId: e.corpId, label: e.name ?? e.userid, detail: e.mainDepartmentName })), truncated: result.truncated };
    }
    if (by === 'customer') {
      const result = await api.listCustomers({ search, limit: 300 });
      return { rows: result.customers.map((c) => ({ id: c.externalUserid, corpId: c.corpId, label: c.name ?? c.externalUserid, detail: c.corpName })), truncated: result.truncated };
    }
    const result = await api.listConversations({ kind: 'group', search, limit: 300 });
    return { rows: result.conversations.map((c) => ({ id: c.id, corpId: c.corpId, label: c.title, detail: c.lastTime })), truncated: result.truncated };
  }, [by, filter]);
  return (
    <>
      <label class="visually-hidden" for="people-filter">{t('filterLabel')}</label>
      <input id="people-filter" type="search" class="filter" placeholder={t('filterPlaceholder')} value={filter}
        onChange={(e) => setFilter((e.currentTarget as HTMLInputElement).value)} />
      {state.status === 'loading' ? <Loading /> : state.status === 'error' ? <ErrorNote error={state.error} retry={retry} /> : (
        <>
          <ul class="list" role="list">
            {state.value.rows.map((person) => (
              <li key={`${person.corpId}:${person.id}`}>
                <Link href={by === 'group' ? link({ who: person.id, c: person.id, corp: person.corpId, at: null }) : link({ who: person.id, c: null, corp: person.corpId, at: null })}
                  current={person.id === who} class="list-item">
                  <Name text={person.label} />
                  {person.detail ? <span class="muted small"><bdi>{person.detail}</bdi></span> : null}
                </Link>
              </li>
            ))}
          </ul>
          {state.value.rows.length === 0 ? <Empty /> : null}
          {state.value.truncated ? <p class="muted small">{t('truncated', { count: state.value.rows.length })}</p> : null}
        </>
      )}
    </>
  );
}

/** The other side of a conversation, as the column names it. */
function otherSide(c: ConversationItem, who: string): string {
  if (c.kind !== 'single') return c.title;
  const other = c.participants.find((p) => p.id !== who);
  return other?.name ?? other?.id ?? c.title;
}

function ConversationColumn({ by, who, corp, current, link }: {
  by: By; who: string; corp?: string; current: string | null; link: (p: Record<string, string | undefined | null>) => string;
}) {
  const [state, retry] = useLoad(() => (by === 'group'
    ? api.listConversations({ kind: 'group', search: who, corp, limit: 20 })
    : api.listConversations({ [by]: who, corp, limit: 500 })), [by, who, corp]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNote error={state.error} retry={retry} />;
  const all = state.value.conversations.filter((c) => by !== 'group' || c.id === who);
  const sections: Array<[TextKey, ConversationItem[]]> = by === 'employee'
    ? [
      ['customers', all.filter((c) => c.kind === 'single' && c.participants.some((p) => p.kind === 'customer'))],
      ['colleagues', all.filter((c) => c.kind === 'single' && !c.participants.some((p) => p.kind === 'customer'))],
      ['groups', all.filter((c) => c.kind === 'group')],
      ['systemLog', all.filter((c) => c.kind === 'system')],
    ]
    : by === 'customer'
      ? [['employees', all.filter((c) => c.kind !== 'group')], ['groups', all.filter((c) => c.kind === 'group')]]
      : [['groups', all]];
  const profile = by === 'customer' ? `/customers/${encodeURIComponent(who)}` : by === 'employee' ? `/employees/${encodeURIComponent(who)}` : null;
  return (
    <>
      {profile ? <p class="profile-link"><Link href={href(profile, { corp })}>{t('openProfile')} →</Link></p> : null}
      {sections.filter(([, rows]) => rows.length > 0).map(([title, rows]) => (
        <section key={title} aria-labelledby={`sec-${title}`}>
          <h3 id={`sec-${title}`} class="column-title">{t(title)} <span class="muted small">{rows.length}</span></h3>
          <ul class="list" role="list">
            {rows.map((c) => (
              <li key={`${c.corpId}:${c.id}`}>
                <Link href={link({ c: c.id, corp: c.corpId, at: null })} current={c.id === current} class="list-item">
                  <Name text={otherSide(c, who)} />
                  <span class="muted small">{c.lastTime ?? ''}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {by === 'group' && all[0] ? <Members conversation={all[0]} /> : null}
      {all.length === 0 ? <Empty /> : null}
      {state.value.truncated ? <p class="muted small">{t('truncated', { count: all.length })}</p> : null}
    </>
  );
}

/** Who is in a group chat, as the archive names them: each links to their page. */
function Members({ conversation }: { conversation: ConversationItem }) {
  return (
    <section aria-labelledby="sec-members">
      <h3 id="sec-members" class="column-title">{t('members')} <span class="muted small">{conversation.participants.length}</span></h3>
      <ul class="list" role="list">
        {conversation.participants.map((p) => (
          <li key={p.id}>
            {p.kind === 'robot' ? <span class="list-item"><Name text={p.name ?? p.id} /></span> : (
              <Link href={href(p.kind === 'customer' ? `/customers/${encodeURIComponent(p.id)}` : `/employees/${encodeURIComponent(p.id)}`, { corp: conversation.corpId })} class="list-item">
                <Name text={p.name ?? p.id} /> <span class="muted small">{p.kind === 'customer' ? t('kindCustomer') : t('kindEmployee')}</span>
              </Link>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
