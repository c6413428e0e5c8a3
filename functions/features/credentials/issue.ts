import type { Dependencies } from '#config/dependencies';
import { assertCanIssue, type Principal } from '#domain/access';
import type { Achievement } from '#domain/achievements';
import { buildCredential } from '#domain/credential/build';
import type { IssueCredential } from '#domain/credential-requests';
import { addDays } from '#domain/dates';
import { notFound } from '#domain/errors';
import { idFromKey } from '#domain/ids';
import type { Learner } from '#domain/learners';
import { awaitsParentalConsent } from '#domain/parental-consent';
import type { PathwayLink } from '#domain/pathways';
import { signCredential } from '#domain/proof/sign';
import type { CredentialRecord, CredentialState } from '#domain/records';
import { type PublicAchievement, publicAchievement } from '#features/achievements/public-achievement';
import { actorOf, recordAudit } from '#features/audit/record';
import { answerOf, type IssuedCredential, requireRecord } from '#features/credentials/answer';
import { requireLearner } from '#features/learners/learners';
import { learnerPseudonym } from '#features/learners/pseudonym';
import { awardPathways } from '#features/pathways/award-capstone';
import { publishStatusList } from '#features/status-lists/status-lists';

/**
 * Same learner + achievement + source → same id → the first credential again, never a second one. The learner's
 * registration time is part of the key: a learner re-created after a deletion has the same id, but new credentials.
 */
export const credentialIdFor = (learner: Pick<Learner, 'id' | 'createdAt'>, achievementId: string, source: string): string =>
  idFromKey('credential', JSON.stringify([learner.id, learner.createdAt, achievementId, source]));

const toInstant = (value: string): string => (value.length === 10 ? `${value}T00:00:00Z` : new Date(value).toISOString());

/** When the credential stops being valid: as asked, or as long as the achievement says it lasts. */
const validityOf = (input: IssueCredential, achievement: Achievement, now: Date) => {
  const validFrom = toInstant(input.validFrom ?? now.toISOString());
  const validUntil = input.validUntil
    ? toInstant(input.validUntil)
    : achievement.validForDays
      ? addDays(new Date(validFrom), achievement.validForDays).toISOString()
      : undefined;
  return { validFrom, ...(validUntil ? { validUntil } : {}) };
};

/** PD hours earned: as stated at issue, else what the achievement offers. */
const creditsOf = (input: IssueCredential, achievement: Achievement) => {
  const credits = input.creditsEarned ?? achievement.creditsAvailable;
  return credits !== undefined ? { creditsEarned: credits } : {};
};

/**
 * Issues (builds, signs with KMS, stores) a credential. Idempotent per (learner, achievement, source); a learner
 * under 13 without consent gets it in state `pending_consent`: stored unsigned, signed once consent is recorded.
 */
export const issueCredential = async (deps: Dependencies, principal: Principal, input: IssueCredential): Promise<IssuedCredential> =>
  (await issueCredentialOnce(deps, principal, input)).answer;

