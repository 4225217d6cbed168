import './styles.css';
import { type JSX, render } from 'preact';
import { lazy, Suspense } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi } from './api.ts';
import {
  completeCognitoSignIn,
  forgetSession,
  type Role,
  roles,
  type Session,
  signInLocally,
  signOut,
  startCognitoSignIn,
  storedSession,
} from './auth.ts';
import { type ConsoleConfig, loadConfig } from './config.ts';
import { App } from './context.ts';
import { initialLang, type Lang, langs, saveLang, translator } from './i18n.ts';
import { CampaignDetail } from './pages/campaign-detail.tsx';
import { CampaignEditor } from './pages/campaign-editor.tsx';
import { Campaigns } from './pages/campaigns.tsx';
import { CustomerPage, Customers } from './pages/customers.tsx';
import { Tasks } from './pages/tasks.tsx';
import { matchRoute, navigate, useRoute } from './router.ts';

// Pages with heavy or rarely used parts load on first visit.
const Satisfaction = lazy(() => import('./pages/satisfaction.tsx').then((m) => m.Satisfaction));
const Automation = lazy(() => import('./pages/automation.tsx').then((m) => m.Automation));
const RuleEditor = lazy(() => import('./pages/automation.tsx').then((m) => m.RuleEditor));
const Leads = lazy(() => import('./pages/leads.tsx').then((m) => m.Leads));
const LeadPage = lazy(() => import('./pages/leads.tsx').then((m) => m.LeadPage));
const Reports = lazy(() => import('./pages/reports.tsx').then((m) => m.Reports));
const Imports = lazy(() => import('./pages/imports.tsx').then((m) => m.Imports));
const DevPanel = lazy(() => import('./pages/dev-panel.tsx').then((m) => m.DevPanel));

const LanguageSwitch = ({
  lang,
  setLang,
  label,
}: {
  lang: Lang;
  setLang: (l: Lang) => void;
  label: string;
}) => (
  <label class="lang">
    <span>{label}</span>
    <select value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
      {langs.map((l) => (
        <option key={l} value={l}>
          {l === 'en' ? 'English' : '中文'}
        </option>
      ))}
    </select>
  </label>
);

