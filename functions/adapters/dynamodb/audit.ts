import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '#domain/audit';
import { newId } from '#domain/ids';
import type { AuditStore } from '#ports/store';
import { auditEntryKey, auditEntryPrefix, auditPartition } from './keys';
import type { Table } from './table';

/*
 * A learner's audit trail has a partition of its own, holding nothing else: the public function (which records
 * disclosures) may PutItem only into `AUDIT#` partitions, by IAM key condition (lib/data.ts `grantTableReadAppend`).
 */
const auditItem = (learnerId: string, entry: AuditEntry, entryId: string = newId()) => ({
  ...auditEntryKey(learnerId, entry.at, entryId),
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
        ExpressionAttributeValues: { ':pk': auditPartition(learnerId), ':audit': auditEntryPrefix },
      },
      page,
    ),
});
