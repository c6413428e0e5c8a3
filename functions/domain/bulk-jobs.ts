import { createHash } from 'node:crypto';
import type { RecordedPrincipal } from './access';
import type { DropRow, ReportRow } from './csv/index';

export type BulkJobStatus = 'running' | 'writing_report' | 'completed' | 'failed';

/** A bulk issuance from one SIS drop: counters move as rows finish; the report is written when the last one does. */
export interface BulkJob {
  id: string;
  sourceKey: string;
  etag: string;
  status: BulkJobStatus;
  /** Data rows in the file; known once the whole file has been read. */
  total?: number;
  done: number;
  issued: number;
  duplicates: number;
  pendingConsent: number;
  errors: number;
  reportKey?: string;
  error?: string;
  /** Who uploaded the file through `POST /bulk-jobs/uploads`, whose role and schools bound every row; none: a drop of the district's own. */
  uploadedBy?: RecordedPrincipal;
  createdAt: string;
  completedAt?: string;
}

/** A row's outcome, with the line of the drop it comes from: line, status, reason, credential id — nothing personal. */
export type LineOutcome = ReportRow & { line: number };

/**
 * Consecutive lines of a drop, queued as one message (SQS in AWS, an in-process queue locally): the rows to issue,
 * and the outcomes of the lines in between that were settled on reading (invalid rows). A chunk's outcomes are
 * recorded in one item and counted in one update.
 */
export interface BulkChunkMessage {
  jobId: string;
  /** The job's uploader (absent: the drop acts for the district). */
  uploadedBy?: RecordedPrincipal;
  rows: DropRow[];
  settled: LineOutcome[];
}

/** Lines per chunk: a BatchWrite holds 25 items, so one chunk's audit entries take one or two. */
export const chunkLines = 25;
/** A chunk also ends at this many bytes of rows (narratives run to 4,000 characters): SQS takes 256 KiB a batch. */
export const chunkBytes = 24 * 1024;

/** The same object (key + ETag) dropped twice is the same job. */
export const jobIdFor = (key: string, etag: string): string =>
  createHash('sha256')
    .update(`${key}\u0000${etag.replaceAll('"', '')}`)
    .digest('hex')
    .slice(0, 32);

/**
 * `drops/2026/spring.csv` of job `ab12…` → `reports/2026/spring.csv.ab12….results.csv` in the reports bucket: each
 * job its own report, so a later drop of the same key never overwrites an earlier one.
 */
export const reportKeyFor = (sourceKey: string, jobId: string): string =>
  `reports/${sourceKey.replace(/^drops\//, '')}.${jobId}.results.csv`;

export type RowStatus = ReportRow['status'];

/** Which counter a row's final status moves. */
export const counterFor: Record<RowStatus, keyof Pick<BulkJob, 'issued' | 'duplicates' | 'pendingConsent' | 'errors'>> = {
  issued: 'issued',
  duplicate: 'duplicates',
  pending_consent: 'pendingConsent',
  error: 'errors',
};

/**
 * Files uploaded through `POST /bulk-jobs/uploads` land under this prefix, each under a fresh server-chosen UUID
 * (the caller names only the file's last part, without a slash): no caller can pick a key that collides with
 * another's. A drop under it acts for its uploader, or for nobody once the upload's record is gone — never for the
 * district.
 */
export const uploadKeyPrefix = 'drops/uploads/';

export const isUploadKey = (key: string): boolean => key.startsWith(uploadKeyPrefix);

/** An upload's record lives this long past its URL: the S3 event, and its retries (up to 6 hours), find it. */
export const uploadRecordGraceSeconds = 24 * 60 * 60;
