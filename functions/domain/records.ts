/**
 * The records Merit keeps, as the domain and the store port both see them (the port, `ports/store.ts`, only says how
 * they are read and written).
 */

export type CredentialState = 'issued' | 'pending_consent' | 'revoked';

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
  statusListId: string;
  statusListIndex: number;
  issuedAt: string;
  validFrom: string;
  validUntil?: string;
  revocation?: { at: string; reason: string; by: string };
  /** The drop row that issued it (`drop:<jobId>:<line>`), for bulk issuance. */
  origin?: string;
  /** Set when a renewal of the same achievement was issued while this one was still valid. */
  supersededBy?: string;
  creditsEarned?: number;
}

/** A link a learner (13+) or guardian chose to create, through which one credential is public until it expires. */
export interface Share {
  token: string;
  /** The shared credential; for a CLR link, `clr:<learnerId>`. */
  credentialId: string;
  /** A link to the learner's Comprehensive Learner Record rather than to one credential. */
  kind?: 'clr';
  /** For a CLR link: the credentials chosen (none = all issued ones when the link was made). */
  credentialIds?: string[];
  /**
   * For a CLR link: the CLR, signed once when the link was made (by the api function, which may sign) and served
   * as stored, so the public function never signs. Kept on the link's own item only, and erased with it.
   */
  document?: Record<string, unknown>;
  learnerId: string;
  createdAt: string;
  expiresAt: string;
  createdBy: string;
}

export interface StatusSlot {
  listId: string;
  index: number;
}

/** A status list: its bitstring is the source of truth, versioned for optimistic locking. */
export interface StatusList {
  listId: string;
  /** Lists belong to one issuer: verifiers expect the list's issuer to be the credential's issuer. */
  issuerId: string;
  bits: Uint8Array;
  version: number;
  /** The signed BitstringStatusListCredential for `credentialVersion` of the bits. */
  credential?: Record<string, unknown>;
  credentialVersion?: number;
}

/** What a deletion leaves behind: counts, a salted hash of the SIS id, who asked — no PII. */
export interface DeletionReceipt {
  id: string;
  learnerHash: string;
  deletedAt: string;
  requestedBy: string;
  requestedByRole: string;
  reason: 'request' | 'retention';
  counts: {
    credentialsRevoked: number;
    credentialsDeleted: number;
    sharesWithdrawn: number;
    imagesDeleted: number;
    auditEntriesDeleted: number;
    membershipsUnlinked: number;
  };
}

/** A credential that counts towards pathways, recorded in the learner's partition (read back strongly consistent). */
export interface PathwayStep {
  achievementId: string;
  credentialId: string;
  at: string;
}
