import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import type { AuditAction, AuditActor, AuditEntry } from '#domain/audit';
import { csvLine } from '#domain/csv/index';
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

/** The whole trail as Excel-safe CSV, oldest first (FERPA requests come as spreadsheets). */
export const auditTrailCsv = async (deps: Dependencies, learnerId: string): Promise<string> => {
  let text = csvLine(['at', 'actor', 'role', 'action', 'what', 'why']);
  let cursor: string | undefined;
  do {
    const page = await auditTrail(deps, learnerId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const entry of page.items) {
      const what = Object.entries(entry.what).map(([key, value]) => `${key}=${value}`).join('; ');
      text += csvLine([entry.at, entry.actor, entry.role, entry.action, what, entry.why]);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return text;
};
