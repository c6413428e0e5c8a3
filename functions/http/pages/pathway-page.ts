import { escapeHtml } from '#domain/escape-html';
import type { PublicPathway, PublicRequirement } from '#features/pathways/public';
import { page } from './html';

const requirementHtml = (node: PublicRequirement): string => {
  if ('achievementId' in node) return `<a href="${escapeHtml(node.url)}">${escapeHtml(node.name)}</a>`;
  const [heading, children] =
    'allOf' in node ? ['All of:', node.allOf] : [node.nOf.n === node.nOf.of.length ? 'All of:' : `Any ${node.nOf.n} of:`, node.nOf.of];
  return `${escapeHtml(heading)}<ul>${children.map((child) => `<li>${requirementHtml(child)}</li>`).join('')}</ul>`;
};

/** The public page of a pathway: its capstone and the steps that lead to it. Nothing about any learner. */
export const pathwayPage = (pathway: PublicPathway): string =>
  page(
    pathway.name,
    `<article class="card">
<p class="muted">Pathway</p>
<h1>${escapeHtml(pathway.name)}</h1>
<p class="muted">Offered by ${escapeHtml(pathway.issuer.name)}</p>
${pathway.description ? `<p>${escapeHtml(pathway.description)}</p>` : ''}
<h2>Leads to</h2>
<p><a href="${escapeHtml(pathway.capstone.id)}">${escapeHtml(pathway.capstone.name)}</a>${pathway.capstone.description ? ` — ${escapeHtml(pathway.capstone.description)}` : ''}</p>
<h2>Steps</h2>
<div>${requirementHtml(pathway.requirement)}</div>
<p class="muted">The capstone is awarded automatically once the steps are earned. This page never shows who is on the pathway.</p>
</article>`,
  );
