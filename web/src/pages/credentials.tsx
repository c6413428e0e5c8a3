import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { apiFetch, currentSession, signIn } from '../auth';
import { formatDate, type MessageKey, useLanguage } from '../i18n';
import { Layout } from '../layout';

interface CredentialItem {
  id: string;
  state: 'issued' | 'revoked' | 'pending' | string;
  credential?: {
    name?: string;
    validFrom?: string;
    validUntil?: string;
    issuer?: { name?: string };
    credentialSubject?: { achievement?: { name?: string; image?: { id?: string } | string } };
  };
}
interface Share {
  token: string;
  url: string;
  expiresAt: string;
  qr: string;
}

const liveState = (item: CredentialItem): string =>
  item.state === 'issued' && item.credential?.validUntil && new Date(item.credential.validUntil) < new Date() ? 'expired' : item.state;

const imageOf = (item: CredentialItem): string | undefined => {
  const image = item.credential?.credentialSubject?.achievement?.image;
  const url = typeof image === 'string' ? image : image?.id;
  // Only this origin's images (the CSP allows no other); anything else is left out rather than broken.
  return url && (url.startsWith('/') || url.startsWith(location.origin) || url.startsWith('data:image/')) ? url : undefined;
};

const CredentialCard = ({ item }: { item: CredentialItem }) => {
  const { t } = useLanguage();
  const [share, setShare] = useState<Share>();
  const [message, setMessage] = useState<string>();
  const state = liveState(item);
  const name = item.credential?.name ?? item.credential?.credentialSubject?.achievement?.name ?? item.id;
  const image = imageOf(item);

  const createShare = async () => {
    setMessage(undefined);
    const response = await apiFetch(`/credentials/${encodeURIComponent(item.id)}/shares`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ expiresInDays: 30 }),
    });
    if (!response.ok) return setMessage(t('actionFailed'));
    const created = (await response.json()) as Omit<Share, 'qr'>;
    const svg = await QRCode.toString(created.url, { type: 'svg', margin: 1 });
    setShare({ ...created, qr: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
  };
  const withdraw = async () => {
    if (!share) return;
    const response = await apiFetch(`/credentials/${encodeURIComponent(item.id)}/shares/${encodeURIComponent(share.token)}`, {
      method: 'DELETE',
    });
    if (!response.ok) return setMessage(t('actionFailed'));
    setShare(undefined);
    setMessage(t('withdrawn'));
  };
  const copy = async () => {
    if (!share) return;
    await navigator.clipboard.writeText(share.url).then(
      () => setMessage(t('copied')),
      () => setMessage(t('actionFailed')),
    );
  };

  return (
    <li class="card">
      <article aria-labelledby={`name-${item.id}`}>
        {image ? <img src={image} alt="" width={96} height={96} /> : null}
        <h2 id={`name-${item.id}`}>{name}</h2>
        <dl>
          <dt>{t('issuer')}</dt>
          <dd>{item.credential?.issuer?.name ?? '—'}</dd>
          <dt>{t('issued')}</dt>
          <dd>{formatDate(item.credential?.validFrom) ?? '—'}</dd>
          <dt>{t('expires')}</dt>
          <dd>{formatDate(item.credential?.validUntil) ?? t('never')}</dd>
          <dt>{t('status')}</dt>
          <dd class={`state state-${state}`} data-state={state}>
            {t(`state_${state}` as MessageKey) ?? state}
          </dd>
        </dl>
        {state === 'issued' && !share ? (
          <button type="button" class="primary" onClick={() => void createShare()}>
            {t('share')}
          </button>
        ) : null}
        {share ? (
          <div class="share">
            <label for={`share-${item.id}`}>{t('shareLink')}</label>
            <input id={`share-${item.id}`} class="share-url" type="text" readOnly value={share.url} />
            <p>
              {t('shareExpires')} {formatDate(share.expiresAt)}
            </p>
            <img class="qr" src={share.qr} alt={t('qrAlt')} width={160} height={160} />
            <div class="actions">
              <button type="button" onClick={() => void copy()}>
                {t('copy')}
              </button>
              <button type="button" onClick={() => void withdraw()}>
                {t('withdraw')}
              </button>
            </div>
          </div>
        ) : null}
        <p role="status">{message ?? ''}</p>
      </article>
    </li>
  );
};

/** The learner's own credentials (or, for a guardian, their learner's), as cards. */
export const CredentialsPage = () => {
  const { t } = useLanguage();
  const session = currentSession();
  const [items, setItems] = useState<CredentialItem[]>();
  const [failed, setFailed] = useState(false);
  const learnerId = session?.learnerIds[0];

  useEffect(() => {
    if (!session) return void signIn({ returnTo: '/app/credentials' });
    if (!learnerId) return;
    apiFetch(`/learners/${encodeURIComponent(learnerId)}/credentials?limit=100`)
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        setItems(((await response.json()) as { items: CredentialItem[] }).items);
      })
      .catch(() => setFailed(true));
  }, [learnerId]);

  return (
    <Layout title={t('credentialsTitle')}>
      {!session ? <p role="status">{t('loading')}</p> : null}
      {session && !learnerId ? <p>{t('credentialsNotLearner')}</p> : null}
      {failed ? <p class="error">{t('actionFailed')}</p> : null}
      {items && items.length === 0 ? <p>{t('credentialsEmpty')}</p> : null}
      {items === undefined && learnerId && !failed ? <p role="status">{t('loading')}</p> : null}
      {items && items.length > 0 ? (
        <ul class="cards">
          {items.map((item) => (
            <CredentialCard key={item.id} item={item} />
          ))}
        </ul>
      ) : null}
    </Layout>
  );
};
