import { z } from 'zod';
import type { Dependencies } from '#config/dependencies';
import { retentionPolicy } from '#domain/audit';
import { toIsoDate } from '#domain/dates';
import { type Learner, retentionDueOn } from '#domain/learners';
import { eraseLearner } from '#features/deletion/delete-learner';
import type { PartOptions, PartResult, ScheduledJob } from '#features/scheduled/scheduled-runs';
import type { RetentionPosition } from '#ports/store';

export type RetentionSummary = {
  due: number;
  deleted: number;
  failed: number;
  receiptIds: string[];
};

/**
 * The daily retention job (DESIGN §5.4): learners past their retention date, found through the retention index
 * (no scan), go through the same deletion as a request. Idempotent and resumable: a learner deleted is no longer
 * in the index, and one that failed halfway is simply deleted again on the next run. Issuing a credential does not
 * move a learner in the index (that would cost a learner write per credential), so a learner found due whose latest
 * credential is newer than their recorded activity is moved to the date it gives instead, and kept.
 *
 * Works in parts when a budget is given: it stops after the learner in hand once the budget is spent, and says where
 * (`continueAfter`), so a next part carries on after that learner as of the same day (scheduled-runs.ts).
 */
export const runRetention = async (
  deps: Dependencies,
  options: PartOptions<RetentionPosition> = {},
): Promise<PartResult<RetentionSummary, RetentionPosition>> => {
  const today = toIsoDate(options.now ?? deps.clock.now());
  const summary: RetentionSummary = { due: 0, deleted: 0, failed: 0, receiptIds: [] };
  let continueAfter: RetentionPosition | undefined;
  for await (const learner of deps.store.learners.listDueForRetention(today, options.after)) {
    await retainOrErase(deps, learner, today, summary);
    if (options.budget?.exhausted()) {
      continueAfter = { retentionDueOn: learner.retentionDueOn, learnerId: learner.id };
      break;
    }
  }
  deps.logger.info('Retention run', {
    due: summary.due,
    deleted: summary.deleted,
    failed: summary.failed,
    continued: continueAfter !== undefined,
  });
  return continueAfter ? { ...summary, continueAfter } : summary;
};

const retainOrErase = async (deps: Dependencies, learner: Learner, today: string, summary: RetentionSummary): Promise<void> => {
  if (learner.retentionDueOn > today) return; // activity moved it since the index was read
  const latestIssue = await deps.store.credentials.latestIssuedAt(learner.id);
  if (latestIssue && latestIssue > learner.lastActivityAt) {
    const dueOn = retentionDueOn(new Date(latestIssue), deps.district.retentionYears);
    if (dueOn > today) {
      await deps.store.learners.touch(learner.id, latestIssue, dueOn);
      return;
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
};

/** The retention job in parts: a deletion revokes and re-signs, so two minutes are kept back for the one in hand. */
export const retentionJob: ScheduledJob<RetentionSummary, RetentionPosition> = {
  name: 'retention',
  marginMs: 2 * 60_000,
  position: z.object({ retentionDueOn: z.iso.date(), learnerId: z.string().min(1).max(128) }).strict(),
  run: runRetention,
};
