import type { Dependencies } from '#config/dependencies';
import { actingThrough, canIssue, canRecordConsent, type Principal, type RecordedPrincipal } from '#domain/access';
import { type BulkChunkMessage, type BulkJob, chunkBytes, chunkLines, counterFor, isUploadKey, jobIdFor, type LineOutcome, reportKeyFor } from '#domain/bulk-jobs';
import { type DropRow, fileErrorReport, isDropFileError, openDrop, reportCsv, type ReportRow, reportRowForInvalid } from '#domain/csv/index';
import { AppError, conflict, invalid } from '#domain/errors';
import { learnerIdFor, needsParentalConsent, type Learner } from '#domain/learners';
import type { PathwayLink } from '#domain/pathways';
import type { CredentialRecord } from '#ports/store';
import { publicAchievement, type PublicAchievement } from '#features/achievements/achievements';
import { withBufferedAudit } from '#features/audit/audit';
import { recordConsent } from '#features/consent/record-consent';
import { credentialIdFor, issueCredentialOnce } from '#features/credentials/credentials';
import { learnerHash } from '#features/deletion/delete-learner';
import { createLearner } from '#features/learners/learners';
import { placeRowsInSchools } from '#features/schools/schools';

/**
 * Who a drop acts for (DESIGN §4): a file uploaded through `POST /bulk-jobs/uploads` for its uploader, through the
 * drop (audited as `via: sis-drop:<job>`); a file put into `drops/` directly for the district — whoever could put it
 * there is district IT or its SIS automation.
 */
const dropPrincipal = (jobId: string, uploadedBy: RecordedPrincipal | undefined): Principal =>
  uploadedBy ? actingThrough(uploadedBy, `sis-drop:${jobId}`) : { subject: `sis-drop:${jobId}`, role: 'admin', schoolIds: [], learnerIds: [] };

/** An upload whose record is gone acts for nobody: never for the district, whose scope no uploader has. */
const uploadRecordMissing =
  'This file was uploaded through an upload link whose record is missing or expired, so it is not known whom it acts for. Nothing was issued: ask for a new upload link and upload the file again.';

/** Longer than bulk-start may run (its Lambda timeout is 5 minutes): a reading this old without a total died. */
const readingLeaseMs = 6 * 60_000;

/** Chunks handed to the queue at once (one SendMessageBatch, within its limits), and sends in flight. */
const sendBatch = 10;
const sendsInFlight = 8;

/**
 * bulk-start: reads a drop as a stream (never the whole file), creates the job (the same key + ETag is the same
 * job), cuts the lines into chunks and queues them; invalid rows travel in their chunk as settled outcomes (a chunk
 * of invalid rows only is recorded at once). A file that is not a usable CSV fails the whole job with its reason in
 * the report, and nothing is issued.
 */
