import type { Dependencies } from '#config/dependencies';
import type { CredentialRecord } from '#domain/records';

/**
 * A renewal: another credential of the same achievement for the same learner (issued, or waiting for consent) that
 * outlasts this one makes it superseded (not revoked — it was not wrong), which stops its expiry alerts. Looked for
 * when an alert falls due (features/expiry/expiry-alerts.ts), not at every issue: only expiring credentials can be
 * superseded in effect, and issuing then reads none of the learner's other credentials.
 */
export const renewalOf = async (deps: Dependencies, record: CredentialRecord): Promise<CredentialRecord | undefined> => {
  for await (const other of deps.store.credentials.allByLearner(record.learnerId)) {
    const outlasts = !other.validUntil || (record.validUntil !== undefined && other.validUntil > record.validUntil);
    if (other.id !== record.id && other.achievementId === record.achievementId && other.state !== 'revoked' && outlasts) return other;
  }
  return undefined;
};
