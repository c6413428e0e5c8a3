import type { Dependencies } from '#config/dependencies';
import { bakePng, bakeSvg, badgePng, badgeSvg } from '#domain/baking/index';
import { notFound } from '#domain/errors';
import type { CredentialRecord } from '#ports/store';
import { credentialImagePrefix } from './deletion';
import { requireIssuer } from './issuers';

export type ImageFormat = 'png' | 'svg';

export const imageContentType: Record<ImageFormat, string> = { png: 'image/png', svg: 'image/svg+xml' };

/**
 * An achievement's badge image: the one uploaded for it, else one generated from its name and its issuer's
 * initials (cached in the private images bucket).
 */
const badgeImage = async (deps: Dependencies, achievementId: string, format: ImageFormat): Promise<Uint8Array> => {
  const key = `achievements/${achievementId}/badge.${format}`;
  const stored = await deps.blobs.get('images', key);
  if (stored) return stored.body;
  const achievement = await deps.store.achievements.get(achievementId);
  if (!achievement) throw notFound('The achievement');
  const issuer = await requireIssuer(deps, achievement.issuerId);
  const input = { achievementName: achievement.name, issuerName: issuer.name };
  const image = format === 'png' ? badgePng(input) : new TextEncoder().encode(badgeSvg(input));
  await deps.blobs.put('images', key, image, imageContentType[format]);
  return image;
};

/**
 * The credential baked into its badge (PNG iTXt or SVG element), made on first request and kept in the private
 * images bucket under the credential's prefix (so deleting the learner deletes it).
 */
export const bakedCredentialImage = async (deps: Dependencies, record: CredentialRecord, format: ImageFormat): Promise<Uint8Array> => {
  if (!record.credential) throw notFound('A signed credential');
  const key = `${credentialImagePrefix(record.id)}.${format}`;
  const stored = await deps.blobs.get('images', key);
  if (stored) return stored.body;
  const json = JSON.stringify(record.credential);
  const base = await badgeImage(deps, record.achievementId, format);
  const baked = format === 'png' ? bakePng(base, json) : new TextEncoder().encode(bakeSvg(new TextDecoder().decode(base), { json }));
  await deps.blobs.put('images', key, baked, imageContentType[format]);
  return baked;
};
