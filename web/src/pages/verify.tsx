import { useState } from 'preact/hooks';
import { formatDate, type MessageKey, useLanguage } from '../i18n';
import { Layout } from '../layout';

interface Check {
  check: string;
  ok: boolean;
  message: string;
  warning?: boolean;
}
interface Report {
  verified: boolean;
  checks: Check[];
  credential?: { id?: string; name?: string; issuer: { id?: string; name?: string }; validFrom?: string; validUntil?: string };
}

const readAsDataUrl = (file: File): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/** What `POST /verify` takes: a baked image as a data URL, a JSON credential as JSON, a JWT as text. */
const requestFor = async (input: { file?: File; text?: string }): Promise<RequestInit> => {
  if (input.file && /\.(png|svg)$|^image\//i.test(input.file.type || input.file.name)) {
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: await readAsDataUrl(input.file) }),
    };
  }
  const text = (input.file ? await input.file.text() : (input.text ?? '')).trim();
  return text.startsWith('{')
    ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: text }
    : { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text };
};

/** For anyone, no sign-in: each check of DESIGN §2 in plain words. Nothing is kept, here or on the server. */
export const VerifyPage = () => {
  const { t } = useLanguage();
  const [report, setReport] = useState<Report>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(false);
  const [text, setText] = useState('');
  const [dragging, setDragging] = useState(false);

  const check = async (input: { file?: File; text?: string }) => {
    setBusy(true);
    setError(false);
    setReport(undefined);
    try {
      const response = await fetch('/verify', await requestFor(input));
      if (!response.ok) throw new Error(String(response.status));
      setReport((await response.json()) as Report);
    } catch {
      setError(true);
    } finally {
      setBusy(false);
    }
  };
  const revoked = report?.checks.some((item) => item.check === 'status' && !item.ok);
  const checkLabel = (name: string) => {
    const key = `check_${name}` as MessageKey;
    return t(key) ?? name;
  };

  return (
    <Layout title={t('verifyTitle')}>
      <p>{t('verifyIntro')}</p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for the mouse; the file input inside it is the keyboard path */}
      <div
        class={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          const file = event.dataTransfer?.files[0];
          if (file) void check({ file });
        }}
      >
        <p aria-hidden="true">{t('dropHere')}</p>
        <label for="badge-file">{t('fileLabel')}</label>
        <input
          id="badge-file"
          type="file"
          accept="image/png,image/svg+xml,application/json,.json,.jwt,.txt"
          onChange={(event) => {
            const file = (event.currentTarget as HTMLInputElement).files?.[0];
            if (file) void check({ file });
          }}
        />
      </div>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void check({ text });
        }}
      >
        <label for="pasted">{t('pasteLabel')}</label>
        <textarea id="pasted" rows={5} value={text} onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)} />
        <button type="submit" class="primary" disabled={busy}>
          {t('checkButton')}
        </button>
      </form>
      <div aria-live="polite" id="result">
        {busy ? <p>{t('checking')}</p> : null}
        {error ? <p class="error">{t('verifyError')}</p> : null}
        {report ? (
          <section aria-labelledby="verdict">
            <h2 id="verdict" class={report.verified ? 'valid' : 'invalid'}>
              {report.verified ? t('resultValid') : revoked ? t('resultRevoked') : t('resultInvalid')}
            </h2>
            {report.credential ? (
              <dl>
                <dt>{t('name')}</dt>
                <dd id="credential-name">{report.credential.name ?? '—'}</dd>
                <dt>{t('issuer')}</dt>
                <dd>{report.credential.issuer.name ?? report.credential.issuer.id ?? '—'}</dd>
                <dt>{t('issued')}</dt>
                <dd>{formatDate(report.credential.validFrom) ?? '—'}</dd>
                <dt>{t('expires')}</dt>
                <dd>{formatDate(report.credential.validUntil) ?? t('never')}</dd>
              </dl>
            ) : null}
            <h3>{t('checksHeading')}</h3>
            <ul class="checks">
              {report.checks.map((item) => (
                <li key={item.check} data-check={item.check} data-ok={String(item.ok)}>
                  <strong>{item.ok ? t('passed') : t('failed')}:</strong> {checkLabel(item.check)}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </Layout>
  );
};
