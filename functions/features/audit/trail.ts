import type { Dependencies } from '#config/dependencies';
import type { AuditEntry } from '#domain/audit';
import { csvLine } from '#domain/csv/index';
import { requireLearner } from '#features/learners/learners';
import type { Page, PageRequest } from '#ports/store';

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
      const what = Object.entries(entry.what)
        .map(([key, value]) => `${key}=${value}`)
        .join('; ');
      text += csvLine([entry.at, entry.actor, entry.role, entry.action, what, entry.why, entry.via]);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return text;
};
