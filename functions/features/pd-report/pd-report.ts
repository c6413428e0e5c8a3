import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import { csvLine } from '#domain/csv/index';
import { forbidden } from '#domain/errors';
import type { Learner } from '#domain/learners';
import { requireLearner } from '#features/learners/learners';

/** A licence window of one staff member (`pdReportQuerySchema` in `#http/schemas/reports`): dates as YYYY-MM-DD, `from` ≤ `to`. */
export interface PdReportQuery {
  learnerId: string;
  from: string;
  to: string;
}

/** The same window for every staff member of a school (`schoolPdReportQuerySchema`). */
export interface SchoolPdReportQuery {
  schoolId: string;
  from: string;
  to: string;
}

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
export const pdReport = async (deps: Dependencies, principal: Principal, query: PdReportQuery): Promise<PdReport> => {
  const isSelf = principal.role !== 'guardian' && principal.learnerIds.includes(query.learnerId);
  if (principal.role !== 'admin' && !isSelf) {
    throw forbidden('Only admins, or the staff member themself, can see a PD report.');
  }
  return reportFor(deps, await requireLearner(deps, query.learnerId), query);
};

/** Every staff member of a school, for admins preparing licence renewals. */
export const schoolPdReport = async (deps: Dependencies, principal: Principal, query: SchoolPdReportQuery): Promise<PdReport[]> => {
  if (principal.role !== 'admin') throw forbidden('Only admins can see the PD report of a whole school.');
  const reports: PdReport[] = [];
  for await (const learner of deps.store.learners.listBySchool(query.schoolId)) {
    if (learner.role === 'staff') reports.push(await reportFor(deps, learner, query));
  }
  return reports;
};

const reportFor = async (deps: Dependencies, learner: Learner, query: { from: string; to: string }): Promise<PdReport> => {
  const lines: PdReportLine[] = [];
  const names = new Map<string, string>();
  for await (const record of deps.store.credentials.allByLearner(learner.id)) {
    const issuedOn = record.validFrom.slice(0, 10);
    if (record.state !== 'issued' || record.creditsEarned === undefined || issuedOn < query.from || issuedOn > query.to) continue;
    if (!names.has(record.achievementId))
      names.set(record.achievementId, (await deps.store.achievements.get(record.achievementId))?.name ?? record.achievementId);
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
    const entry = byAchievement.get(line.achievementId) ?? {
      achievementId: line.achievementId,
      achievementName: line.achievementName,
      credits: 0,
      count: 0,
    };
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

/** Audit-ready CSV (Excel-safe): one line per credential, each traceable to its id, then each teacher's total. */
export const pdReportCsv = (reports: readonly PdReport[]): string => {
  let text = csvLine(['sis_id', 'credential_id', 'achievement', 'issued_on', 'valid_until', 'credits']);
  for (const report of reports) {
    for (const line of report.lines) {
      text += csvLine([
        report.sourcedId,
        line.credentialId,
        line.achievementName,
        line.issuedOn,
        line.validUntil?.slice(0, 10),
        line.credits,
      ]);
    }
    text += csvLine([report.sourcedId, 'TOTAL', `${report.from} to ${report.to}`, undefined, undefined, report.totalCredits]);
  }
  return text;
};
