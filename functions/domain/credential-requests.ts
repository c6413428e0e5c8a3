/** What a request to issue a credential carries (validated by `issueCredentialSchema` in `#http/schemas/credentials`). */
export interface Evidence {
  id?: string;
  name?: string;
  narrative?: string;
}

export interface IssueCredential {
  learnerId: string;
  achievementId: string;
  /** A date (YYYY-MM-DD) or an ISO date-time. */
  validFrom?: string;
  validUntil?: string;
  evidence?: Evidence[];
  narrative?: string;
  creditsEarned?: number;
  /**
   * What this issuance comes from (a class, an event, a drop); with learner and achievement it makes the
   * idempotency key: the same three again return the first credential.
   */
  source: string;
}
