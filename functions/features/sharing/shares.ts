import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Dependencies } from '#config/dependencies';
import { assertCanReadLearner, type Principal } from '#domain/access';
import { AppError, forbidden, notFound } from '#domain/errors';
import { addDays } from '#domain/dates';
import { awaitsParentalConsent, isUnderConsentAge, type Learner } from '#domain/learners';
import type { CredentialRecord, Share } from '#ports/store';
import { publicViewer } from '#domain/audit';
import { actorOf, recordAudit } from '#features/audit/audit';
import { buildSignedClr } from '#features/clr/clr';
import { requireLearner } from '#features/learners/learners';

export const createShareSchema = z
  .object({ expiresInDays: z.number().int().min(1).max(365).default(30) })
  .strict()
  .meta({ id: 'CreateShare' });

export interface ShareLink {
  token: string;
  url: string;
  expiresAt: string;
}

/** Sharing is the learner's choice from 13, a guardian's for linked learners, or an admin's on their behalf. */
const assertMayShare = (deps: Dependencies, principal: Principal, learner: Learner): void => {
  if (principal.role !== 'admin') assertCanReadLearner(principal, learner);
  const today = deps.clock.now();
  if (principal.role === 'learner' && isUnderConsentAge(learner, today)) {
    throw forbidden('Learners under 13 cannot share credentials themselves; a parent or guardian can.');
  }
  if (awaitsParentalConsent(learner, deps.district.consentPolicy, today)) {
    throw forbidden('This learner has no parental consent on file (needed under 13, when the age is unknown, or by district policy), so nothing can be shared yet.');
  }
};

const requireCredential = async (deps: Dependencies, id: string): Promise<CredentialRecord> => {
  const record = await deps.store.credentials.get(id);
  if (!record) throw notFound('The credential');
  return record;
};

export const createShare = async (
  deps: Dependencies,
  principal: Principal,
  credentialId: string,
  input: z.output<typeof createShareSchema>,
): Promise<ShareLink> => {
  const record = await requireCredential(deps, credentialId);
  const learner = await requireLearner(deps, record.learnerId);
  assertMayShare(deps, principal, learner);
  if (record.state !== 'issued') {
    throw new AppError('conflict', record.state === 'revoked' ? 'A revoked credential cannot be shared.' : 'This credential is not issued yet.');
  }
  const now = deps.clock.now();
  // 256 bits from the CSPRNG: unguessable, and carries nothing about the learner.
  const share: Share = {
    token: randomBytes(32).toString('base64url'),
    credentialId,
    learnerId: learner.id,
    createdAt: now.toISOString(),
    expiresAt: addDays(now, input.expiresInDays).toISOString(),
    createdBy: principal.subject,
  };
  await deps.store.shares.create(share);
  await recordAudit(deps, learner.id, actorOf(principal), 'share.create', { credentialId, expiresAt: share.expiresAt });
  return { token: share.token, url: `${await deps.publicBaseUrl()}/shared/${share.token}`, expiresAt: share.expiresAt };
};

export const createClrShareSchema = z
  .object({
    expiresInDays: z.number().int().min(1).max(365).default(30),
    /** The credentials to include; absent = every issued credential when the link is made (the CLR is signed then). */
    credentialIds: z.array(z.string().min(1).max(128)).min(1).max(200).optional(),
  })
  .strict()
  .meta({ id: 'CreateClrShare' });

/** A link to the learner's CLR (DESIGN §5.3: the same rules as a single credential's link). */
export const createClrShare = async (
  deps: Dependencies,
  principal: Principal,
  learnerId: string,
  input: z.output<typeof createClrShareSchema>,
): Promise<ShareLink> => {
  const learner = await requireLearner(deps, learnerId);
  assertMayShare(deps, principal, learner);
  for (const id of input.credentialIds ?? []) {
    const record = await deps.store.credentials.get(id);
    if (record?.learnerId !== learner.id) throw notFound('One of the chosen credentials');
  }
  // Signed here, once (the api function may sign); the public route serves it as stored.
  const document = await buildSignedClr(deps, learner, input.credentialIds);
  const now = deps.clock.now();
  const share: Share = {
    token: randomBytes(32).toString('base64url'),
    credentialId: `clr:${learner.id}`,
    kind: 'clr',
    ...(input.credentialIds ? { credentialIds: input.credentialIds } : {}),
    document,
    learnerId: learner.id,
    createdAt: now.toISOString(),
    expiresAt: addDays(now, input.expiresInDays).toISOString(),
    createdBy: principal.subject,
  };
  await deps.store.shares.create(share);
  await recordAudit(deps, learner.id, actorOf(principal), 'share.create', { clr: 'yes', expiresAt: share.expiresAt });
  return { token: share.token, url: `${await deps.publicBaseUrl()}/shared/${share.token}`, expiresAt: share.expiresAt };
};

export const withdrawClrShare = (deps: Dependencies, principal: Principal, learnerId: string, token: string): Promise<void> =>
  withdrawShare(deps, principal, `clr:${learnerId}`, token);

export const withdrawShare = async (deps: Dependencies, principal: Principal, credentialId: string, token: string): Promise<void> => {
  const share = await deps.store.shares.get(token);
  if (!share || share.credentialId !== credentialId) throw notFound('The share link');
  const learner = await requireLearner(deps, share.learnerId);
  if (principal.role !== 'admin') assertCanReadLearner(principal, learner);
  await deps.store.shares.delete(share);
  await recordAudit(deps, learner.id, actorOf(principal), 'share.withdraw', { credentialId });
};

export type LiveStatus = 'valid' | 'expired' | 'revoked';

export interface SharedCredential {
  share: Share;
  credential: Record<string, unknown>;
  record: CredentialRecord;
  status: LiveStatus;
}

/** An unexpired, not withdrawn link. */
const liveShare = async (deps: Dependencies, token: string): Promise<Share> => {
  const share = await deps.store.shares.get(token);
  if (!share || share.expiresAt <= deps.clock.now().toISOString()) throw notFound('The shared credential');
  return share;
};

/** Is this token a CLR link? (The public route serves both kinds.) */
export const isClrShare = async (deps: Dependencies, token: string): Promise<boolean> => (await deps.store.shares.get(token))?.kind === 'clr';

/**
 * What a CLR link shows: the learner's CLR as signed when the link was made, while the link lives and consent (when
 * needed) holds. Its credentials carry their own status entries, so one revoked since shows as revoked to a verifier.
 */
export const openClrShare = async (deps: Dependencies, token: string): Promise<Record<string, unknown>> => {
  const share = await liveShare(deps, token);
  const learner = share.kind === 'clr' ? await deps.store.learners.get(share.learnerId) : undefined;
  if (!learner || !share.document || awaitsParentalConsent(learner, deps.district.consentPolicy, deps.clock.now())) throw notFound('The shared credential');
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
  if (!record?.credential || !learner || awaitsParentalConsent(learner, deps.district.consentPolicy, now)) throw notFound('The shared credential');
  const status: LiveStatus =
    record.state === 'revoked' ? 'revoked' : record.validUntil && record.validUntil <= now.toISOString() ? 'expired' : 'valid';
  await recordAudit(deps, learner.id, publicViewer, 'share.view', { credentialId: record.id });
  return { share, credential: record.credential, record, status };
};
