import type { Dependencies } from '#config/dependencies';
import { assertCanReadLearner, isStaff, type Principal } from '#domain/access';
import { actorOf, recordAudit } from '#features/audit/record';
import { answerOf, type IssuedCredential, requireRecord } from '#features/credentials/answer';
import { bakedCredentialImage, type ImageFormat } from '#features/credentials/baked-image';
import { requireLearner } from '#features/learners/learners';
import type { Page, PageRequest } from '#ports/store';

export const getCredential = async (deps: Dependencies, principal: Principal, id: string): Promise<IssuedCredential> => {
  const record = await requireRecord(deps, id);
  assertCanReadLearner(principal, { id: record.learnerId, ...(record.schoolId ? { schoolId: record.schoolId } : {}) });
  if (isStaff(principal)) await recordAudit(deps, record.learnerId, actorOf(principal), 'credential.read', { credentialId: id });
  return answerOf(record);
};

/** The credential baked into its badge image, for those who may read it. */
export const getCredentialImage = async (
  deps: Dependencies,
  principal: Principal,
  id: string,
  format: ImageFormat,
): Promise<Uint8Array> => {
  await getCredential(deps, principal, id);
  return bakedCredentialImage(deps, await requireRecord(deps, id), format);
};

export const listLearnerCredentials = async (
  deps: Dependencies,
  principal: Principal,
  learnerId: string,
  page: PageRequest,
): Promise<Page<IssuedCredential>> => {
  const learner = await requireLearner(deps, learnerId);
  assertCanReadLearner(principal, learner);
  const result = await deps.store.credentials.listByLearner(learner.id, page);
  if (isStaff(principal)) await recordAudit(deps, learner.id, actorOf(principal), 'credential.read', { count: result.items.length });
  return { ...result, items: result.items.map(answerOf) };
};
