import type { Membership, RecordedPrincipal } from '#domain/access';
import type { Achievement } from '#domain/achievements';
import type { AuditEntry } from '#domain/audit';
import type { BulkJob, LineOutcome } from '#domain/bulk-jobs';
import type { ReportRow } from '#domain/csv/index';
import type { Issuer } from '#domain/issuers';
import type { Learner } from '#domain/learners';
import type { Pathway, PathwayLink } from '#domain/pathways';
import type { CredentialRecord, DeletionReceipt, PathwayStep, Share, StatusList, StatusSlot } from '#domain/records';
import type { SchoolReference } from '#domain/schools';

/** One page of a list, with an opaque cursor for the next page (DESIGN §3). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Where a paged retention run stopped: the last learner it handled, in the retention index's order. */
export interface RetentionPosition {
  retentionDueOn: string;
  learnerId: string;
}

/** Where a paged expiry-alerts run stopped: the last credential it handled, in the expiry index's order. */
export interface ExpiryPosition {
  validUntil: string;
  credentialId: string;
}

export interface MembershipStore {
  /** By IdP subject first, then by the verified e-mail claim (pre-provisioned staff). */
  find(subject: string, email: string | undefined): Promise<Membership | undefined>;
  put(key: { subject?: string; email?: string }, membership: Membership): Promise<void>;
  /**
   * Takes the learner out of every membership that links to them (guardians, the learner's own sign-in, staff who
   * are learners too), found through the index by learner (a Query); a guardian or learner membership left with no
   * learner is deleted. Returns how many memberships changed. Idempotent.
   */
  unlinkLearner(learnerId: string): Promise<number>;
}

export interface IssuerStore {
  /** Fails with a conflict when one of its school codes or names already names another school. */
  create(issuer: Issuer): Promise<void>;
  get(id: string): Promise<Issuer | undefined>;
  list(page: PageRequest): Promise<Page<Issuer>>;
  /** Fails with a conflict when the issuer changed meanwhile or a new code or name is taken. */
  update(previous: Issuer, next: Issuer): Promise<void>;
  /** The school an SIS code or name (as `schoolReferenceKey` folds it) names, if any. */
  bySchoolReference(reference: Pick<SchoolReference, 'kind' | 'key'>): Promise<Issuer | undefined>;
}

export interface AchievementStore {
  /** Fails with a conflict when the code is already taken in the district. */
  create(achievement: Achievement): Promise<void>;
  get(id: string): Promise<Achievement | undefined>;
  getByCode(code: string): Promise<Achievement | undefined>;
  listByIssuer(issuerId: string, page: PageRequest): Promise<Page<Achievement>>;
  /** Every achievement of the district, oldest first. */
  list(page: PageRequest): Promise<Page<Achievement>>;
  /** Replaces the stored achievement; moves the code guard when the code changes. */
  update(previous: Achievement, next: Achievement): Promise<void>;
}

export interface LearnerStore {
  /** Fails with a conflict when the id is taken: ids derive from the SIS id (learnerIdFor), so that is a second registration. */
  create(learner: Learner): Promise<void>;
  get(id: string): Promise<Learner | undefined>;
  /** Those of these learners that exist, by id, in one batch read (a drop's chunk of rows). */
  getMany(ids: readonly string[]): Promise<Map<string, Learner>>;
  /** Moves the retention due date after activity the record did not see (a newer credential), without contending with other writers. */
  touch(learnerId: string, at: string, retentionDueOn: string): Promise<void>;
  /** The learners of a school (by SIS id order), via the school index. */
  listBySchool(schoolId: string): AsyncIterable<Learner>;
  /** Learners whose retention due date is on or before `date`, oldest first, via the retention index; after `after` when given. */
  listDueForRetention(date: string, after?: RetentionPosition): AsyncIterable<Learner>;
  /** Replaces the learner if nobody changed it since `previous` was read (else a conflict). */
  update(previous: Learner, next: Learner): Promise<void>;
}

