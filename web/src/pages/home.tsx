import { currentSession, sessionExpired, signIn } from '../auth';
import { useLanguage } from '../i18n';
import { Layout } from '../layout';

export const HomePage = () => {
  const { t } = useLanguage();
  const session = currentSession();
  return (
    <Layout title={t('homeTitle')}>
      <p>{t('homeIntro')}</p>
      {session ? (
        <p>
          {t('signedInAs')} <strong id="subject">{session.subject}</strong>
        </p>
      ) : (
        <>
          <p role="status">{sessionExpired() ? t('sessionEnded') : t('signedOut')}</p>
          <button type="button" class="primary" onClick={() => void signIn()}>
            {t('signIn')}
          </button>
        </>
      )}
      <p>
        <a href="/app/verify">{t('verifyLink')}</a>
      </p>
    </Layout>
  );
};
