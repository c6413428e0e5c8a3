/**
 * Every request body, query and success response of the API, by operationId: the operations validate with these
 * schemas and the OpenAPI generator (`../openapi.ts`) describes them, so the two cannot say different things.
 */
import { achievementSchemas } from './achievements';
import { bulkJobSchemas } from './bulk-jobs';
import type { OperationSchemaMap } from './common';
import { credentialSchemas } from './credentials';
import { issuerSchemas } from './issuers';
import { learnerSchemas } from './learners';
import { pathwaySchemas } from './pathways';
import { privacySchemas } from './privacy';
import { publicSchemas } from './public';
import { reportSchemas } from './reports';
import { shareSchemas } from './shares';
import { verifySchemas } from './verify';

export const operationSchemas: OperationSchemaMap = {
  ...publicSchemas,
  ...issuerSchemas,
  ...achievementSchemas,
  ...learnerSchemas,
  ...credentialSchemas,
  ...shareSchemas,
  ...privacySchemas,
  ...reportSchemas,
  ...pathwaySchemas,
  ...bulkJobSchemas,
  ...verifySchemas,
};