export interface CredentialStore {
  /**
   * Stores the credential unless one with its id exists (ids derive from the idempotency key, so that is the
   * idempotency check). Returns the existing id when another request won the race (and stores nothing).
   */
  createOnce(record: CredentialRecord): Promise<{ created: true } | { created: false; existingId: string }>;
  get(id: string): Promise<CredentialRecord | undefined>;
  /** Those of these credentials that exist, by id, in one batch read (a drop's chunk of rows). */
  getMany(ids: readonly string[]): Promise<Map<string, CredentialRecord>>;
  listByLearner(learnerId: string, page: PageRequest): Promise<Page<CredentialRecord>>;
  /** When the learner's latest credential was issued (retention counts it as activity). */
  latestIssuedAt(learnerId: string): Promise<string | undefined>;
  /** All of a learner's credentials in issue order, for the jobs that must see every one. */
  allByLearner(learnerId: string): AsyncIterable<CredentialRecord>;
  markRevoked(id: string, revocation: NonNullable<CredentialRecord['revocation']>): Promise<void>;
  /**
   * Credentials whose `validUntil` lies in [from, to), via the expiry index (month partitions): the read cost is
   * proportional to the credentials in the window, never to the table. In index order (validUntil, then id); after
   * `after` when given.
   */
  listExpiring(fromIso: string, toIso: string, after?: ExpiryPosition): AsyncIterable<CredentialRecord>;
  /** Marks an older credential as renewed by a newer one of the same achievement (not revoked; alerts stop). */
  markSuperseded(id: string, byId: string): Promise<void>;
  /** Stores the signature of a credential that waited for consent; false if it was no longer pending. */
  completePending(id: string, credential: Record<string, unknown>): Promise<boolean>;
}

export interface ShareStore {
  create(share: Share): Promise<void>;
  get(token: string): Promise<Share | undefined>;
  listByLearner(learnerId: string): Promise<Share[]>;
  delete(share: Pick<Share, 'token' | 'learnerId'>): Promise<void>;
}

export interface StatusListStore {
  /**
   * A status index of the issuer's current list, used by no other credential, at a random-looking position (herd
   * privacy). One that ends up unused (its credential lost an idempotency race) simply stays clear.
   */
  allocate(issuerId: string): Promise<StatusSlot>;
  get(listId: string): Promise<StatusList | undefined>;
  /**
   * Stores new bits (and optionally their signed credential) if nobody else wrote since `expectedVersion`;
   * returns false on such a conflict so the caller can re-read and retry.
   */
  saveBits(listId: string, bits: Uint8Array, expectedVersion: number, credential?: Record<string, unknown>): Promise<boolean>;
  /** Caches the signed credential of a version, unless the bits moved on meanwhile. */
  saveCredential(listId: string, credential: Record<string, unknown>, forVersion: number): Promise<void>;
}

/** Each (credential, threshold) alert is claimed before it is sent and marked once sent: it goes out once. */
export interface AlertStore {
  /** True if this run may send it: never sent, and not claimed by a run still within its lease. */
  claim(credentialId: string, thresholdDays: number, now: Date, leaseSeconds: number): Promise<boolean>;
  markSent(credentialId: string, thresholdDays: number, at: Date): Promise<void>;
  /** Gives the claim back after a failed send, so the next run tries again. */
  release(credentialId: string, thresholdDays: number): Promise<void>;
}

/** A learner's audit trail, kept in the learner's own partition so it is deleted with the learner. */
export interface AuditStore {
  /** `entryId` names the entry for good: appending it again (a retried step) leaves one entry. Default: a new id. */
  append(learnerId: string, entry: AuditEntry, entryId?: string): Promise<void>;
  /** Several entries in batch writes (a drop's chunk of rows). */
  appendMany(entries: ReadonlyArray<{ learnerId: string; entry: AuditEntry; entryId?: string }>): Promise<void>;
  list(learnerId: string, page: PageRequest): Promise<Page<AuditEntry>>;
}

/** Hard deletion of everything that holds a learner's PII (DESIGN §5.4). */
export interface LearnerErasure {
  /** Every key in the learner's partition (profile, share refs, consent…) and their audit trail's partition. */
  deleteLearnerPartition(learnerId: string): Promise<{ auditEntries: number }>;
  /** Each credential's own partition (record, alert guards). */
  deleteCredentialItems(credentials: Array<Pick<CredentialRecord, 'id'>>): Promise<void>;
  /** Remembers that a learner with this (hashed) SIS id was deleted, so a re-drop does not resurrect them silently. */
  putTombstone(learnerHash: string, deletedAt: string, receiptId: string): Promise<void>;
  getTombstone(learnerHash: string): Promise<{ deletedAt: string; receiptId: string } | undefined>;
  /** The tombstones of those of these hashes that have one, in one batch read. */
  getTombstones(learnerHashes: readonly string[]): Promise<Map<string, { deletedAt: string; receiptId: string }>>;
  clearTombstone(learnerHash: string): Promise<void>;
  putReceipt(receipt: DeletionReceipt): Promise<void>;
  getReceipt(id: string): Promise<DeletionReceipt | undefined>;
}

