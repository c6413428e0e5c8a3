import type { AchievementDocument } from '#domain/achievement-document';
import { escapeHtml } from '#domain/escape-html';
import { isOwnImage, page } from './html';

/**
 * The public criteria page of an achievement: what a badge means and how it is earned. `baseUrl` is the public base
 * URL: an achievement image hosted anywhere else is not shown (isOwnImage).
 */
export const achievementPage = (achievement: AchievementDocument, baseUrl: string): string => {
  const alignments = (achievement.alignment ?? [])
    .map((alignment) => {
      const code = alignment.targetCode ? ` (${escapeHtml(alignment.targetCode)})` : '';
      const framework = alignment.targetFramework ? ` — ${escapeHtml(alignment.targetFramework)}` : '';
      return `<li><a href="${escapeHtml(alignment.targetUrl)}" rel="noopener noreferrer">${escapeHtml(alignment.targetName)}</a>${code}${framework}</li>`;
    })
    .join('');
  const facts = [
    achievement.achievementType ? `<li>Type: ${escapeHtml(achievement.achievementType)}</li>` : '',
    achievement.creditsAvailable !== undefined ? `<li>Credits: ${achievement.creditsAvailable} hours</li>` : '',
    achievement.humanCode ? `<li>Code: <code>${escapeHtml(achievement.humanCode)}</code></li>` : '',
    achievement.tag?.length ? `<li>Tags: ${achievement.tag.map(escapeHtml).join(', ')}</li>` : '',
  ].join('');
  const issuer = achievement.creator ? `<p class="muted">Issued by ${escapeHtml(achievement.creator.name)}</p>` : '';
  const image =
    achievement.image && isOwnImage(achievement.image.id, baseUrl)
      ? `<img class="badge" src="${escapeHtml(achievement.image.id)}" alt="">`
      : '';
  return page(
    achievement.name,
    `<article class="card">
${image}<p class="muted">Achievement</p>
<h1>${escapeHtml(achievement.name)}</h1>
${issuer}
<p>${escapeHtml(achievement.description)}</p>
<h2>How it is earned</h2>
<p>${escapeHtml(achievement.criteria.narrative)}</p>
${alignments ? `<h2>Aligned to</h2><ul>${alignments}</ul>` : ''}
${facts ? `<h2>Details</h2><ul>${facts}</ul>` : ''}
<p class="muted">This page describes the achievement only; it never shows who earned it.</p>
</article>`,
  );
};
