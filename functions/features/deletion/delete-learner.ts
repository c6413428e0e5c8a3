import { createHash } from 'node:crypto';
import type { Dependencies } from '#config/dependencies';
import { assertCanReadLearner, type Principal } from '#domain/access';
import type { AuditActor } from '#domain/audit';
import { forbidden } from '#domain/errors';
import type { Learner } from '#domain/learners';
import { isUnderConsentAge } from '#domain/parental-consent';
import type { CredentialRecord, DeletionReceipt } from '#domain/records';
import { credentialImagePrefix } from '#features/credentials/baked-image';
import { learnerHash } from '#features/learners/learner-hash';
import { requireLearner } from '#features/learners/learners';
import { setRevocationBit } from '#features/status-lists/status-lists';

const allCredentials = async (deps: Dependencies, learnerId: string): Promise<CredentialRecord[]> => {
  const records: CredentialRecord[] = [];
  for await (const record of deps.store.credentials.allByLearner(learnerId)) records.push(record);
  return records;
};

/** Admins, linked guardians, and learners themselves from 13 may ask for deletion. */
export const assertMayDelete = (deps: Dependencies, principal: Principal, learner: Learner): void => {
  if (principal.role === 'admin') return;
  if (principal.role !== 'guardian' && principal.role !== 'learner')
    throw forbidden('Only an admin, a guardian or the learner can ask for deletion.');
  assertCanReadLearner(principal, learner);
  if (principal.role === 'learner' && isUnderConsentAge(learner, deps.clock.now())) {
    throw forbidden('Learners under 13 cannot ask for deletion themselves; a parent or guardian can.');
  }
};

/**
 * Hard-deletes a learner (DESIGN §5.4): revokes their credentials (the status lists stay resolvable), removes their
 * images, share links, credential copies, the memberships linking guardians (and their own sign-in) to them, audit
 * trail and profile, and leaves a receipt without PII. Safe to run
 * again after a failure halfway: every step is idempotent, and the receipt id is derived from the learner id.
 */
export const eraseLearner = async (
  deps: Dependencies,
  learner: Learner,
  requestedBy: AuditActor,
  reason: DeletionReceipt['reason'],
): Promise<DeletionReceipt> => {
  const records = await allCredentials(deps, learner.id);
  let credentialsRevoked = 0;
  for (const record of records) {
    if (record.state === 'revoked') continue;
    await setRevocationBit(deps, record.statusListId, record.statusListIndex);
    credentialsRevoked++;
  }
  let imagesDeleted = 0;
  for (const record of records) {
    for (const key of await deps.blobs.list('images', credentialImagePrefix(record.id))) {
      await deps.blobs.delete('images', key);
      imagesDeleted++;
    }
  }
  const shares = await deps.store.shares.listByLearner(learner.id);
  for (const share of shares) await deps.store.shares.delete(share);
  await deps.store.erasure.deleteCredentialItems(records);
  // Before the learner's partition goes (it holds the index of memberships by learner): a learner re-created with
  // the same id (it derives from the SIS id) must not be readable by whoever was linked to the deleted one (§5.8).
  const membershipsUnlinked = await deps.store.memberships.unlinkLearner(learner.id);

  const deletedAt = deps.clock.now().toISOString();
  const hash = await learnerHash(deps, learner.sourcedId);
  const receipt: DeletionReceipt = {
    // Per registration: a learner re-created after a deletion keeps their id (it derives from the SIS id).
    id: createHash('sha256').update(`receipt\u0000${learner.id}\u0000${learner.createdAt}`).digest('hex').slice(0, 32),
    learnerHash: hash,
    deletedAt,
    requestedBy: requestedBy.actor,
    requestedByRole: requestedBy.role,
    reason,
    counts: {
      credentialsRevoked,
      credentialsDeleted: records.length,
      sharesWithdrawn: shares.length,
      imagesDeleted,
      auditEntriesDeleted: 0,
      membershipsUnlinked,
    },
  };
  const { auditEntries } = await deps.store.erasure.deleteLearnerPartition(learner.id);
  receipt.counts.auditEntriesDeleted = auditEntries;
  await deps.store.erasure.putReceipt(receipt);
  await deps.store.erasure.putTombstone(hash, deletedAt, receipt.id);
  deps.logger.info('Learner deleted', { receiptId: receipt.id, reason, ...receipt.counts });
  return receipt;
};

export const deleteLearner = async (deps: Dependencies, principal: Principal, learnerId: string): Promise<DeletionReceipt> => {
  const learner = await requireLearner(deps, learnerId);
  assertMayDelete(deps, principal, learner);
  return eraseLearner(deps, learner, { actor: principal.subject, role: principal.role }, 'request');
};
