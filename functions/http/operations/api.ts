import type { Operations } from '../types';
import { achievementOperations } from './achievements';
import { bulkJobOperations } from './bulk-jobs';
import { credentialOperations } from './credentials';
import { issuerOperations } from './issuers';
import { learnerOperations } from './learners';
import { pathwayOperations } from './pathways';
import { privacyOperations } from './privacy';
import { reportOperations } from './reports';
import { sharingOperations } from './shares';

/** The routes of the staff/learner Lambda (behind the JWT authorizer). */
export const apiOperations: Operations = {
  ...issuerOperations,
  ...achievementOperations,
  ...learnerOperations,
  ...credentialOperations,
  ...sharingOperations,
  ...privacyOperations,
  ...reportOperations,
  ...pathwayOperations,
  ...bulkJobOperations,
};