const SignIn = ({
  config,
  lang,
  setLang,
  onSession,
}: {
  config: ConsoleConfig;
  lang: Lang;
  setLang: (l: Lang) => void;
  onSession: (s: Session) => void;
}) => {
  const t = translator(lang);
  const [role, setRole] = useState<Role>('marketer');
  const [error, setError] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      if (config.mode === 'cognito') await startCognitoSignIn(config);
      else onSession(await signInLocally(config, role));
    } catch (e) {
      setError(String((e as Error).message));
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={submit} class="card">
        <h1>{t('app.title')}</h1>
        <LanguageSwitch lang={lang} setLang={setLang} label={t('nav.language')} />
        {config.mode === 'local' && (
          <>
            <p class="muted">{t('signIn.localHint')}</p>
            <div class="field">
              <label for="role">{t('signIn.role')}</label>
              <select
                id="role"
                value={role}
                onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}
              >
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        {error && (
          <p class="problem" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary">
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
};

const navItems = [
  ['/campaigns', 'nav.campaigns'],
  ['/customers', 'nav.customers'],
  ['/tasks', 'nav.tasks'],
  ['/satisfaction', 'nav.satisfaction'],
  ['/automation', 'nav.automation'],
  ['/leads', 'nav.leads'],
  ['/reports', 'nav.reports'],
] as const;
/** Pages only an admin can use: shown to admins alone rather than as a page that answers 403. */
const adminNavItems = [['/imports', 'nav.imports']] as const;

type Route = [pattern: string, render: (params: Record<string, string>) => JSX.Element];

const routes: Route[] = [
  ['/campaigns', () => <Campaigns />],
  ['/campaigns/new', () => <CampaignEditor />],
  ['/campaigns/:id/edit', (p) => <CampaignEditor id={p.id} />],
  ['/campaigns/:id', (p) => <CampaignDetail id={p.id ?? ''} />],
  ['/customers', () => <Customers />],
  ['/customers/:id', (p) => <CustomerPage id={p.id ?? ''} />],
  ['/tasks', () => <Tasks />],
  ['/leads', () => <Leads />],
  ['/leads/:id', (p) => <LeadPage id={p.id ?? ''} />],
  ['/reports', () => <Reports />],
  ['/imports', () => <Imports />],
  ['/satisfaction', () => <Satisfaction />],
  ['/automation', () => <Automation />],
  ['/automation/new', () => <RuleEditor />],
  ['/automation/:id', (p) => <RuleEditor id={p.id} />],
];

const Page = ({ path, config }: { path: string; config: ConsoleConfig }) => {
  if (path === '/dev') return config.mode === 'local' ? <DevPanel /> : null;
  for (const [pattern, render] of routes) {
    const params = matchRoute(pattern, path);
    if (params) return render(params);
  }
  return null;
};

/** Each role starts where its work is: campaigns for marketers, the call queue for service, leads for sales and managers. */
const landingFor = (session: Session) =>
  session.roles.some((r) => r === 'admin' || r === 'marketer')
    ? '/campaigns'
    : session.roles.includes('service')
      ? '/tasks'
      : '/leads';

const Shell = ({ config }: { config: ConsoleConfig }) => {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [menuOpen, setMenuOpen] = useState(false);
  const path = useRoute();
  const t = useMemo(() => translator(lang), [lang]);
  const setLang = (l: Lang) => {
    saveLang(l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);
  useEffect(() => setMenuOpen(false), [path]);
  // Any link folds the phone menu, the current page's too (which changes no route).
  const navRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const nav = navRef.current;
    const fold = (event: Event) => {
      if ((event.target as Element).closest('a')) setMenuOpen(false);
    };
    nav?.addEventListener('click', fold);
    return () => nav?.removeEventListener('click', fold);
  });
  useEffect(() => {
    if (config.mode === 'cognito')
      completeCognitoSignIn(config).then((s) => s && setSession(s), console.error);
  }, [config]);
  const api = useMemo(
    () =>
      createApi(
        config,
        () => session?.token,
        () => {
          forgetSession();
          setSession(undefined);
        },
      ),
    [config, session],
  );
  if (!session) return <SignIn config={config} lang={lang} setLang={setLang} onSession={setSession} />;
  if (path === '/' || path === '') navigate(landingFor(session));
  const section = `/${path.split('/')[1] ?? ''}`;
  return (
    <App.Provider value={{ config, session, api, lang, t }}>
      {/* A button, not a link: "#main" would be read as a route. */}
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        {t('nav.skip')}
      </button>
      <header class="top">
        <span class="brand">{t('app.title')}</span>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('nav.menu')}
        </button>
        <nav ref={navRef} id="nav" aria-label={t('nav.label')} class={menuOpen ? 'open' : ''}>
          <ul>
            {navItems.map(([href, key]) => (
              <li key={href}>
                <a href={`#${href}`} aria-current={section === href ? 'page' : undefined}>
                  {t(key)}
                </a>
              </li>
            ))}
            {session.roles.includes('admin') &&
              adminNavItems.map(([href, key]) => (
                <li key={href}>
                  <a href={`#${href}`} aria-current={section === href ? 'page' : undefined}>
                    {t(key)}
                  </a>
                </li>
              ))}
            {config.mode === 'local' && (
              <li>
                <a href="#/dev" aria-current={section === '/dev' ? 'page' : undefined}>
                  {t('nav.dev')}
                </a>
              </li>
            )}
          </ul>
        </nav>
        <div class="who">
          <LanguageSwitch lang={lang} setLang={setLang} label={t('nav.language')} />
          <span class="muted">{session.roles.map((r) => t(`role.${r}`)).join(', ')}</span>
          <button
            type="button"
            onClick={() => {
              signOut(config);
              setSession(undefined);
            }}
          >
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p class="muted">{t('common.loading')}</p>}>
          <Page path={path} config={config} />
        </Suspense>
      </main>
    </App.Provider>
  );
};

const root = document.getElementById('app') as HTMLElement;
loadConfig().then(
  (config) => render(<Shell config={config} />, root),
  (error: unknown) => {
    root.textContent = `The console could not load its configuration: ${String(error)}`;
  },
);
