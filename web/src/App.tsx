import { useEffect, useState } from 'preact/hooks';
import { Link } from './components/Link.tsx';
import { ErrorNote, Loading } from './components/States.tsx';
import { lang, onLang, setLang, t } from './i18n.ts';
import { AuditPage } from './pages/Audit.tsx';
import { BrowsePage } from './pages/Browse.tsx';
import { ConversationPage } from './pages/ConversationPage.tsx';
import { CustomerPage } from './pages/Customer.tsx';
import { EmployeePage } from './pages/Employee.tsx';
import { HealthPage } from './pages/Health.tsx';
import { LoginPage } from './pages/Login.tsx';
import { SearchPage } from './pages/Search.tsx';
import { href, navigate, useLocation, type Location } from './router.ts';
import { loadSession, logOut, useSession } from './session.ts';

export function App() {
  const [, setLangVersion] = useState(0);
  useEffect(() => onLang(() => setLangVersion((v) => v + 1)), []);
  useEffect(() => {
    void loadSession();
  }, []);
  const session = useSession();
  const location = useLocation();

  useEffect(() => {
    if (session.kind === 'login' && location.path !== '/login') {
      navigate(href('/login', { next: location.path + (location.query.toString() ? `?${location.query}` : '') }), { replace: true });
    }
  }, [session.kind, location.path]);

  if (session.kind === 'loading') return <Loading />;
  if (session.kind === 'error') return <main class="page"><ErrorNote error={session.error} retry={() => void loadSession()} /></main>;
  if (location.path === '/login' || session.kind === 'login') return <LoginPage next={location.query.get('next')} />;
  return (
    <div class="shell" key={lang()}>
      <Header path={location.path} />
      <main id="main" class="main" tabIndex={-1}>
        <Page location={location} />
      </main>
    </div>
  );
}

function Header({ path }: { path: string }) {
  const session = useSession();
  // Only the pages the role may open (the server refuses the rest anyway): access.ts's capabilities.
  const role = session.kind === 'user' ? session.info.user.role : 'viewer';
  const nav: Array<[string, Parameters<typeof t>[0], string]> = [['/browse/employee', 'navBrowse', '/browse']];
  if (role !== 'viewer') nav.push(['/search', 'navSearch', '/search']);
  if (role === 'admin' || role === 'auditor') nav.push(['/health', 'navHealth', '/health']);
  if (role === 'admin') nav.push(['/audit', 'navAudit', '/audit']);
  return (
    <header class="topbar">
      <a class="skip" href="#main">{lang() === 'zh' ? '跳到正文' : 'Skip to content'}</a>
      <span class="brand">{t('appName')}</span>
      <nav aria-label={t('mainNav')}>
        <ul class="nav">
          {nav.map(([to, label, prefix]) => (
            <li key={to}><Link href={to} current={path.startsWith(prefix) || (prefix === '/browse' && path.startsWith('/conversations'))}>{t(label)}</Link></li>
          ))}
        </ul>
      </nav>
      <div class="who">
        {session.kind === 'user' ? (
          <>
            <span class="user">{t('signedInAs', { name: session.info.user.name, role: roleLabel(session.info.user.role) })}</span>
            <button type="button" class="link-button" onClick={() => void logOut()}>{t('logout')}</button>
          </>
        ) : null}
        <button type="button" class="lang" aria-label={t('langToggleLabel')} onClick={() => setLang(lang() === 'zh' ? 'en' : 'zh')}>
          {t('langToggle')}
        </button>
      </div>
    </header>
  );
}

function roleLabel(role: string): string {
  const keys = { admin: 'roleAdmin', auditor: 'roleAuditor', manager: 'roleManager', viewer: 'roleViewer' } as const;
  return role in keys ? t(keys[role as keyof typeof keys]) : role;
}

function Page({ location }: { location: Location }) {
  const [, section, rest] = /^\/([^/]*)(?:\/(.*))?$/.exec(location.path) ?? [];
  const param = rest ? decodeURIComponent(rest) : '';
  switch (section) {
    case '':
    case 'browse':
      return <BrowsePage by={param || 'employee'} query={location.query} />;
    case 'conversations':
      return <ConversationPage id={param} query={location.query} />;
    case 'search':
      return <SearchPage query={location.query} />;
    case 'customers':
      return <CustomerPage id={param} corp={location.query.get('corp') ?? undefined} />;
    case 'employees':
      return <EmployeePage userid={param} corp={location.query.get('corp') ?? undefined} />;
    case 'health':
      return <HealthPage />;
    case 'audit':
      return <AuditPage query={location.query} />;
    default:
      return (
        <section class="page">
          <h1>{t('notFoundPage')}</h1>
          <Link href="/browse/employee">{t('backHome')}</Link>
        </section>
      );
  }
}
