import { escapeHtml } from '#domain/escape-html';
import { page } from './html';

interface ClrView {
  name?: string;
  issuer?: { name?: string };
  validFrom?: string;
  credentialSubject?: {
    verifiableCredential?: Array<{
      credentialSubject?: { achievement?: { id?: string; name?: string } };
      issuer?: { name?: string };
      validFrom?: string;
    }>;
  };
}

/** The public page of a shared CLR: the achievements it holds, who issued them, and the signed record to download. */
export const clrPage = (clr: Record<string, unknown>, downloadUrl: string): string => {
  const view = clr as ClrView;
  const items = (view.credentialSubject?.verifiableCredential ?? [])
    .map((credential) => {
      const achievement = credential.credentialSubject?.achievement;
      const name = escapeHtml(achievement?.name ?? 'Achievement');
      const link = achievement?.id ? `<a href="${escapeHtml(achievement.id)}">${name}</a>` : name;
      const when = credential.validFrom ? ` — ${escapeHtml(credential.validFrom.slice(0, 10))}` : '';
      return `<li>${link}<span class="muted"> · ${escapeHtml(credential.issuer?.name ?? '')}${when}</span></li>`;
    })
    .join('');
  return page(
    view.name ?? 'Comprehensive Learner Record',
    `<article class="card">
<p class="muted">Shared Comprehensive Learner Record</p>
<h1>${escapeHtml(view.name ?? 'Comprehensive Learner Record')}</h1>
<p class="muted">Issued by ${escapeHtml(view.issuer?.name ?? '')}; each achievement below is a signed credential of its own.</p>
<ul id="achievements">${items}</ul>
<p><a href="${escapeHtml(downloadUrl)}" download="clr.json">Download the record (JSON)</a></p>
</article>`,
  );
};
