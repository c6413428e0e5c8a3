import pLimit from 'p-limit';
import type { Dependencies } from '#config/dependencies';
import { canIssue, canRecordConsent, type Principal } from '#domain/access';
import type { BulkChunkMessage, LineOutcome } from '#domain/bulk-jobs';
import type { DropRow } from '#domain/csv/index';
import { AppError, conflict, invalid } from '#domain/errors';
import { type Learner, learnerIdFor } from '#domain/learners';
import { needsParentalConsent } from '#domain/parental-consent';
import { withBufferedAudit } from '#features/audit/record';
import { countRefusals, refusalReasonOf } from '#features/bulk/count-refusals';
import { dropPrincipal } from '#features/bulk/drop-principal';
import { achievementFor, type KnownAchievement } from '#features/bulk/known-achievements';
import { issueRow, notInYourSchools, refused, sourceOf } from '#features/bulk/row-to-credential';
import { recordConsent } from '#features/consent/record-consent';
import { credentialIdFor } from '#features/credentials/issue';
import { learnerHash } from '#features/learners/learner-hash';
import { createLearner } from '#features/learners/learners';
import { placeRowsInSchools } from '#features/schools/schools';
import type { RefusalReason } from '#ports/metrics';

/**
 * Students of one chunk issued at once: with the event source's maximum concurrency this bounds the Sign calls in
 * flight (20 invocations × 5 = 100, as many as one row per message and 5 messages per batch gave before chunks).
 */
const studentsAtOnce = 5;

/**
 * The scope step of a drop's rows (DESIGN §4 "Who a drop acts for", §5.8), before any learner is registered: a row
 * goes on only if the drop's principal may issue its achievement to its learner — the learner as registered, or for
 * a new one the school the row resolves to. To anyone but an admin a deleted learner is not in their schools either,
 * so a drop tells a deletion from a learner of another school no more than `POST /learners` does.
 */
const rowInScope = (
  principal: Principal,
  row: DropRow,
  achievement: KnownAchievement,
  learner: Learner | undefined,
  deleted: boolean,
): boolean => {
  if (!learner && deleted && principal.role !== 'admin') return false;
  return canIssue(principal, achievement.achievement.issuer, { schoolId: learner ? learner.schoolId : row.schoolId });
};

/**
 * The learner of one student's rows: found, or registered from the first row that names them (a deleted learner is
 * never brought back silently); a consent flag on any row records the guardian's consent on file in the SIS.
 */
const learnerForRows = async (
  deps: Dependencies,
  principal: Principal,
  rows: readonly DropRow[],
  found: Learner | undefined,
  tombstone: { deletedAt: string } | undefined,
): Promise<{ learner: Learner; isNew: boolean }> => {
  let learner = found;
  let isNew = false;
  if (!learner) {
    if (tombstone) throw conflict(`learner deleted on ${tombstone.deletedAt.slice(0, 10)}; an admin must re-create them first`);
    const named = rows.find((row) => row.firstName && row.lastName);
    if (!named) throw invalid('first_name and last_name are required for a new learner');
    try {
      learner = await createLearner(
        deps,
        principal,
        {
          sourcedId: named.studentId,
          givenName: named.firstName!,
          familyName: named.lastName!,
          role: named.role,
          ...(named.schoolId ? { schoolId: named.schoolId } : {}),
          ...(named.email ? { email: named.email } : {}),
          ...(named.birthDate ? { birthDate: named.birthDate } : {}),
          ...(named.guardianEmail ? { guardianEmail: named.guardianEmail } : {}),
        },
        { tombstone },
      );
      isNew = true;
    } catch (error) {
      // The same student in another chunk, registered a moment ago.
      const registered = await deps.store.learners.get(learnerIdFor(await learnerHash(deps, named.studentId)));
      if (!registered) throw error;
      learner = registered;
    }
  }
  // The consent column counts only when whom the drop acts for may record consent (an admin, or the district).
  if (
    rows.some((row) => row.consent === true) &&
    canRecordConsent(principal, learner) &&
    needsParentalConsent(learner, deps.district.consentPolicy, deps.clock.now()) &&
    !learner.consent?.granted
  ) {
    await recordConsent(deps, principal, learner.id, {
      granted: true,
      by: 'Parent or guardian (consent on file in the SIS)',
      method: 'SIS export',
    });
    learner = (await deps.store.learners.get(learner.id)) ?? learner;
  }
  return { learner, isNew };
};

