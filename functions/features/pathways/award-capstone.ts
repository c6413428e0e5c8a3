import { AsyncLocalStorage } from 'node:async_hooks';
import type { Dependencies } from '#config/dependencies';
import { actingThrough, canIssue, type Principal } from '#domain/access';
import type { IssueCredential } from '#domain/credential-requests';
import { isSatisfied, type Pathway, type PathwayLink } from '#domain/pathways';
import type { CredentialRecord } from '#domain/records';
import { credentialIds, holdingsOf } from '#features/pathways/holdings';

// ---------------------------------------------------------------------------------------------------------------
// Auto-award.

/**
 * Who issues a pathway's capstones: its author, through the pathway — not whoever issued the last step. A pathway
 * written before authors were recorded acts for its issuer's school (only an admin could write one for a district
 * issuer).
 */
const pathwayPrincipal = async (deps: Dependencies, pathway: Pathway): Promise<Principal> => {
  const via = `pathway:${pathway.id}`;
  if (pathway.author) return actingThrough(pathway.author, via);
  const schoolId = (await deps.store.issuers.get(pathway.issuerId))?.schoolId;
  return schoolId
    ? { subject: via, role: 'issuer', schoolIds: [schoolId], learnerIds: [], via }
    : { subject: via, role: 'admin', schoolIds: [], learnerIds: [], via };
};

/** May the pathway's principal issue its capstone to this learner? (The one scope rule; the issue checks it again.) */
const mayAward = async (
  deps: Dependencies,
  principal: Principal,
  capstoneAchievementId: string,
  learner: { schoolId?: string | undefined },
): Promise<boolean> => {
  const capstone = await deps.store.achievements.get(capstoneAchievementId);
  const issuer = capstone ? await deps.store.issuers.get(capstone.issuerId) : undefined;
  return issuer !== undefined && canIssue(principal, issuer, learner);
};

type Issue = (deps: Dependencies, principal: Principal, input: IssueCredential) => Promise<{ id: string }>;

/** How deep capstones cascade (a capstone that is a step of another pathway…). Cycles are refused at creation. */
const maxCascade = 8;
const cascade = new AsyncLocalStorage<number>();

/**
 * Called by `issueCredential` once a credential is stored as issued: every pathway whose tree names its achievement
 * is evaluated for the learner, and a satisfied one issues its capstone through `issue` (that is, `issueCredential`
 * itself) with source `pathway:<id>` — the idempotency key makes that exactly once, also when the last two steps
 * complete at the same time — listing the step credentials as evidence. Capstones cascade into pathways they are
 * steps of. A failure here never undoes the credential that was issued; it is logged.
 */
export const awardPathways = async (
  deps: Dependencies,
  record: CredentialRecord,
  issue: Issue,
  /** The pathways holding the achievement, when the caller has just read them (a drop names the same few). */
  knownLinks?: readonly PathwayLink[],
): Promise<void> => {
  if (record.state !== 'issued') return;
  const depth = cascade.getStore() ?? 0;
  try {
    const links = knownLinks ?? (await deps.store.pathways.listContaining(record.achievementId));
    if (links.length === 0) return;
    await deps.store.pathways.recordStep(record.learnerId, {
      achievementId: record.achievementId,
      credentialId: record.id,
      at: record.issuedAt,
    });
    if (depth >= maxCascade) {
      deps.logger.warn('Pathway cascade stopped: too deep', { credentialId: record.id, depth });
      return;
    }
    const holdings = await holdingsOf(deps, record.learnerId);
    const held = credentialIds(holdings);
    for (const pathwayId of new Set(links.map((link) => link.pathwayId))) {
      const pathway = await deps.store.pathways.get(pathwayId);
      if (!pathway || holdings.has(pathway.capstoneAchievementId) || !isSatisfied(pathway.requirement, held)) continue;
      const evidence = pathway.achievementIds.flatMap((achievementId) => {
        const holding = holdings.get(achievementId);
        return holding
          ? [
              {
                id: holding.credentialUri,
                narrative: `Earned ${holding.achievementName ? `"${holding.achievementName}"` : 'a step'} of the pathway "${pathway.name}".`,
              },
            ]
          : [];
      });
      const principal = await pathwayPrincipal(deps, pathway);
      if (!(await mayAward(deps, principal, pathway.capstoneAchievementId, { schoolId: record.schoolId }))) {
        deps.logger.info('Pathway capstone not issued: the learner is outside its author’s schools', {
          pathwayId: pathway.id,
          credentialId: record.id,
        });
        continue;
      }
      await cascade.run(depth + 1, () =>
        issue(deps, principal, {
          learnerId: record.learnerId,
          achievementId: pathway.capstoneAchievementId,
          source: `pathway:${pathway.id}`,
          evidence,
        }),
      );
    }
  } catch (error) {
    deps.logger.error('Pathway auto-award failed', {
      credentialId: record.id,
      achievementId: record.achievementId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
};
