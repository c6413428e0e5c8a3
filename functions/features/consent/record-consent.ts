import type { Dependencies } from '#config/dependencies';
import { canRecordConsent, type Principal } from '#domain/access';
import { forbidden } from '#domain/errors';
import type { ConsentDecision, ConsentRecord, Learner } from '#domain/learners';
import { signCredential } from '#domain/proof/sign';
import { actorOf, recordAudit } from '#features/audit/record';
import { issueCredential } from '#features/credentials/issue';
import { requireLearner } from '#features/learners/learners';
import { awardPathways } from '#features/pathways/award-capstone';

export interface ConsentOutcome {
  learnerId: string;
  consent: ConsentRecord;
  /** Credentials that were waiting for consent and are now signed. */
  issued: number;
  /** Share links withdrawn because consent was withdrawn. */
  sharesWithdrawn: number;
}

/** Signs every credential of the learner that waited for consent. */
const issuePending = async (deps: Dependencies, learner: Learner): Promise<number> => {
  let issued = 0;
  for await (const record of deps.store.credentials.allByLearner(learner.id)) {
    if (record.state !== 'pending_consent' || !record.unsigned) continue;
    const issuerDid = (record.unsigned['issuer'] as { id: string }).id;
    const signed = await signCredential(record.unsigned, deps.signer, { issuerDid });
    if (await deps.store.credentials.completePending(record.id, signed)) {
      issued++;
      deps.metrics.credentialsIssued(1);
      // Now that it counts, it may complete a pathway (the capstone is issued as for any other issuance).
      await awardPathways(deps, { ...record, state: 'issued', credential: signed }, issueCredential);
    }
  }
  return issued;
};

const withdrawShares = async (deps: Dependencies, learnerId: string): Promise<number> => {
  const shares = await deps.store.shares.listByLearner(learnerId);
  for (const share of shares) await deps.store.shares.delete(share);
  return shares.length;
};

/**
 * Records a parent's consent decision (COPPA). Granting signs every pending credential; withdrawing stops all
 * sharing at once. The record keeps who decided, how, when, and who recorded it.
 */
export const recordConsent = async (
  deps: Dependencies,
  principal: Principal,
  learnerId: string,
  decision: ConsentDecision,
): Promise<ConsentOutcome> => {
  const learner = await requireLearner(deps, learnerId);
  if (!canRecordConsent(principal, learner)) throw forbidden('Only an admin or a linked guardian may record consent for this learner.');
  const now = deps.clock.now().toISOString();
  const consent: ConsentRecord = { ...decision, at: now, recordedBy: principal.subject };
  const next: Learner = { ...learner, consent, updatedAt: now };
  await deps.store.learners.update(learner, next);
  const outcome = {
    learnerId,
    consent,
    issued: decision.granted ? await issuePending(deps, next) : 0,
    sharesWithdrawn: decision.granted ? 0 : await withdrawShares(deps, learnerId),
  };
  await recordAudit(
    deps,
    learnerId,
    actorOf(principal),
    'consent.record',
    { granted: decision.granted ? 'yes' : 'no', issued: outcome.issued, sharesWithdrawn: outcome.sharesWithdrawn },
    decision.method,
  );
  return outcome;
};
