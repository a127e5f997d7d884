import * as api from '../api.ts';
import { Link } from '../components/Link.tsx';
import { Name } from '../components/RichText.tsx';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';
import { Facts } from '../components/Table.tsx';
import { formatTime, t, type TextKey } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { href } from '../router.ts';
import { ConversationLinks } from './Customer.tsx';

/** An employee: their record, the customers they follow, their customer groups and conversations. */
export function EmployeePage({ userid, corp }: { userid: string; corp?: string }) {
  const [found, retry] = useLoad(async () => {
    const result = await api.listEmployees({ search: userid, corp, limit: 50 });
    return result.employees.find((e) => e.userid === userid) ?? null;
  }, [userid, corp]);
  const [customers] = useLoad(() => api.listCustomers({ followUser: userid, corp, limit: 500 }), [userid, corp]);
  const [groups] = useLoad(() => api.listGroups({ followUser: userid, corp, limit: 500 }), [userid, corp]);
  const [talks] = useLoad(() => api.listConversations({ employee: userid, corp, limit: 500 }), [userid, corp]);
  if (found.status === 'loading') return <Loading />;
  if (found.status === 'error') return <div class="page"><ErrorNote error={found.error} retry={retry} /></div>;
  const e = found.value;
  const statuses: Record<number, TextKey> = { 1: 'statusActive', 2: 'statusDisabled', 4: 'statusInactive', 5: 'statusLeft' };
  return (
    <div class="page employee-page">
      <h1><Name text={e?.name ?? userid} /> <span class="muted small">{t('employeeTitle')}</span></h1>
      <section class="card" aria-labelledby="e-profile">
        <h2 id="e-profile">{t('profile')}</h2>
        {e ? (
          <Facts rows={[
            ['userid', e.userid],
            [t('department'), e.mainDepartmentName],
            [t('position'), e.position],
            [t('status'), e.status !== null && statuses[e.status] ? t(statuses[e.status]!) : null],
            [t('email'), e.email ?? e.bizMail],
            [t('mobile'), e.mobile],
            [t('firstSeen'), formatTime(e.firstSeenAt)],
            [t('deleted'), e.deletedAt ? formatTime(e.deletedAt) : null],
          ]} />
        ) : <Empty label={t('notFound')} />}
      </section>
      <section class="card" aria-labelledby="e-customers">
        <h2 id="e-customers">{t('theirCustomers')}</h2>
        {customers.status === 'loading' ? <Loading /> : customers.status === 'error' ? <ErrorNote error={customers.error} /> : (
          customers.value.customers.length === 0 ? <Empty /> : (
            <ul class="list columns" role="list">
              {customers.value.customers.map((c) => (
                <li key={c.externalUserid}>
                  <Link href={href(`/customers/${encodeURIComponent(c.externalUserid)}`, { corp: c.corpId })} class="list-item">
                    <Name text={c.name ?? c.externalUserid} /> {c.corpName ? <span class="muted small"><bdi>{c.corpName}</bdi></span> : null}
                  </Link>
                </li>
              ))}
            </ul>
          )
        )}
      </section>
      <section class="card" aria-labelledby="e-groups">
        <h2 id="e-groups">{t('theirGroups')}</h2>
        {groups.status === 'loading' ? <Loading /> : groups.status === 'error' ? <ErrorNote error={groups.error} /> : (
          groups.value.groups.length === 0 ? <Empty /> : (
            <ul class="list columns" role="list">
              {groups.value.groups.map((g) => (
                <li key={g.chatId}>
                  <Link href={href('/browse/group', { who: g.chatId, c: g.chatId, corp: g.corpId })} class="list-item">
                    <Name text={g.name ?? g.chatId} /> <span class="muted small">{g.memberCount}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )
        )}
      </section>
      <section class="card" aria-labelledby="e-talks">
        <h2 id="e-talks">{t('conversations')}</h2>
        {talks.status === 'loading' ? <Loading /> : talks.status === 'error' ? <ErrorNote error={talks.error} /> : (
          <ConversationLinks items={talks.value.conversations} by="employee" who={userid} />
        )}
      </section>
    </div>
  );
}