/**
 * bulk-issue: one chunk of queued rows. Reads what its rows need in batches (their learners, tombstones and earlier
 * credentials), registers new learners, issues, then records the chunk's audit entries and outcomes in batch writes.
 * Returns once the outcomes are recorded (also when an earlier delivery issued some rows); throws to have the chunk
 * redelivered. The rows of one student run one after another (they share a learner); students run side by side.
 */
export const issueBulkChunk = async (deps: Dependencies, message: BulkChunkMessage): Promise<void> => {
  const principal = dropPrincipal(message.jobId, message.uploadedBy);
  const { deps: buffered, flush } = withBufferedAudit(deps);
  const outcomes: LineOutcome[] = [...message.settled];
  const refusals: RefusalReason[] = message.settled.filter((line) => line.status === 'error').map(() => 'invalid_row');
  const refuse = (row: DropRow, error: unknown): LineOutcome => {
    const outcome = refused(row, error);
    if (error instanceof AppError) refusals.push(refusalReasonOf(error)); // refused() has thrown for anything else
    return outcome;
  };

  // The SIS's school codes and names become Merit's schools first: every later step sees placed rows only.
  const { placed, refused: unplaced } = await placeRowsInSchools(deps, principal, message.rows);
  for (const { row, error } of unplaced) outcomes.push(refuse(row, error));

  const achievements = new Map<DropRow, KnownAchievement>();
  const byStudent = new Map<string, DropRow[]>();
  for (const row of placed) {
    try {
      achievements.set(row, await achievementFor(deps, row.achievement));
      byStudent.set(row.studentId, [...(byStudent.get(row.studentId) ?? []), row]);
    } catch (error) {
      outcomes.push(refuse(row, error));
    }
  }
  const learnerIds = new Map(
    await Promise.all([...byStudent.keys()].map(async (studentId) => [studentId, await learnerHash(deps, studentId)] as const)),
  );
  const found = await deps.store.learners.getMany([...learnerIds.values()].map(learnerIdFor));
  const unknownHashes = [...learnerIds.values()].filter((hash) => !found.has(learnerIdFor(hash)));
  const tombstones =
    unknownHashes.length > 0 ? await deps.store.erasure.getTombstones(unknownHashes) : new Map<string, { deletedAt: string }>();

  // Rows outside the scope of whom the drop acts for end here.
  for (const [studentId, rows] of byStudent) {
    const hash = learnerIds.get(studentId)!;
    const inScope = rows.filter((row) =>
      rowInScope(principal, row, achievements.get(row)!, found.get(learnerIdFor(hash)), tombstones.has(hash)),
    );
    for (const row of rows) if (!inScope.includes(row)) outcomes.push(refuse(row, new AppError('forbidden', notInYourSchools)));
    if (inScope.length > 0) byStudent.set(studentId, inScope);
    else byStudent.delete(studentId);
  }

  // Learners first, with their audit entries written before any credential of theirs.
  const learners = new Map<string, { learner: Learner; isNew: boolean }>();
  await pLimit(studentsAtOnce).map([...byStudent], async ([studentId, rows]) => {
    const hash = learnerIds.get(studentId)!;
    try {
      learners.set(studentId, await learnerForRows(buffered, principal, rows, found.get(learnerIdFor(hash)), tombstones.get(hash)));
    } catch (error) {
      for (const row of rows) outcomes.push(refuse(row, error));
    }
  });
  await flush();

  // Credentials already at the rows' ids (a redelivery, a file dropped again): one batch read, not one per row.
  const idOf = (row: DropRow, learner: Learner) =>
    credentialIdFor(learner, achievements.get(row)!.achievement.achievement.id, sourceOf(row));
  const existingRows = [...byStudent].flatMap(([studentId, rows]) => {
    const known = learners.get(studentId);
    return known && !known.isNew ? rows.map((row) => idOf(row, known.learner)) : [];
  });
  const earlier = existingRows.length > 0 ? await deps.store.credentials.getMany(existingRows) : new Map();

  await pLimit(studentsAtOnce).map([...byStudent], async ([studentId, rows]) => {
    const known = learners.get(studentId);
    if (!known) return;
    const issuedHere = new Set<string>();
    for (const row of rows) {
      const id = idOf(row, known.learner);
      // A new learner has no credentials yet; a second row with the same id (a duplicate line) reads the first.
      const atId = issuedHere.has(id) ? undefined : known.isNew ? null : (earlier.get(id) ?? null);
      outcomes.push(
        await issueRow(buffered, principal, message.jobId, row, known, achievements.get(row)!, atId).catch((error: unknown) =>
          refuse(row, error),
        ),
      );
      issuedHere.add(id);
    }
  });
  await flush();
  await deps.store.bulkJobs.recordLines(message.jobId, outcomes);
  countRefusals(deps, refusals);
};
