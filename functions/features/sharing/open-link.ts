import type { Dependencies } from '#config/dependencies';
import { publicViewer } from '#domain/audit';
import { notFound } from '#domain/errors';
import { awaitsParentalConsent } from '#domain/parental-consent';
import type { CredentialRecord, Share } from '#domain/records';
import { recordAudit } from '#features/audit/record';
import { liveShare } from '#features/sharing/link-expiry';

export type LiveStatus = 'valid' | 'expired' | 'revoked';

export interface SharedCredential {
  share: Share;
  credential: Record<string, unknown>;
  record: CredentialRecord;
  status: LiveStatus;
}

/** Is this token a CLR link? (The public route serves both kinds.) */
export const isClrShare = async (deps: Dependencies, token: string): Promise<boolean> =>
  (await deps.store.shares.get(token))?.kind === 'clr';

/**
 * What a CLR link shows: the learner's CLR as signed when the link was made, while the link lives and consent (when
 * needed) holds. Its credentials carry their own status entries, so one revoked since shows as revoked to a verifier.
 */
export const openClrShare = async (deps: Dependencies, token: string): Promise<Record<string, unknown>> => {
  const share = await liveShare(deps, token);
  const learner = share.kind === 'clr' ? await deps.store.learners.get(share.learnerId) : undefined;
  if (!learner || !share.document || awaitsParentalConsent(learner, deps.district.consentPolicy, deps.clock.now()))
    throw notFound('The shared credential');
  await recordAudit(deps, learner.id, publicViewer, 'share.view', { clr: String(share.document['id']) });
  return share.document;
};

/**
 * What a share link shows: only while the link is unexpired and not withdrawn, the learner still exists and
 * consent (when needed) still holds. Anything else is simply not found.
 */
export const openShare = async (deps: Dependencies, token: string): Promise<SharedCredential> => {
  const share = await liveShare(deps, token);
  const now = deps.clock.now();
  if (share.kind === 'clr') throw notFound('The shared credential');
  const [record, learner] = await Promise.all([deps.store.credentials.get(share.credentialId), deps.store.learners.get(share.learnerId)]);
  if (!record?.credential || !learner || awaitsParentalConsent(learner, deps.district.consentPolicy, now))
    throw notFound('The shared credential');
  const status: LiveStatus =
    record.state === 'revoked' ? 'revoked' : record.validUntil && record.validUntil <= now.toISOString() ? 'expired' : 'valid';
  await recordAudit(deps, learner.id, publicViewer, 'share.view', { credentialId: record.id });
  return { share, credential: record.credential, record, status };
};
