import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { currentSession, signIn, signOut } from './auth';
import { type Language, setLanguage, useLanguage } from './i18n';

/** Every page: a skip link, a header with the language switch and sign-in state, one `<main>` with one `<h1>`. */
export const Layout = ({ title, children }: { title: string; children: ComponentChildren }) => {
  const { language, t } = useLanguage();
  const session = currentSession();
  useEffect(() => {
    document.title = `${title} — Merit`;
    document.documentElement.lang = language;
  }, [title, language]);
  return (
    <>
      <a class="skip" href="#content">
        {t('skip')}
      </a>
      <header>
        <a class="brand" href="/app/">
          {t('appName')}
        </a>
        <nav aria-label={t('nav')}>
          <a href="/app/verify">{t('verifyLink')}</a>
          {session && session.learnerIds.length > 0 ? <a href="/app/credentials">{t('myCredentialsLink')}</a> : null}
        </nav>
        <label class="language">
          {t('language')}{' '}
          <select value={language} onChange={(event) => setLanguage((event.currentTarget as HTMLSelectElement).value as Language)}>
            <option value="en" lang="en">
              English
            </option>
            <option value="es" lang="es">
              Español
            </option>
          </select>
        </label>
        {session ? (
          <button type="button" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        ) : (
          <button type="button" onClick={() => void signIn({ returnTo: location.pathname })}>
            {t('signIn')}
          </button>
        )}
      </header>
      <main id="content" tabIndex={-1}>
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
};
