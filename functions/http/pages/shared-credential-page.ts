import { escapeHtml } from '#domain/escape-html';
import type { LiveStatus } from '#features/sharing/open-link';
import { page } from './html';

export interface SharedCredentialView {
  learnerName?: string;
  achievementName: string;
  achievementDescription?: string;
  criteriaUrl: string;
  issuerName: string;
  validFrom: string;
  validUntil?: string;
  status: LiveStatus;
  imageUrl: string;
  downloadUrl: string;
}

const statusText: Record<LiveStatus, { label: string; detail: string; color: string }> = {
  valid: { label: 'Valid', detail: 'The issuer has not revoked this credential and it has not expired.', color: '#0b6b2f' },
  expired: { label: 'Expired', detail: 'This credential was valid until the date shown and has since expired.', color: '#8a5300' },
  revoked: { label: 'Revoked', detail: 'The issuer has revoked this credential. It is no longer valid.', color: '#a4161a' },
};

const day = (iso: string) => new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** The public verification page behind a share link: works without JavaScript, no third-party assets. */
export const sharedCredentialPage = (view: SharedCredentialView): string => {
  const status = statusText[view.status];
  return page(
    `${view.achievementName} — shared credential`,
    `<article class="card" data-status="${view.status}">
<img class="badge" src="${escapeHtml(view.imageUrl)}" alt="Badge: ${escapeHtml(view.achievementName)}">
<p class="muted">Shared credential</p>
<h1>${escapeHtml(view.achievementName)}</h1>
<p role="status" style="font-weight:600;color:${status.color}">Status: <span id="status">${status.label}</span></p>
<p class="muted">${status.detail}</p>
<dl>
${view.learnerName ? `<dt>Earned by</dt><dd id="learner">${escapeHtml(view.learnerName)}</dd>` : ''}
<dt>Issued by</dt><dd id="issuer">${escapeHtml(view.issuerName)}</dd>
<dt>Issued on</dt><dd>${day(view.validFrom)}</dd>
${view.validUntil ? `<dt>Valid until</dt><dd>${day(view.validUntil)}</dd>` : ''}
</dl>
${view.achievementDescription ? `<p>${escapeHtml(view.achievementDescription)}</p>` : ''}
<p><a href="${escapeHtml(view.criteriaUrl)}">How this achievement is earned</a></p>
<p><a href="${escapeHtml(view.downloadUrl)}" download="credential.json">Download the credential (JSON)</a></p>
<p class="muted">Anyone can check this credential's signature at this site's <code>/verify</code> endpoint or with any Open Badges 3.0 verifier.</p>
</article>`,
  );
};
