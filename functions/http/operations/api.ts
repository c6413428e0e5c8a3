import type { Operations } from '../types';
import { lazyOperations } from './lazy';

/**
 * The routes of the staff/learner Lambda (behind the JWT authorizer). Each group is imported on its first request
 * (./lazy.ts), so a cold start evaluates what that request needs: a staff list does not evaluate issuing and
 * baking, the CLR or the PD report.
 */
export const apiOperations: Operations = {
  ...lazyOperations(['createIssuer', 'updateIssuer', 'listIssuers'], async () => (await import('./issuers')).issuerOperations),
  ...lazyOperations(
    ['createAchievement', 'updateAchievement', 'listAchievements'],
    async () => (await import('./achievements')).achievementOperations,
  ),
  ...lazyOperations(['createLearner', 'getLearner', 'findLearners'], async () => (await import('./learners')).learnerOperations),
  ...lazyOperations(
    ['issueCredential', 'getCredential', 'revokeCredential', 'listLearnerCredentials'],
    async () => (await import('./credentials')).credentialOperations,
  ),
  ...lazyOperations(
    ['recordConsent', 'createShare', 'createClrShare', 'withdrawClrShare', 'withdrawShare'],
    async () => (await import('./shares')).sharingOperations,
  ),
  ...lazyOperations(['deleteLearner', 'getAuditTrail'], async () => (await import('./privacy')).privacyOperations),
  ...lazyOperations(['getPdReport'], async () => (await import('./reports')).reportOperations),
  ...lazyOperations(
    ['createPathway', 'updatePathway', 'getLearnerPathways', 'getLearnerClr'],
    async () => (await import('./pathways')).pathwayOperations,
  ),
  ...lazyOperations(
    ['createBulkUpload', 'getBulkJob', 'getBulkJobReport', 'listBulkJobs'],
    async () => (await import('./bulk-jobs')).bulkJobOperations,
  ),
};
