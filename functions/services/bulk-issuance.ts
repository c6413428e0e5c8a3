import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import { type BulkJob, type BulkRowMessage, counterFor, jobIdFor, reportKeyFor } from '#domain/bulk-jobs';
import { type DropRow, fileErrorReport, isDropFileError, openDrop, reportCsv, type ReportRow, reportRowForInvalid } from '#domain/csv/index';
import { AppError } from '#domain/errors';
import { isUnderConsentAge, type Learner } from '#domain/learners';
import { recordConsent } from './consent';
import { publicAchievement, type PublicAchievement } from './achievements';
import { issueCredentialOnce } from './credentials';
import { learnerHash } from './deletion';
import { createLearner, learnerBySourcedId } from './learners';

/** SIS drops act for the district: whoever could put a file in the drop bucket is district staff. */
const dropPrincipal = (jobId: string): Principal => ({ subject: `sis-drop:${jobId}`, role: 'admin', schoolIds: [], learnerIds: [] });

/** SQS SendMessageBatch takes 10 messages; this many batches go out at once. */
const sendBatch = 10;
const sendsInFlight = 8;

/**
 * bulk-start: reads a drop as a stream (never the whole file), creates the job (the same key + ETag is the same
 * job), queues valid rows and records invalid ones at once. A file that is not a usable CSV fails the whole job
 * with its reason in the report, and nothing is issued.
 */
export const startBulkJob = async (deps: Dependencies, drop: { key: string; etag: string }): Promise<BulkJob> => {
  const id = jobIdFor(drop.key, drop.etag);
  const job: BulkJob = { id, sourceKey: drop.key, etag: drop.etag, status: 'running', done: 0, issued: 0, duplicates: 0, pendingConsent: 0, errors: 0, createdAt: deps.clock.now().toISOString() };
  if (!(await deps.store.bulkJobs.create(job))) {
    deps.logger.info('Drop already has a job; not starting it again', { jobId: id });
    return (await deps.store.bulkJobs.get(id)) ?? job;
  }
  const reportKey = reportKeyFor(drop.key);
  let pending: BulkRowMessage[] = [];
  const inFlight = new Set<Promise<void>>();
  const flush = async (messages: BulkRowMessage[]) => {
    const sending = deps.bulkQueue.send(messages).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (inFlight.size >= sendsInFlight) await Promise.race(inFlight);
  };
  try {
    const opened = await openDrop(await deps.blobs.stream('drops', drop.key));
    for await (const outcome of opened.rows) {
      if (!outcome.ok) {
        await deps.store.bulkJobs.recordRow(id, { ...reportRowForInvalid(outcome), line: outcome.line });
        continue;
      }
      pending.push({ jobId: id, row: outcome.row });
      if (pending.length === sendBatch) {
        await flush(pending);
        pending = [];
      }
    }
    if (pending.length > 0) await flush(pending);
    await Promise.all(inFlight);
    await deps.store.bulkJobs.setTotal(id, opened.stats.rows);
  } catch (error) {
    if (!isDropFileError(error)) throw error; // S3 or queue trouble: the event is retried, and the job id is the same
    const at = deps.clock.now().toISOString();
    await deps.blobs.put('reports', reportKey, fileErrorReport(error.message, error.line), 'text/csv; charset=utf-8');
    await deps.store.bulkJobs.fail(id, error.message, reportKey, at);
    deps.logger.info('Drop failed as a whole', { jobId: id, code: error.code });
    return (await deps.store.bulkJobs.get(id)) ?? job;
  }
  try {
    await finishIfDone(deps, id);
  } catch (error) {
    if (!(error instanceof ReportPendingError)) throw error; // a worker is writing the report; its queue retries it
  }
  return (await deps.store.bulkJobs.get(id)) ?? job;
};

/** Finds the learner by SIS id, or creates them from the row; never brings back a deleted learner silently. */
const learnerForRow = async (deps: Dependencies, principal: Principal, row: DropRow): Promise<{ learner: Learner; created: boolean }> => {
  const existing = await learnerBySourcedId(deps, row.studentId);
  if (existing) return { learner: existing, created: false };
  const tombstone = await deps.store.erasure.getTombstone(await learnerHash(deps, row.studentId));
  if (tombstone) throw new AppError('conflict', `learner deleted on ${tombstone.deletedAt.slice(0, 10)}; an admin must re-create them first`);
  if (!row.firstName || !row.lastName) throw new AppError('invalid_request', 'first_name and last_name are required for a new learner');
  try {
    const learner = await createLearner(deps, principal, {
      sourcedId: row.studentId,
      givenName: row.firstName,
      familyName: row.lastName,
      role: row.role,
      ...(row.schoolId ? { schoolId: row.schoolId } : {}),
      ...(row.email ? { email: row.email } : {}),
      ...(row.birthDate ? { birthDate: row.birthDate } : {}),
      ...(row.guardianEmail ? { guardianEmail: row.guardianEmail } : {}),
    });
    return { learner, created: true };
  } catch (error) {
    // Two rows of one new learner in flight at once: the other one created them.
    const created = await learnerBySourcedId(deps, row.studentId);
    if (created) return { learner: created, created: false };
    throw error;
  }
};

/**
 * Achievements this worker resolved in the last minute (by code or id, with their issuer and public document), per
 * store: a drop names the same few on every row. An edit of an achievement or issuer therefore reaches drop rows
 * within a minute; API issues always read them afresh.
 */
const knownAchievementsByStore = new WeakMap<object, Map<string, { achievement: PublicAchievement; until: number }>>();
const achievementMemoryMs = 60_000;

