import { z } from 'zod';
import type { Dependencies } from '#config/dependencies';
import { forbidden } from '#domain/errors';
import { isRealIsoDate } from '#domain/dates';
import type { Principal } from '#domain/access';
import { requireLearner } from './learners';

export const pdReportQuerySchema = z
  .object({
    learnerId: z.string().min(1).max(128),
    from: z.string().refine(isRealIsoDate, 'a date as YYYY-MM-DD'),
    to: z.string().refine(isRealIsoDate, 'a date as YYYY-MM-DD'),
  })
  .refine((query) => query.from <= query.to, { message: '`from` must not be after `to`', path: ['from'] });

export interface PdReportLine {
  credentialId: string;
  achievementId: string;
  achievementName: string;
  issuedOn: string;
  validUntil?: string;
  credits: number;
}

export interface PdReport {
  learnerId: string;
  sourcedId: string;
  from: string;
  to: string;
  totalCredits: number;
  byAchievement: Array<{ achievementId: string; achievementName: string; credits: number; count: number }>;
  lines: PdReportLine[];
}

/**
 * A teacher's professional-development credits earned inside a licence window (by issue date, both ends
 * included). Revoked credentials do not count; every line names the credential it comes from.
 */
export const pdReport = async (deps: Dependencies, principal: Principal, query: z.output<typeof pdReportQuerySchema>): Promise<PdReport> => {
  const isSelf = principal.role !== 'guardian' && principal.learnerIds.includes(query.learnerId);
  if (principal.role !== 'admin' && !isSelf) {
    throw forbidden('Only admins, or the staff member themself, can see a PD report.');
  }
  const learner = await requireLearner(deps, query.learnerId);
  const lines: PdReportLine[] = [];
  const names = new Map<string, string>();
  for await (const record of deps.store.credentials.allByLearner(learner.id)) {
    const issuedOn = record.validFrom.slice(0, 10);
    if (record.state !== 'issued' || record.creditsEarned === undefined || issuedOn < query.from || issuedOn > query.to) continue;
    if (!names.has(record.achievementId)) names.set(record.achievementId, (await deps.store.achievements.get(record.achievementId))?.name ?? record.achievementId);
    lines.push({
      credentialId: record.id,
      achievementId: record.achievementId,
      achievementName: names.get(record.achievementId) ?? record.achievementId,
      issuedOn,
      ...(record.validUntil ? { validUntil: record.validUntil } : {}),
      credits: record.creditsEarned,
    });
  }

  const byAchievement = new Map<string, { achievementId: string; achievementName: string; credits: number; count: number }>();
  for (const line of lines) {
    const entry = byAchievement.get(line.achievementId) ?? { achievementId: line.achievementId, achievementName: line.achievementName, credits: 0, count: 0 };
    entry.credits += line.credits;
    entry.count++;
    byAchievement.set(line.achievementId, entry);
  }
  return {
    learnerId: learner.id,
    sourcedId: learner.sourcedId,
    from: query.from,
    to: query.to,
    totalCredits: lines.reduce((sum, line) => sum + line.credits, 0),
    byAchievement: [...byAchievement.values()],
    lines,
  };
};
