import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import type { AuditAction, AuditActor, AuditEntry } from '#domain/audit';
import { csvLine } from '#domain/csv/index';
import type { Page, PageRequest } from '#ports/store';
import { requireLearner } from '#features/learners/learners';

export const actorOf = (principal: Principal): AuditActor => ({ actor: principal.subject, role: principal.role, ...(principal.via ? { via: principal.via } : {}) });

/**
 * Appends to a learner's FERPA record: who, in what role, when, what (ids only), and why. An entry given an `entryId`
 * (and its time) is recorded once however often a retried step records it.
 */
export const recordAudit = (
  deps: Dependencies,
  learnerId: string,
  actor: AuditActor,
  action: AuditAction,
  what: AuditEntry['what'],
  why?: string,
  once?: { entryId: string; at: string },
): Promise<void> =>
  deps.store.audit.append(learnerId, { at: once?.at ?? deps.clock.now().toISOString(), ...actor, action, what, ...(why ? { why } : {}) }, once?.entryId);

/**
 * Dependencies whose audit entries wait in memory until `flush()` writes them in batches: a drop's chunk of rows
 * records its entries in a few writes. Flush before acknowledging the work they record.
 */
export const withBufferedAudit = (deps: Dependencies): { deps: Dependencies; flush: () => Promise<void> } => {
  const pending: Array<{ learnerId: string; entry: AuditEntry; entryId?: string }> = [];
  const audit = {
    ...deps.store.audit,
    append: async (learnerId: string, entry: AuditEntry, entryId?: string) => {
      pending.push({ learnerId, entry, ...(entryId ? { entryId } : {}) });
    },
  };
  return { deps: { ...deps, store: { ...deps.store, audit } }, flush: () => deps.store.audit.appendMany(pending.splice(0)) };
};

export const auditTrail = async (deps: Dependencies, learnerId: string, page: PageRequest): Promise<Page<AuditEntry>> => {
  await requireLearner(deps, learnerId);
  return deps.store.audit.list(learnerId, page);
};

/** The whole trail as Excel-safe CSV, oldest first (FERPA requests come as spreadsheets). */
export const auditTrailCsv = async (deps: Dependencies, learnerId: string): Promise<string> => {
  let text = csvLine(['at', 'actor', 'role', 'action', 'what', 'why', 'via']);
  let cursor: string | undefined;
  do {
    const page = await auditTrail(deps, learnerId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const entry of page.items) {
      const what = Object.entries(entry.what).map(([key, value]) => `${key}=${value}`).join('; ');
      text += csvLine([entry.at, entry.actor, entry.role, entry.action, what, entry.why, entry.via]);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return text;
};
