import type { Dependencies } from '#config/dependencies';
import { assertCanReadLearner, type Principal } from '#domain/access';
import { notFound } from '#domain/errors';
import { actorOf, recordAudit } from '#features/audit/record';
import { requireLearner } from '#features/learners/learners';

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
