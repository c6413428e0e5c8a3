import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '#domain/audit';
import { newId } from '#domain/ids';
import type { AuditStore } from '#ports/store';
import type { Table } from './table';

export const dynamoAudit = (table: Table): AuditStore => ({
  async append(learnerId, entry) {
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        // Time-ordered within the learner's partition; the uuid keeps two entries of one millisecond apart.
        Item: { pk: `LEARNER#${learnerId}`, sk: `AUDIT#${entry.at}#${newId()}`, entity: 'audit', ...entry },
      }),
    );
  },

  list: (learnerId, page) =>
    table.page<AuditEntry>(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': `LEARNER#${learnerId}`, ':audit': 'AUDIT#' },
      },
      page,
    ),
});