const achievementFor = async (deps: Dependencies, reference: string): Promise<PublicAchievement> => {
  const code = reference.toUpperCase();
  let known = knownAchievementsByStore.get(deps.store.achievements);
  if (!known) knownAchievementsByStore.set(deps.store.achievements, (known = new Map()));
  const remembered = known.get(code);
  if (remembered && remembered.until > Date.now()) return remembered.achievement;
  const id = (await deps.store.achievements.getByCode(code))?.id ?? (/^[A-Za-z0-9-]{8,64}$/.test(reference) && (await deps.store.achievements.get(reference)) ? reference : undefined);
  if (!id) throw new AppError('not_found', `unknown achievement "${reference}"`);
  const achievement = await publicAchievement(deps, id);
  known.set(code, { achievement, until: Date.now() + achievementMemoryMs });
  return achievement;
};

/** The outcome of one row: issued, duplicate, pending_consent, or an error a person can act on. */
const issueRow = async (deps: Dependencies, jobId: string, row: DropRow): Promise<ReportRow & { line: number }> => {
  const principal = dropPrincipal(jobId);
  const origin = `drop:${jobId}:${row.line}`;
  const base = { line: row.line, studentId: row.studentId, achievement: row.achievement };
  try {
    const achievement = await achievementFor(deps, row.achievement);
    let { learner, created: learnerIsNew } = await learnerForRow(deps, principal, row);
    if (row.consent === true && isUnderConsentAge(learner, deps.clock.now()) && !learner.consent?.granted) {
      await recordConsent(deps, principal, learner.id, { granted: true, by: 'Parent or guardian (consent on file in the SIS)', method: 'SIS export' });
      learner = (await deps.store.learners.get(learner.id)) ?? learner;
      learnerIsNew = false;
    }
    const { answer, created, origin: issuedBy } = await issueCredentialOnce(deps, principal, {
      learnerId: learner.id,
      achievementId: achievement.achievement.id,
      // One credential per learner, achievement and date of issue, whichever drop brings it.
      source: `sis:${row.issuedOn ?? 'undated'}`,
      ...(row.issuedOn ? { validFrom: row.issuedOn } : {}),
      ...(row.expiresOn ? { validUntil: row.expiresOn } : {}),
      ...(row.evidenceUrl ? { evidence: [{ id: row.evidenceUrl }] } : {}),
      ...(row.narrative ? { narrative: row.narrative } : {}),
      ...(row.credits !== undefined ? { creditsEarned: row.credits } : {}),
    }, { origin, known: { learner, achievement, learnerIsNew } });
    // Issued by this very row on an earlier delivery (the worker died before recording it): not a duplicate.
    const isNew = created || issuedBy === origin;
    const status = !isNew ? 'duplicate' : answer.state === 'pending_consent' ? 'pending_consent' : 'issued';
    return { ...base, status, credentialId: answer.id };
  } catch (error) {
    if (error instanceof AppError) return { ...base, status: 'error', reason: error.message };
    throw error; // throttling, timeouts: the message is retried, and idempotency keeps it exactly-once
  }
};

/**
 * bulk-issue: one queued row. Returns normally once the row's outcome is recorded (also when it was recorded by an
 * earlier delivery); throws to have the message redelivered. The batch then checks whether its jobs are done.
 */
export const issueBulkRow = async (deps: Dependencies, message: BulkRowMessage): Promise<void> => {
  const outcome = await issueRow(deps, message.jobId, message.row);
  await deps.store.bulkJobs.recordRow(message.jobId, outcome);
};

/** A report writer that died mid-way loses its claim after this long; a later delivery then writes the report. */
const reportClaimMs = 5 * 60_000;

/** Another worker holds the report claim of a finished job: retry later (the queue redelivers). */
export class ReportPendingError extends Error {
  override readonly name = 'ReportPendingError';
  constructor(readonly jobId: string) {
    super('Another worker is writing the report of this job.');
  }
}

/**
 * Whoever sees the last row done writes the report. The counters only say when to look (a redelivery can move them
 * ahead); the recorded rows decide, and give the job its exact counts.
 */
export const finishIfDone = async (deps: Dependencies, jobId: string): Promise<void> => {
  const job = await deps.store.bulkJobs.get(jobId);
  if (!job || job.total === undefined || job.done < job.total || job.status === 'completed' || job.status === 'failed') return;
  if ((await deps.store.bulkJobs.countRows(jobId)) < job.total) return;
  const now = deps.clock.now();
  if (!(await deps.store.bulkJobs.claimCompletion(jobId, now.toISOString(), new Date(now.getTime() - reportClaimMs).toISOString()))) {
    if ((await deps.store.bulkJobs.get(jobId))?.status === 'completed') return;
    // Another worker holds the claim: it is writing the report now, or it died doing so. This delivery comes back
    // after the queue's visibility timeout (longer than the claim) and takes over if the report is still missing.
    throw new ReportPendingError(jobId);
  }
  const reportKey = reportKeyFor(job.sourceKey);
  const counts = { done: 0, issued: 0, duplicates: 0, pendingConsent: 0, errors: 0 };
  const counted = async function* (rows: AsyncIterable<ReportRow>) {
    for await (const row of rows) {
      counts.done++;
      counts[counterFor[row.status]]++;
      yield row;
    }
  };
  let text = '';
  for await (const chunk of reportCsv(counted(deps.store.bulkJobs.rows(jobId)))) text += chunk;
  await deps.blobs.put('reports', reportKey, text, 'text/csv; charset=utf-8');
  await deps.store.bulkJobs.complete(jobId, reportKey, deps.clock.now().toISOString(), counts);
  deps.logger.info('Bulk job completed', { jobId, total: job.total });
};
