import type { Dependencies } from '#config/dependencies';
import { assertSchoolScope, type Principal } from '#domain/access';
import { actorOf, recordAudit } from '#features/audit/record';
import { answerOf, type IssuedCredential, requireRecord } from '#features/credentials/answer';
import { setRevocationBit } from '#features/status-lists/status-lists';

/** Revokes: sets the status bit and re-signs the list (verifiers see it at once), then marks the record. */
export const revokeCredential = async (deps: Dependencies, principal: Principal, id: string, reason: string): Promise<IssuedCredential> => {
  const record = await requireRecord(deps, id);
  const issuer = await deps.store.issuers.get(record.issuerId);
  assertSchoolScope(principal, issuer?.schoolId, 'credential');
  if (record.state === 'revoked') return answerOf(record);
  await setRevocationBit(deps, record.statusListId, record.statusListIndex);
  await deps.store.credentials.markRevoked(id, { at: deps.clock.now().toISOString(), reason, by: principal.subject });
  await recordAudit(deps, record.learnerId, actorOf(principal), 'credential.revoke', { credentialId: id }, reason);
  return { ...answerOf(record), state: 'revoked' };
};
