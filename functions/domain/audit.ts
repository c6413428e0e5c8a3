import type { Role } from './access';

/** What happened to a learner's records (FERPA's record of disclosures and changes). */
export type AuditAction =
  | 'learner.create'
  | 'learner.read'
  | 'credential.issue'
  | 'credential.read'
  | 'credential.revoke'
  | 'consent.record'
  | 'share.create'
  | 'share.withdraw'
  | 'share.view';

export interface AuditEntry {
  at: string;
  /** The IdP subject of who acted, or `public-link` / `retention-policy`. */
  actor: string;
  role: Role | 'public' | 'system';
  /** What the actor acted through, when not in person: `sis-drop:<jobId>` (a drop they uploaded), `pathway:<id>`. */
  via?: string;
  action: AuditAction;
  /** Ids only: which credential, link or job. */
  what: Record<string, string | number>;
  why?: string;
}

export type AuditActor = Pick<AuditEntry, 'actor' | 'role' | 'via'>;

export const publicViewer: AuditActor = { actor: 'public-link', role: 'public' };
export const retentionPolicy: AuditActor = { actor: 'retention-policy', role: 'system' };
