import { randomBytes } from 'node:crypto';
import type { Dependencies } from '#config/dependencies';
import { assertCanReadLearner, type Principal } from '#domain/access';
import { addDays } from '#domain/dates';
import { AppError, forbidden, notFound } from '#domain/errors';
import type { Learner } from '#domain/learners';
import { awaitsParentalConsent, isUnderConsentAge } from '#domain/parental-consent';
import type { CredentialRecord, Share } from '#domain/records';
import { actorOf, recordAudit } from '#features/audit/record';
import { buildSignedClr } from '#features/clr/clr';
import { requireLearner } from '#features/learners/learners';

/** A share link to make (`createShareSchema` in `#http/schemas/shares`). */
export interface CreateShare {
  expiresInDays: number;
}

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
    throw forbidden(
      'This learner has no parental consent on file (needed under 13, when the age is unknown, or by district policy), so nothing can be shared yet.',
    );
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
  input: CreateShare,
): Promise<ShareLink> => {
  const record = await requireCredential(deps, credentialId);
  const learner = await requireLearner(deps, record.learnerId);
  assertMayShare(deps, principal, learner);
  if (record.state !== 'issued') {
    throw new AppError(
      'conflict',
      record.state === 'revoked' ? 'A revoked credential cannot be shared.' : 'This credential is not issued yet.',
    );
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

/** A CLR link to make (`createClrShareSchema` in `#http/schemas/shares`). */
export interface CreateClrShare extends CreateShare {
  /** The credentials to include; absent = every issued credential when the link is made (the CLR is signed then). */
  credentialIds?: string[];
}

/** A link to the learner's CLR (DESIGN §5.3: the same rules as a single credential's link). */
export const createClrShare = async (
  deps: Dependencies,
  principal: Principal,
  learnerId: string,
  input: CreateClrShare,
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
