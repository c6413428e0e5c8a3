import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Store } from '#ports/store';
import { dynamoAchievements } from './achievements';
import { dynamoAlerts } from './alerts';
import { dynamoAudit } from './audit';
import { dynamoBulkJobs } from './bulk-jobs';
import { dynamoCredentials } from './credentials';
import { dynamoErasure } from './erasure';
import { dynamoIssuers } from './issuers';
import { dynamoLearners } from './learners';
import { dynamoMemberships } from './memberships';
import { dynamoPathways } from './pathways';
import { dynamoShares } from './shares';
import { dynamoStatusLists } from './status-lists';
import { Table } from './table';

/** The Store port over the single DynamoDB table (DynamoDB Local on a laptop and in tests). */
export const createDynamoStore = (client: DynamoDBDocumentClient, tableName: string): Store => {
  const table = new Table(client, tableName);
  return {
    memberships: dynamoMemberships(table),
    issuers: dynamoIssuers(table),
    achievements: dynamoAchievements(table),
    learners: dynamoLearners(table),
    credentials: dynamoCredentials(table),
    statusLists: dynamoStatusLists(table),
    shares: dynamoShares(table),
    alerts: dynamoAlerts(table),
    audit: dynamoAudit(table),
    erasure: dynamoErasure(table),
    pathways: dynamoPathways(table),
    bulkJobs: dynamoBulkJobs(table),
  };
};
