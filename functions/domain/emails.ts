import type { Mail } from '#ports/mailer';
import { escapeHtml } from './escape-html';

export interface ExpiryNotice {
  to: string;
  givenName: string;
  achievementName: string;
  criteriaUrl: string;
  validUntil: string;
  daysLeft: number;
  isStaff: boolean;
  districtName: string;
}

const day = (iso: string) => new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** A plain, accessible notice (text and simple HTML, no images, no tracking pixels). */
export const expiryNoticeMail = (notice: ExpiryNotice): Mail => {
  const when = `${day(notice.validUntil)} (${notice.daysLeft} day${notice.daysLeft === 1 ? '' : 's'} from now)`;
  const renewal = notice.isStaff
    ? 'To renew, complete the renewal course or hours for this credential and send the certificate to your district office; the renewed credential will be issued to you and this one marked as renewed.'
    : 'Talk to your teacher or counsellor about renewing it.';
  const text = [
    `Hello ${notice.givenName},`,
    '',
    `Your credential "${notice.achievementName}" expires on ${when}.`,
    '',
    renewal,
    '',
    `What it covers: ${notice.criteriaUrl}`,
    '',
    `— ${notice.districtName}`,
  ].join('\n');
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>Hello ${escapeHtml(notice.givenName)},</p>
<p>Your credential <strong>${escapeHtml(notice.achievementName)}</strong> expires on ${escapeHtml(when)}.</p>
<p>${escapeHtml(renewal)}</p>
<p><a href="${escapeHtml(notice.criteriaUrl)}">What this credential covers</a></p>
<p>— ${escapeHtml(notice.districtName)}</p>
</body></html>`;
  return {
    to: notice.to,
    subject: `Your "${notice.achievementName}" credential expires in ${notice.daysLeft} day${notice.daysLeft === 1 ? '' : 's'}`,
    text,
    html,
  };
};

export interface DigestLine {
  credentialId: string;
  sourcedId: string;
  achievementName: string;
  validUntil: string;
  daysLeft: number;
}

/** The admins' daily digest: SIS ids and credential ids, enough to act, no more. */
export const expiryDigestMail = (to: string, districtName: string, lines: DigestLine[]): Mail => {
  const sorted = [...lines].sort((a, b) => a.daysLeft - b.daysLeft);
  const text = [
    `${sorted.length} credential(s) expire soon:`,
    '',
    ...sorted.map(
      (line) =>
        `- ${line.achievementName} — SIS id ${line.sourcedId} — ${day(line.validUntil)} (${line.daysLeft} days) — ${line.credentialId}`,
    ),
    '',
    `— Merit, ${districtName}`,
  ].join('\n');
  const rows = sorted
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.achievementName)}</td><td>${escapeHtml(line.sourcedId)}</td><td>${escapeHtml(day(line.validUntil))}</td><td>${line.daysLeft}</td><td>${escapeHtml(line.credentialId)}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif">
<p>${sorted.length} credential(s) expire soon.</p>
<table><thead><tr><th scope="col">Achievement</th><th scope="col">SIS id</th><th scope="col">Expires</th><th scope="col">Days left</th><th scope="col">Credential</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>`;
  return { to, subject: `Merit: ${sorted.length} credential(s) expiring soon`, text, html };
};