export const startBulkJob = async (deps: Dependencies, drop: { key: string; etag: string }): Promise<BulkJob> => {
  const id = jobIdFor(drop.key, drop.etag);
  const now = deps.clock.now();
  const uploadedBy = isUploadKey(drop.key) ? await deps.store.bulkJobs.uploadOf(drop.key, now) : undefined;
  let job: BulkJob = {
    id,
    sourceKey: drop.key,
    etag: drop.etag,
    status: 'running',
    done: 0,
    issued: 0,
    duplicates: 0,
    pendingConsent: 0,
    errors: 0,
    ...(uploadedBy ? { uploadedBy } : {}),
    createdAt: now.toISOString(),
  };
  if (!(await deps.store.bulkJobs.create(job))) {
    // The same drop again: done or being read, unless its reading failed or died before the end of the file. Read
    // again, then: chunks are cut the same way, and what the first reading queued is issued once all the same.
    if (!(await deps.store.bulkJobs.resumeReading(id, now.toISOString(), new Date(now.getTime() - readingLeaseMs).toISOString()))) {
      deps.logger.info('Drop already has a job; not starting it again', { jobId: id });
      return (await deps.store.bulkJobs.get(id)) ?? job;
    }
    deps.logger.info('Reading a drop again: its first reading did not finish', { jobId: id });
    // It acts for whom the first reading recorded, whatever became of the upload's record since.
    job = (await deps.store.bulkJobs.get(id)) ?? job;
  }
  const reportKey = reportKeyFor(drop.key, id);
  if (isUploadKey(drop.key) && !job.uploadedBy) {
    await deps.blobs.put('reports', reportKey, fileErrorReport(uploadRecordMissing), 'text/csv; charset=utf-8');
    await deps.store.bulkJobs.fail(id, uploadRecordMissing, reportKey, deps.clock.now().toISOString());
    deps.logger.warn('Uploaded drop has no upload record; failed', { jobId: id });
    return (await deps.store.bulkJobs.get(id)) ?? job;
  }
  const chunkOf = (): BulkChunkMessage => ({ jobId: id, ...(job.uploadedBy ? { uploadedBy: job.uploadedBy } : {}), rows: [], settled: [] });
  let pending: BulkChunkMessage[] = [];
  const inFlight = new Set<Promise<void>>();
  // A send that fails fails the reading (the event is retried), however many sends are still under way.
  let sendFailure: { error: unknown } | undefined;
  const send = async (messages: BulkChunkMessage[]) => {
    if (sendFailure) throw sendFailure.error;
    const sending: Promise<void> = deps.bulkQueue
      .send(messages)
      .catch((error: unknown) => void (sendFailure ??= { error }))
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (inFlight.size >= sendsInFlight) await Promise.race(inFlight);
  };
  let chunk = chunkOf();
  let chunkSize = 0;
  const cut = async () => {
    if (chunk.rows.length > 0) pending.push(chunk);
    else if (chunk.settled.length > 0) await deps.store.bulkJobs.recordLines(id, chunk.settled);
    chunk = chunkOf();
    chunkSize = 0;
    if (pending.length === sendBatch) {
      await send(pending);
      pending = [];
    }
  };
  try {
    const opened = await openDrop(await deps.blobs.stream('drops', drop.key));
    for await (const outcome of opened.rows) {
      if (outcome.ok) {
        chunk.rows.push(outcome.row);
        chunkSize += Buffer.byteLength(JSON.stringify(outcome.row));
      } else {
        chunk.settled.push({ ...reportRowForInvalid(outcome), line: outcome.line });
      }
      if (chunk.rows.length + chunk.settled.length === chunkLines || chunkSize >= chunkBytes) await cut();
    }
    await cut();
    if (pending.length > 0) await send(pending);
    await Promise.all(inFlight);
    if (sendFailure) throw sendFailure.error;
    await deps.store.bulkJobs.setTotal(id, opened.stats.rows);
  } catch (error) {
    if (!isDropFileError(error)) {
      // S3 or queue trouble: the event is retried (the job id is the same), and the retry reads the file again.
      await deps.store.bulkJobs.releaseReading(id);
      throw error;
    }
    const at = deps.clock.now().toISOString();
    await deps.blobs.put('reports', reportKey, fileErrorReport(error.message, error.line), 'text/csv; charset=utf-8');
    await deps.blobs.delete('drops', drop.key);
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

/**
 * Achievements this worker resolved in the last minute (by code or id, with their issuer, public document and the
 * pathways holding them), per store: a drop names the same few on every row. An edit of an achievement, issuer or
 * pathway therefore reaches drop rows within a minute; API issues always read them afresh.
 */
interface KnownAchievement {
  achievement: PublicAchievement;
  pathwayLinks: readonly PathwayLink[];
}
const knownAchievementsByStore = new WeakMap<object, Map<string, { known: KnownAchievement; until: number }>>();
const achievementMemoryMs = 60_000;

const achievementFor = async (deps: Dependencies, reference: string): Promise<KnownAchievement> => {
  const code = reference.toUpperCase();
  let known = knownAchievementsByStore.get(deps.store.achievements);
  if (!known) knownAchievementsByStore.set(deps.store.achievements, (known = new Map()));
  const remembered = known.get(code);
  if (remembered && remembered.until > Date.now()) return remembered.known;
  const id = (await deps.store.achievements.getByCode(code))?.id ?? (/^[A-Za-z0-9-]{8,64}$/.test(reference) && (await deps.store.achievements.get(reference)) ? reference : undefined);
  // The reason names no cell value: the report outlives the drop (staff see the code on that line of their file).
  if (!id) throw new AppError('not_found', 'unknown achievement (no achievement has this id or code)');
  const resolved = { achievement: await publicAchievement(deps, id), pathwayLinks: await deps.store.pathways.listContaining(id) };
  known.set(code, { known: resolved, until: Date.now() + achievementMemoryMs });
  return resolved;
};

/**
 * Students of one chunk issued at once: with the event source's maximum concurrency this bounds the Sign calls in
 * flight (20 invocations × 5 = 100, as many as one row per message and 5 messages per batch gave before chunks).
 */
const studentsAtOnce = 5;

/** Runs `work` on every item, at most `limit` at a time, in order; fails with the first failure. */
const eachAtMost = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
};

/** One credential per learner, achievement and date of issue, whichever drop brings it. */
const sourceOf = (row: DropRow): string => `sis:${row.issuedOn ?? 'undated'}`;

/** The reason of a row outside the scope of whom the drop acts for (DESIGN §4). */
const notInYourSchools = 'not in your schools';

/** The report line of a row that could not be issued for a reason a person can act on. */
const refused = (row: DropRow, error: unknown): LineOutcome => {
  if (!(error instanceof AppError)) throw error; // throttling, timeouts: the chunk is retried, and idempotency keeps it exactly-once
  const reason = error.kind === 'forbidden' ? notInYourSchools : error.message;
  return { line: row.line, status: 'error', reason };
};

/**
 * The scope step of a drop's rows (DESIGN §4 "Who a drop acts for", §5.8), before any learner is registered: a row
 * goes on only if the drop's principal may issue its achievement to its learner — the learner as registered, or for
 * a new one the school the row resolves to. To anyone but an admin a deleted learner is not in their schools either,
 * so a drop tells a deletion from a learner of another school no more than `POST /learners` does.
 */
const rowInScope = (principal: Principal, row: DropRow, achievement: KnownAchievement, learner: Learner | undefined, deleted: boolean): boolean => {
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
      learner = await createLearner(deps, principal, {
        sourcedId: named.studentId,
        givenName: named.firstName!,
        familyName: named.lastName!,
        role: named.role,
        ...(named.schoolId ? { schoolId: named.schoolId } : {}),
        ...(named.email ? { email: named.email } : {}),
        ...(named.birthDate ? { birthDate: named.birthDate } : {}),
        ...(named.guardianEmail ? { guardianEmail: named.guardianEmail } : {}),
      }, { tombstone });
      isNew = true;
    } catch (error) {
      // The same student in another chunk, registered a moment ago.
      const registered = await deps.store.learners.get(learnerIdFor(await learnerHash(deps, named.studentId)));
      if (!registered) throw error;
      learner = registered;
    }
  }
  // The consent column counts only when whom the drop acts for may record consent (an admin, or the district).
  if (rows.some((row) => row.consent === true) && canRecordConsent(principal, learner) && needsParentalConsent(learner, deps.district.consentPolicy, deps.clock.now()) && !learner.consent?.granted) {
    await recordConsent(deps, principal, learner.id, { granted: true, by: 'Parent or guardian (consent on file in the SIS)', method: 'SIS export' });
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

  // The SIS's school codes and names become Merit's schools first: every later step sees placed rows only.
  const { placed, refused: unplaced } = await placeRowsInSchools(deps, principal, message.rows);
  for (const { row, error } of unplaced) outcomes.push(refused(row, error));

  const achievements = new Map<DropRow, KnownAchievement>();
  const byStudent = new Map<string, DropRow[]>();
  for (const row of placed) {
    try {
      achievements.set(row, await achievementFor(deps, row.achievement));
      byStudent.set(row.studentId, [...(byStudent.get(row.studentId) ?? []), row]);
    } catch (error) {
      outcomes.push(refused(row, error));
    }
  }
  const learnerIds = new Map(await Promise.all([...byStudent.keys()].map(async (studentId) => [studentId, await learnerHash(deps, studentId)] as const)));
  const found = await deps.store.learners.getMany([...learnerIds.values()].map(learnerIdFor));
  const unknownHashes = [...learnerIds.values()].filter((hash) => !found.has(learnerIdFor(hash)));
  const tombstones = unknownHashes.length > 0 ? await deps.store.erasure.getTombstones(unknownHashes) : new Map<string, { deletedAt: string }>();

  // Rows outside the scope of whom the drop acts for end here.
  for (const [studentId, rows] of byStudent) {
    const hash = learnerIds.get(studentId)!;
    const inScope = rows.filter((row) => rowInScope(principal, row, achievements.get(row)!, found.get(learnerIdFor(hash)), tombstones.has(hash)));
    for (const row of rows) if (!inScope.includes(row)) outcomes.push(refused(row, new AppError('forbidden', notInYourSchools)));
    if (inScope.length > 0) byStudent.set(studentId, inScope);
    else byStudent.delete(studentId);
  }

  // Learners first, with their audit entries written before any credential of theirs.
  const learners = new Map<string, { learner: Learner; isNew: boolean }>();
  await eachAtMost([...byStudent], studentsAtOnce, async ([studentId, rows]) => {
    const hash = learnerIds.get(studentId)!;
    try {
      learners.set(studentId, await learnerForRows(buffered, principal, rows, found.get(learnerIdFor(hash)), tombstones.get(hash)));
    } catch (error) {
      for (const row of rows) outcomes.push(refused(row, error));
    }
  });
  await flush();

  // Credentials already at the rows' ids (a redelivery, a file dropped again): one batch read, not one per row.
  const idOf = (row: DropRow, learner: Learner) => credentialIdFor(learner, achievements.get(row)!.achievement.achievement.id, sourceOf(row));
  const existingRows = [...byStudent].flatMap(([studentId, rows]) => {
    const known = learners.get(studentId);
    return known && !known.isNew ? rows.map((row) => idOf(row, known.learner)) : [];
  });
  const earlier = existingRows.length > 0 ? await deps.store.credentials.getMany(existingRows) : new Map();

  await eachAtMost([...byStudent], studentsAtOnce, async ([studentId, rows]) => {
    const known = learners.get(studentId);
    if (!known) return;
    const issuedHere = new Set<string>();
    for (const row of rows) {
      const id = idOf(row, known.learner);
      // A new learner has no credentials yet; a second row with the same id (a duplicate line) reads the first.
      const atId = issuedHere.has(id) ? undefined : known.isNew ? null : (earlier.get(id) ?? null);
      outcomes.push(await issueRow(buffered, principal, message.jobId, row, known, achievements.get(row)!, atId).catch((error: unknown) => refused(row, error)));
      issuedHere.add(id);
    }
  });
  await flush();
  await deps.store.bulkJobs.recordLines(message.jobId, outcomes);
};

