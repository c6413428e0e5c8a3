import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import type { AuditAction, AuditActor, AuditEntry } from '#domain/audit';
import type { Page, PageRequest } from '#ports/store';
import { requireLearner } from './learners';

export const actorOf = (principal: Principal): AuditActor => ({ actor: principal.subject, role: principal.role });

/** Appends to a learner's FERPA record: who, in what role, when, what (ids only), and why. */
export const recordAudit = (
  deps: Dependencies,
  learnerId: string,
  actor: AuditActor,
  action: AuditAction,
  what: AuditEntry['what'],
  why?: string,
): Promise<void> =>
  deps.store.audit.append(learnerId, { at: deps.clock.now().toISOString(), ...actor, action, what, ...(why ? { why } : {}) });

export const auditTrail = async (deps: Dependencies, learnerId: string, page: PageRequest): Promise<Page<AuditEntry>> => {
  await requireLearner(deps, learnerId);
  return deps.store.audit.list(learnerId, page);
};
