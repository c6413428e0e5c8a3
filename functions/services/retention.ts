import type { Dependencies } from '#config/dependencies';
import { retentionPolicy } from '#domain/audit';
import { toIsoDate } from '#domain/dates';
import { retentionDueOn } from '#domain/learners';
import { eraseLearner } from './deletion';

export interface RetentionSummary {
  due: number;
  deleted: number;
  failed: number;
  receiptIds: string[];
}

/**
 * The daily retention job (DESIGN §5.4): learners past their retention date, found through the retention index
 * (no scan), go through the same deletion as a request. Idempotent and resumable: a learner deleted is no longer
 * in the index, and one that failed halfway is simply deleted again on the next run. Issuing a credential does not
 * move a learner in the index (that would cost a learner write per credential), so a learner found due whose latest
 * credential is newer than their recorded activity is moved to the date it gives instead, and kept.
 */
export const runRetention = async (deps: Dependencies): Promise<RetentionSummary> => {
  const today = toIsoDate(deps.clock.now());
  const summary: RetentionSummary = { due: 0, deleted: 0, failed: 0, receiptIds: [] };
  for await (const learner of deps.store.learners.listDueForRetention(today)) {
    if (learner.retentionDueOn > today) continue; // activity moved it since the index was read
    const latestIssue = await deps.store.credentials.latestIssuedAt(learner.id);
    if (latestIssue && latestIssue > learner.lastActivityAt) {
      const dueOn = retentionDueOn(new Date(latestIssue), deps.district.retentionYears);
      if (dueOn > today) {
        await deps.store.learners.touch(learner.id, latestIssue, dueOn);
        continue;
      }
    }
    summary.due++;
    try {
      const receipt = await eraseLearner(deps, learner, retentionPolicy, 'retention');
      summary.deleted++;
      summary.receiptIds.push(receipt.id);
    } catch (error) {
      summary.failed++;
      deps.logger.error('Retention deletion failed; it will run again tomorrow', { learnerId: learner.id, errorName: (error as Error).name });
    }
  }
  deps.logger.info('Retention run', { due: summary.due, deleted: summary.deleted, failed: summary.failed });
  return summary;
};
