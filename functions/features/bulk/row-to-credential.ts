import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import type { LineOutcome } from '#domain/bulk-jobs';
import type { DropRow } from '#domain/csv/index';
import { AppError } from '#domain/errors';
import type { Learner } from '#domain/learners';
import type { CredentialRecord } from '#domain/records';
import type { KnownAchievement } from '#features/bulk/known-achievements';
import { issueCredentialOnce } from '#features/credentials/issue';

/** One credential per learner, achievement and date of issue, whichever drop brings it. */
export const sourceOf = (row: DropRow): string => `sis:${row.issuedOn ?? 'undated'}`;

/** The reason of a row outside the scope of whom the drop acts for (DESIGN §4). */
export const notInYourSchools = 'not in your schools';

/** The report line of a row that could not be issued for a reason a person can act on. */
export const refused = (row: DropRow, error: unknown): LineOutcome => {
  if (!(error instanceof AppError)) throw error; // throttling, timeouts: the chunk is retried, and idempotency keeps it exactly-once
  const reason = error.kind === 'forbidden' ? notInYourSchools : error.message;
  return { line: row.line, status: 'error', reason };
};

/** The outcome of one row: issued, duplicate or pending_consent (errors are thrown, as AppErrors). */
export const issueRow = async (
  deps: Dependencies,
  principal: Principal,
  jobId: string,
  row: DropRow,
  learner: { learner: Learner; isNew: boolean },
  achievement: KnownAchievement,
  earlier: CredentialRecord | null | undefined,
): Promise<LineOutcome> => {
  const origin = `drop:${jobId}:${row.line}`;
  const {
    answer,
    created,
    origin: issuedBy,
  } = await issueCredentialOnce(
    deps,
    principal,
    {
      learnerId: learner.learner.id,
      achievementId: achievement.achievement.achievement.id,
      source: sourceOf(row),
      ...(row.issuedOn ? { validFrom: row.issuedOn } : {}),
      ...(row.expiresOn ? { validUntil: row.expiresOn } : {}),
      ...(row.evidenceUrl ? { evidence: [{ id: row.evidenceUrl }] } : {}),
      ...(row.narrative ? { narrative: row.narrative } : {}),
      ...(row.credits !== undefined ? { creditsEarned: row.credits } : {}),
    },
    {
      origin,
      known: {
        learner: learner.learner,
        achievement: achievement.achievement,
        pathwayLinks: achievement.pathwayLinks,
        ...(earlier !== undefined ? { earlier } : {}),
      },
    },
  );
  // Issued by this very row on an earlier delivery (the worker died before recording it): not a duplicate.
  const isNew = created || issuedBy === origin;
  const status = !isNew ? 'duplicate' : answer.state === 'pending_consent' ? 'pending_consent' : 'issued';
  return { line: row.line, status, credentialId: answer.id };
};