/** As {@link issueCredential}, also saying whether this call created the credential (bulk reports `duplicate`). */
export const issueCredentialOnce = async (
  deps: Dependencies,
  principal: Principal,
  input: IssueCredential,
  options: {
    /** Where this issuance comes from (a drop's row): tells a redelivery of the same row from a real duplicate. */
    origin?: string;
    /**
     * What the caller has just read or created (a drop row's learner, its achievement and the pathways holding it,
     * the credential at the derived id — null when known absent): not read again.
     */
    known?: {
      learner?: Learner;
      achievement?: PublicAchievement;
      earlier?: CredentialRecord | null;
      pathwayLinks?: readonly PathwayLink[];
    };
  } = {},
): Promise<{ answer: IssuedCredential; created: boolean; origin?: string }> => {
  const { known = {} } = options;
  const learner = known.learner?.id === input.learnerId ? known.learner : await requireLearner(deps, input.learnerId);
  const { achievement, issuer, document } =
    known.achievement?.achievement.id === input.achievementId ? known.achievement : await publicAchievement(deps, input.achievementId);
  if (!document.creator) throw notFound('The issuer of this achievement');
  assertCanIssue(principal, issuer, learner);

  const id = credentialIdFor(learner, achievement.id, input.source);
  const earlier = known.earlier === null || known.earlier?.id === id ? known.earlier : await deps.store.credentials.get(id);
  if (earlier) {
    // The same drop row again: its first delivery may have died between storing the credential and auditing it.
    if (options.origin && earlier.origin === options.origin) await recordIssue(deps, principal, earlier, input.source);
    return { answer: answerOf(earlier), created: false, ...(earlier.origin ? { origin: earlier.origin } : {}) };
  }

  const now = deps.clock.now();
  const slot = await deps.store.statusLists.allocate(achievement.issuerId);
  await publishStatusList(deps, slot.listId);
  const baseUrl = await deps.publicBaseUrl();
  const validity = validityOf(input, achievement, now);
  const unsigned = buildCredential({
    credentialId: `urn:uuid:${id}`,
    issuer: document.creator,
    achievement: document,
    recipient: await recipientOf(deps, learner),
    ...validity,
    ...(input.evidence ? { evidence: input.evidence } : {}),
    ...(input.narrative ? { narrative: input.narrative } : {}),
    ...creditsOf(input, achievement),
    credentialStatus: { listUrl: `${baseUrl}/status/${slot.listId}`, index: slot.index },
  });
  const state: CredentialState = awaitsParentalConsent(learner, deps.district.consentPolicy, now) ? 'pending_consent' : 'issued';
  const record: CredentialRecord = {
    id,
    learnerId: learner.id,
    achievementId: achievement.id,
    issuerId: achievement.issuerId,
    ...(learner.schoolId ? { schoolId: learner.schoolId } : {}),
    state,
    ...(state === 'issued'
      ? { credential: await signCredential(unsigned, deps.signer, { issuerDid: document.creator.id }) }
      : { unsigned }),
    statusListId: slot.listId,
    statusListIndex: slot.index,
    issuedAt: now.toISOString(),
    ...validity,
    ...creditsOf(input, achievement),
    ...(options.origin ? { origin: options.origin } : {}),
  };
  const outcome = await deps.store.credentials.createOnce(record);
  if (!outcome.created) {
    // Another request stored it first; the index allocated here stays unused.
    const winner = await requireRecord(deps, outcome.existingId);
    return { answer: answerOf(winner), created: false, ...(winner.origin ? { origin: winner.origin } : {}) };
  }
  // Issuing restarts the retention clock, but writes nothing to the learner for it (a learner write, and its index
  // copies, per credential): the retention job counts the latest credential as activity (features/deletion/retention.ts).
  await recordIssue(deps, principal, record, input.source);
  await awardPathways(deps, record, issueCredential, known.pathwayLinks);
  if (state === 'issued') deps.metrics.credentialsIssued(1);
  return { answer: answerOf(record), created: true };
};

/** The issue's audit entry, named after the credential: recorded again (a redelivered drop row), it stays one entry. */
const recordIssue = (deps: Dependencies, principal: Principal, record: CredentialRecord, source: string): Promise<void> =>
  recordAudit(
    deps,
    record.learnerId,
    actorOf(principal),
    'credential.issue',
    { credentialId: record.id, achievementId: record.achievementId },
    source,
    {
      entryId: idFromKey('audit', `credential.issue\n${record.id}`),
      at: record.issuedAt,
    },
  );

/** The student id is named by its district pseudonym, never as the bare SIS id (DESIGN §2). */
const recipientOf = async (deps: Dependencies, learner: Learner) => ({
  identifiers: [
    { identityType: 'identifier' as const, value: await learnerPseudonym(deps, learner.sourcedId) },
    ...(learner.email ? [{ identityType: 'emailAddress' as const, value: learner.email }] : []),
  ],
  name: `${learner.givenName} ${learner.familyName}`,
});