export interface BulkJobStore {
  /** False when the job already exists (the same drop delivered again). Its reading starts now. */
  create(job: BulkJob): Promise<boolean>;
  /**
   * Takes over the reading of a job whose file was never read to the end (no total yet): true when its last reading
   * started before `staleBefore` (that reader died) or was released (it failed); false otherwise, for one caller.
   */
  resumeReading(jobId: string, at: string, staleBefore: string): Promise<boolean>;
  /** A reading that failed (S3 or queue trouble) lets the retried event take the job over at once. */
  releaseReading(jobId: string): Promise<void>;
  get(id: string): Promise<BulkJob | undefined>;
  /** Every job, newest first (admins). */
  listRecent(page: PageRequest): Promise<Page<BulkJob>>;
  /**
   * The jobs uploaded by this subject or by staff of these schools, newest first: one Query per audience (the
   * subject, each school) on the items a job's creation writes for its uploader and their schools, merged.
   */
  listVisibleTo(audience: { subject: string; schoolIds: readonly string[] }, page: PageRequest): Promise<Page<BulkJob>>;
  /** Remembers who is about to upload a drop to `key` (until `expiresAt`); false if the key already has one. */
  recordUpload(key: string, uploader: RecordedPrincipal, expiresAt: Date): Promise<boolean>;
  /** The uploader recorded for a drop key, unless that record expired. */
  uploadOf(key: string, now: Date): Promise<RecordedPrincipal | undefined>;
  /**
   * Records the outcomes of a chunk of consecutive lines in one item (a redelivered chunk writes the same lines
   * again), then moves the job's counters by them — on a redelivery too, so that counters can run ahead of the
   * recorded lines but never fall behind them. No transaction: every chunk of a job would contend for the job item.
   */
  recordLines(jobId: string, outcomes: readonly LineOutcome[]): Promise<void>;
  /** How many lines are recorded (read consistently): the truth the counters approximate. */
  countRows(jobId: string): Promise<number>;
  setTotal(jobId: string, total: number): Promise<void>;
  /**
   * Claims the right to write the report (the caller has seen every row recorded): true for one caller. A claim
   * made before `staleBefore` (its writer died) can be taken over.
   */
  claimCompletion(jobId: string, at: string, staleBefore: string): Promise<boolean>;
  /** Marks the job completed with its exact counts (taken from the rows while writing the report). */
  complete(
    jobId: string,
    reportKey: string,
    at: string,
    counts: Pick<BulkJob, 'done' | 'issued' | 'duplicates' | 'pendingConsent' | 'errors'>,
  ): Promise<void>;
  fail(jobId: string, error: string, reportKey: string, at: string): Promise<void>;
  /** The job's rows in file order. */
  rows(jobId: string): AsyncIterable<ReportRow>;
}

/** Pathways by id, and the pathways holding an achievement (one link item per achievement of the tree). */
export interface PathwayStore {
  /** Stores the pathway and its links in one transaction. */
  create(pathway: Pathway): Promise<void>;
  get(id: string): Promise<Pathway | undefined>;
  /** Replaces the pathway and its links if nobody changed it since `previous` was read (else a conflict). */
  update(previous: Pathway, next: Pathway): Promise<void>;
  /** Every pathway whose tree names the achievement (Query on the achievement's partition). */
  listContaining(achievementId: string): Promise<PathwayLink[]>;
  /** Remembers that a learner's credential counts towards pathways (erased with the learner's partition). */
  recordStep(learnerId: string, step: PathwayStep): Promise<void>;
  /** The learner's recorded steps, read strongly consistent (sees a concurrent issuance that finished first). */
  listSteps(learnerId: string): Promise<PathwayStep[]>;
}

export interface Store {
  memberships: MembershipStore;
  issuers: IssuerStore;
  achievements: AchievementStore;
  learners: LearnerStore;
  credentials: CredentialStore;
  statusLists: StatusListStore;
  shares: ShareStore;
  alerts: AlertStore;
  audit: AuditStore;
  erasure: LearnerErasure;
  bulkJobs: BulkJobStore;
  pathways: PathwayStore;
}
