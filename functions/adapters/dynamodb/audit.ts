import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '#domain/audit';
import { newId } from '#domain/ids';
import type { AuditStore } from '#ports/store';
import type { Table } from './table';

// Time-ordered within the learner's partition; the id keeps two entries of one millisecond apart.
const auditItem = (learnerId: string, entry: AuditEntry, entryId: string = newId()) => ({
  pk: `LEARNER#${learnerId}`,
  sk: `AUDIT#${entry.at}#${entryId}`,
  entity: 'audit',
  ...entry,
});

export const dynamoAudit = (table: Table): AuditStore => ({
  async append(learnerId, entry, entryId) {
    await table.client.send(new PutCommand({ TableName: table.name, Item: auditItem(learnerId, entry, entryId) }));
  },

  appendMany: (entries) => table.writeAll(entries.map(({ learnerId, entry, entryId }) => ({ put: auditItem(learnerId, entry, entryId) }))),

  list: (learnerId, page) =>
    table.page<AuditEntry>(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': `LEARNER#${learnerId}`, ':audit': 'AUDIT#' },
      },
      page,
    ),
});
