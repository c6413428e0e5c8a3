import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import type { AuditAction, AuditActor, AuditEntry } from '#domain/audit';

export const actorOf = (principal: Principal): AuditActor => ({
  actor: principal.subject,
  role: principal.role,
  ...(principal.via ? { via: principal.via } : {}),
});

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
  deps.store.audit.append(
    learnerId,
    { at: once?.at ?? deps.clock.now().toISOString(), ...actor, action, what, ...(why ? { why } : {}) },
    once?.entryId,
  );

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
