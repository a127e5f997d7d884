import * as api from '../api.ts';
import { Link } from '../components/Link.tsx';
import { Name } from '../components/RichText.tsx';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';
import { Facts } from '../components/Table.tsx';
import { formatTime, t, type TextKey } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { href } from '../router.ts';
import type { ConsentEvent, ConversationItem, Follow } from '../types.ts';

/** Customer 360: profile, followers with their remarks and tags, consent history, conversations and groups. */
export function CustomerPage({ id, corp }: { id: string; corp?: string }) {
  const [detail, retry] = useLoad(() => api.getCustomer(id, corp), [id, corp]);
  const [talks] = useLoad(() => api.listConversations({ customer: id, corp, limit: 500 }), [id, corp]);
  if (detail.status === 'loading') return <Loading />;
  if (detail.status === 'error') return <div class="page"><ErrorNote error={detail.error} retry={retry} /></div>;
  const { customer, follows, consent } = detail.value;
  const genders: Record<number, TextKey> = { 0: 'genderUnknown', 1: 'genderMale', 2: 'genderFemale' };
  return (
    <div class="page customer-page">
      <h1><Name text={customer.name ?? customer.externalUserid} /> <span class="muted small">{t('customerTitle')}</span></h1>
      <section class="card" aria-labelledby="c-profile">
        <h2 id="c-profile">{t('profile')}</h2>
        <Facts rows={[
          ['ID', customer.externalUserid],
          [t('customerType'), customer.type === 1 ? t('typeWechat') : customer.type === 2 ? t('typeWecom') : null],
          [t('gender'), customer.gender !== null ? t(genders[customer.gender] ?? 'genderUnknown') : null],
          [t('corpName'), customer.corpFullName ?? customer.corpName],
          [t('position'), customer.position],
          [t('firstSeen'), formatTime(customer.firstSeenAt)],
          [t('deleted'), customer.deletedAt ? formatTime(customer.deletedAt) : null],
        ]} />
        {customer.hiddenFields.length ? <p class="muted small">{t('hiddenFields', { fields: customer.hiddenFields.join(', ') })}</p> : null}
      </section>
      <section class="card" aria-labelledby="c-follows">
        <h2 id="c-follows">{t('followers')} <span class="muted small">{follows.length}</span></h2>
        {follows.length === 0 ? <Empty /> : <FollowTable follows={follows} corp={customer.corpId} customer={customer.externalUserid} />}
      </section>
      <section class="card" aria-labelledby="c-consent">
        <h2 id="c-consent">{t('consentHistory')}</h2>
        {consent.length === 0 ? <Empty label={t('noConsent')} /> : <ConsentList events={consent} />}
      </section>
      <section class="card" aria-labelledby="c-talks">
        <h2 id="c-talks">{t('conversations')}</h2>
        {talks.status === 'loading' ? <Loading /> : talks.status === 'error' ? <ErrorNote error={talks.error} /> : (
          <ConversationLinks items={talks.value.conversations} by="customer" who={customer.externalUserid} />
        )}
      </section>
    </div>
  );
}

function FollowTable({ follows, corp, customer }: { follows: Follow[]; corp: string; customer: string }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr><th scope="col">{t('employeeTitle')}</th><th scope="col">{t('remark')}</th><th scope="col">{t('description')}</th><th scope="col">{t('tags')}</th><th scope="col">{t('addedAt')}</th></tr>
        </thead>
        <tbody>
          {follows.map((f) => (
            <tr key={f.userid} class={f.deletedAt ? 'deleted' : undefined}>
              <td>
                <Link href={href(`/employees/${encodeURIComponent(f.userid)}`, { corp })}><Name text={f.employeeName ?? f.userid} /></Link>
                {' '}<Link href={href('/browse/customer', { who: customer, corp, c: [customer, f.userid].sort().join('|') })} class="small">{t('messages')}</Link>
                {f.deletedAt ? <span class="badge">{t('deleted')}</span> : null}
              </td>
              <td class="long"><bdi>{f.remark ?? ''}</bdi></td>
              <td class="long"><bdi>{f.description ?? ''}</bdi></td>
              <td>{f.tags.map((tag) => <span key={tag.tagId} class="tag"><bdi>{tag.groupName ? `${tag.groupName} / ` : ''}{tag.name ?? tag.tagId}</bdi></span>)}</td>
              <td>{formatTime(f.addedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConsentList({ events }: { events: ConsentEvent[] }) {
  const labels: Record<string, TextKey> = { agree: 'consentAgree', disagree: 'consentDisagree', default_agree: 'consentDefault' };
  return (
    <ol class="consent">
      {events.map((e, i) => (
        <li key={i} class={`consent-${e.status.toLowerCase()}`}>
          <span class="badge">{labels[e.status.toLowerCase()] ? t(labels[e.status.toLowerCase()]!) : e.status}</span>{' '}
          <Name text={e.party.name ?? e.party.id} /> <span class="muted small">{formatTime(e.time)} · {e.source}</span>
        </li>
      ))}
    </ol>
  );
}

export function ConversationLinks({ items, by, who }: { items: ConversationItem[]; by: 'customer' | 'employee'; who: string }) {
  if (items.length === 0) return <Empty />;
  const groups = items.filter((c) => c.kind === 'group');
  const singles = items.filter((c) => c.kind !== 'group');
  const list = (rows: ConversationItem[]) => (
    <ul class="list" role="list">
      {rows.map((c) => (
        <li key={`${c.corpId}:${c.id}`}>
          <Link href={href(`/browse/${by}`, { who, corp: c.corpId, c: c.id })} class="list-item">
            <Name text={c.title} /> <span class="muted small">{c.lastTime ?? ''}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
  return (
    <div class="two-lists">
      <div><h3>{by === 'customer' ? t('employees') : t('conversations')}</h3>{singles.length ? list(singles) : <Empty />}</div>
      <div><h3>{t('groups')}</h3>{groups.length ? list(groups) : <Empty />}</div>
    </div>
  );
}