/** The outcome of one row: issued, duplicate or pending_consent (errors are thrown, as AppErrors). */
const issueRow = async (
  deps: Dependencies,
  principal: Principal,
  jobId: string,
  row: DropRow,
  learner: { learner: Learner; isNew: boolean },
  achievement: KnownAchievement,
  earlier: CredentialRecord | null | undefined,
): Promise<LineOutcome> => {
  const origin = `drop:${jobId}:${row.line}`;
  const { answer, created, origin: issuedBy } = await issueCredentialOnce(deps, principal, {
    learnerId: learner.learner.id,
    achievementId: achievement.achievement.achievement.id,
    source: sourceOf(row),
    ...(row.issuedOn ? { validFrom: row.issuedOn } : {}),
    ...(row.expiresOn ? { validUntil: row.expiresOn } : {}),
    ...(row.evidenceUrl ? { evidence: [{ id: row.evidenceUrl }] } : {}),
    ...(row.narrative ? { narrative: row.narrative } : {}),
    ...(row.credits !== undefined ? { creditsEarned: row.credits } : {}),
  }, {
    origin,
    known: { learner: learner.learner, achievement: achievement.achievement, pathwayLinks: achievement.pathwayLinks, ...(earlier !== undefined ? { earlier } : {}) },
  });
  // Issued by this very row on an earlier delivery (the worker died before recording it): not a duplicate.
  const isNew = created || issuedBy === origin;
  const status = !isNew ? 'duplicate' : answer.state === 'pending_consent' ? 'pending_consent' : 'issued';
  return { line: row.line, status, credentialId: answer.id };
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
  const reportKey = reportKeyFor(job.sourceKey, jobId);
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
  // The drop (names, e-mails, SIS ids, birth dates) has served its purpose once its report is written; deleting it
  // before the job completes means a failure here is retried with the report. The bucket's lifecycle rule is only
  // a backstop. A re-delivery of the same key + ETag still finds the job by its id.
  await deps.blobs.delete('drops', job.sourceKey);
  await deps.store.bulkJobs.complete(jobId, reportKey, deps.clock.now().toISOString(), counts);
  deps.logger.info('Bulk job completed', { jobId, total: job.total });
};
