import type { SessionResponse } from '@naparnik/assist-service/contract';
import { useEffect, useMemo, useState } from 'react';
import { currentSession, signOut } from './api.ts';
import { type Language, LanguageContext, type MessageKey, translator } from './i18n.ts';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { EditPage } from './pages/edit-page.tsx';
import { Field } from './pages/field.tsx';
import { GapsPage } from './pages/gaps-page.tsx';
import { KnowledgePage } from './pages/knowledge-page.tsx';
import { ReviewPage } from './pages/review-page.tsx';
import { TokensPage } from './pages/tokens-page.tsx';
import { TryPage } from './pages/try-page.tsx';
import { href, useRoute } from './route.ts';
import { SignIn } from './sign-in.tsx';

const LANGUAGE_KEY = 'naparnik.console.language';
const SECTIONS: { id: string; label: MessageKey }[] = [
  { id: 'knowledge', label: 'nav.knowledge' },
  { id: 'try', label: 'nav.try' },
  { id: 'gaps', label: 'nav.gaps' },
  // Only an admin may manage tokens: the link shows for admins alone (the API says 403 to others).
  { id: 'tokens', label: 'nav.tokens' },
  { id: 'review', label: 'nav.review' },
  { id: 'dashboard', label: 'nav.dashboard' },
];

function storedLanguage(): Language {
  return window.localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'ru';
}

export function App() {
  const [language, setLanguage] = useState<Language>(storedLanguage);
  const i18n = useMemo(() => ({ language, t: translator(language) }), [language]);
  const route = useRoute();
  // undefined: not known yet; null: nobody signed in (the service answered 401).
  const [session, setSession] = useState<SessionResponse | null | undefined>();
  useEffect(() => {
    currentSession().then(setSession, () => setSession(null));
  }, []);
  // `#/analytics` was the older funnel page: the dashboard shows all it showed, so old links open it.
  const asked = route[0] === 'analytics' ? 'dashboard' : route[0];
  const section = SECTIONS.some((candidate) => candidate.id === asked) ? asked! : 'knowledge';
  const { t } = i18n;

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${t(SECTIONS.find((candidate) => candidate.id === section)!.label)} · ${t('app.title')}`;
  }, [language, section, t]);

  const chooseLanguage = (next: Language) => {
    window.localStorage.setItem(LANGUAGE_KEY, next);
    setLanguage(next);
  };

  return (
    <LanguageContext.Provider value={i18n}>
      {/* A button, not a link: the hash routes pages, so #content would change the page. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('content')?.focus()}>
        {t('app.skip')}
      </button>
      <header className="top-bar">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {SECTIONS.filter((candidate) => candidate.id !== 'tokens' || session?.role === 'admin').map(
              (candidate) => (
                <li key={candidate.id}>
                  <a href={href(candidate.id)} aria-current={candidate.id === section ? 'page' : undefined}>
                    {t(candidate.label)}
                  </a>
                </li>
              ),
            )}
          </ul>
        </nav>
        <div className="language">
          <Field label={t('language.label')}>
            {(id) => (
              <select
                id={id}
                value={language}
                onChange={(event) => chooseLanguage(event.target.value as Language)}
              >
                <option value="ru">Русский</option>
                <option value="en">English</option>
              </select>
            )}
          </Field>
        </div>
        {session && (
          <div className="session">
            <span>{t('signOut.who', { name: session.name, role: session.role })}</span>
            <button type="button" onClick={() => signOut().finally(() => setSession(null))}>
              {t('signOut.label')}
            </button>
          </div>
        )}
      </header>
      {session === null && <SignIn onSignedIn={setSession} />}
      {session && (
        <main id="content" tabIndex={-1}>
          {section === 'knowledge' && route[3] === 'edit' && route[1] && route[2] ? (
            <EditPage collection={route[1]} documentId={route[2]} viewer={session} />
          ) : (
            section === 'knowledge' && <KnowledgePage collection={route[1]} documentId={route[2]} />
          )}
          {section === 'try' && <TryPage />}
          {section === 'gaps' && <GapsPage />}
          {section === 'tokens' && <TokensPage />}
          {section === 'review' && <ReviewPage viewer={session} />}
          {section === 'dashboard' && <DashboardPage />}
        </main>
      )}
    </LanguageContext.Provider>
  );
}
