import type { Membership } from '#domain/access';
import type { Achievement } from '#domain/achievements';
import type { Issuer } from '#domain/issuers';
import type { Learner } from '#domain/learners';

/** One page of a list, with an opaque cursor for the next page (DESIGN §3). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface MembershipStore {
  /** By IdP subject first, then by the verified e-mail claim (pre-provisioned staff). */
  find(subject: string, email: string | undefined): Promise<Membership | undefined>;
  put(key: { subject?: string; email?: string }, membership: Membership): Promise<void>;
}

export interface IssuerStore {
  create(issuer: Issuer): Promise<void>;
  get(id: string): Promise<Issuer | undefined>;
  list(page: PageRequest): Promise<Page<Issuer>>;
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
  /** Fails with a conflict when the sourcedId is already registered. */
  create(learner: Learner): Promise<void>;
  get(id: string): Promise<Learner | undefined>;
  getBySourcedId(sourcedId: string): Promise<Learner | undefined>;
}

export type CredentialState = 'issued' | 'pending_consent';

export interface CredentialRecord {
  id: string;
  learnerId: string;
  achievementId: string;
  issuerId: string;
  schoolId?: string;
  state: CredentialState;
  /** The signed credential (absent while consent is pending: nothing is signed before consent). */
  credential?: Record<string, unknown>;
  /** The unsigned credential waiting for consent. */
  unsigned?: Record<string, unknown>;
  idempotencyKey: string;
  statusListId: string;
  statusListIndex: number;
  issuedAt: string;
  validFrom: string;
  validUntil?: string;
}

export interface CredentialStore {
  getIdByIdempotencyKey(key: string): Promise<string | undefined>;
  /**
   * Stores the credential and claims its idempotency key in one transaction. Returns the id already holding the
   * key when another request won the race (and stores nothing).
   */
  createOnce(record: CredentialRecord): Promise<{ created: true } | { created: false; existingId: string }>;
  get(id: string): Promise<CredentialRecord | undefined>;
  listByLearner(learnerId: string, page: PageRequest): Promise<Page<CredentialRecord>>;
}

export interface StatusSlot {
  listId: string;
  index: number;
}

export interface StatusListStore {
  /** Claims a free slot at a random position of the current list (conditional write; herd privacy). */
  allocate(credentialId: string): Promise<StatusSlot>;
  /** Gives a slot back when the credential it was claimed for was never stored. */
  release(slot: StatusSlot): Promise<void>;
}

export interface Store {
  memberships: MembershipStore;
  issuers: IssuerStore;
  achievements: AchievementStore;
  learners: LearnerStore;
  credentials: CredentialStore;
  statusLists: StatusListStore;
}
