import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { signIn } from './auth';
import { useLanguage } from './i18n';
import { Layout } from './layout';
import { CallbackPage } from './pages/callback';
import { CredentialsPage } from './pages/credentials';
import { HomePage } from './pages/home';
import { VerifyPage } from './pages/verify';

const NotFound = () => {
  const { t } = useLanguage();
  return (
    <Layout title={t('notFoundTitle')}>
      <p>{t('notFoundText')}</p>
    </Layout>
  );
};

const App = () => {
  const [path, setPath] = useState(location.pathname);
  const navigate = (to: string) => {
    history.replaceState(null, '', to);
    setPath(new URL(to, location.origin).pathname);
  };
  useEffect(() => {
    // `/app/?login_hint=<subject>`: straight to the IdP with the hint (the demo links `npm start` prints).
    const hint = new URLSearchParams(location.search).get('login_hint');
    if (hint) void signIn({ loginHint: hint, returnTo: '/app/' });
  }, []);
  useEffect(() => document.getElementById('content')?.focus(), [path]);
  switch (path.replace(/\/$/, '')) {
    case '/app':
      return <HomePage />;
    case '/app/callback':
      return <CallbackPage navigate={navigate} />;
    case '/app/verify':
      return <VerifyPage />;
    case '/app/credentials':
      return <CredentialsPage />;
    default:
      return <NotFound />;
  }
};

render(<App />, document.getElementById('app')!);
