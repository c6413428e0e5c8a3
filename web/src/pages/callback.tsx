import { useEffect, useState } from 'preact/hooks';
import { completeSignIn } from '../auth';
import { useLanguage } from '../i18n';
import { Layout } from '../layout';

export const CallbackPage = ({ navigate }: { navigate: (path: string) => void }) => {
  const { t } = useLanguage();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    completeSignIn().then(navigate, () => setFailed(true));
  }, []);
  return (
    <Layout title={failed ? t('signInFailed') : t('signingIn')}>
      <p role="status">{failed ? <a href="/app/">{t('signIn')}</a> : t('loading')}</p>
    </Layout>
  );
};
