import type { Dependencies } from '#config/dependencies';
import { badgePng, badgeSvg, bakePng, bakeSvg } from '#domain/baking/index';
import { notFound } from '#domain/errors';
import type { CredentialRecord } from '#domain/records';
import { requireIssuer } from '#features/issuers/issuers';

export type ImageFormat = 'png' | 'svg';

/** Where a credential's baked images live in the images bucket. */
export const credentialImagePrefix = (credentialId: string): string => `credentials/${credentialId}`;

export const imageContentType: Record<ImageFormat, string> = { png: 'image/png', svg: 'image/svg+xml' };

/**
 * An achievement's badge image: the one stored for it in the private images bucket, else one generated from its
 * name and its issuer's initials. Generated images are not stored: making one is cheap, and the public function,
 * which serves shared badges, may not write to the bucket (README, "Why the public function cannot sign or write").
 */
const badgeImage = async (deps: Dependencies, achievementId: string, format: ImageFormat): Promise<Uint8Array> => {
  const key = `achievements/${achievementId}/badge.${format}`;
  const stored = await deps.blobs.get('images', key);
  if (stored) return stored.body;
  const achievement = await deps.store.achievements.get(achievementId);
  if (!achievement) throw notFound('The achievement');
  const issuer = await requireIssuer(deps, achievement.issuerId);
  const input = { achievementName: achievement.name, issuerName: issuer.name };
  return format === 'png' ? badgePng(input) : new TextEncoder().encode(badgeSvg(input));
};

/**
 * The credential baked into its badge (PNG iTXt or SVG element), made at each request and never stored: a baked
 * copy of a learner's credential left in a bucket would be one more thing to find and erase at deletion.
 */
export const bakedCredentialImage = async (deps: Dependencies, record: CredentialRecord, format: ImageFormat): Promise<Uint8Array> => {
  if (!record.credential) throw notFound('A signed credential');
  const json = JSON.stringify(record.credential);
  const base = await badgeImage(deps, record.achievementId, format);
  return format === 'png' ? bakePng(base, json) : new TextEncoder().encode(bakeSvg(new TextDecoder().decode(base), { json }));
};
