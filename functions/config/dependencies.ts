import type { Logger } from '@aws-lambda-powertools/logger';
import type { ConsentPolicy } from '#domain/learners';
import type { Blobs } from '#ports/blobs';
import type { BulkQueue } from '#ports/bulk-queue';
import type { Clock } from '#ports/clock';
import type { Events } from '#ports/events';
import type { KeyResolver } from '#ports/key-resolver';
import type { Mailer } from '#ports/mailer';
import type { Metrics } from '#ports/metrics';
import type { Signer } from '#ports/signer';
import type { Store } from '#ports/store';

/** Everything a handler needs from the outside world, as ports. AWS and the local stack each build one. */
export interface Dependencies {
  store: Store;
  blobs: Blobs;
  /** Signs new credentials with the current key. */
  signer: Signer;
  /** Every key the DID documents list: the current one first, then retired ones, so old credentials keep verifying. */
  verificationKeys: ReadonlyArray<Pick<Signer, 'keyId' | 'publicKey'>>;
  clock: Clock;
  logger: Logger;
  /** Business metrics: credentials issued, rows refused by reason, verifications by outcome. */
  metrics: Metrics;
  /** `https://credentials.district.org`, or the API's own URL; never ends with a slash. */
  publicBaseUrl: () => Promise<string>;
  mailer: Mailer;
  events: Events;
  /** How the verifier finds other issuers' documents (did:web / HTTPS); tests inject the documents. */
  keyResolver?: KeyResolver;
  /** Rows of SIS drops on their way to bulk-issue. */
  bulkQueue: BulkQueue;
  district: DistrictSettings;
}

/** District policy, set at deploy time (context values → environment) or by the local stack. */
export interface DistrictSettings {
  name: string;
  /** Days before expiry at which holders are alerted, e.g. [90, 30, 7]. */
  alertThresholds: readonly number[];
  /** Who receives the daily digest of expiring credentials. */
  adminDigestEmails: readonly string[];
  /** Secret mixed into hashes of SIS ids kept after deletion (tombstones, receipts), so they cannot be guessed back. */
  identifierPepper: () => Promise<string>;
  /** Retention policy: delete learner data this many years after their last activity. */
  retentionYears: number;
  /** Whose parents must consent: under 13 (unknown age counts as under 13), or every student (DESIGN §5.1). */
  consentPolicy: ConsentPolicy;
}
