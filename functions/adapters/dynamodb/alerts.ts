import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertStore } from '#ports/store';
import { expiryAlertKey } from './keys';
import type { Table } from './table';

export const dynamoAlerts = (table: Table): AlertStore => ({
  async claim(credentialId, thresholdDays, now, leaseSeconds) {
    return table.sendIf(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...expiryAlertKey(credentialId, thresholdDays),
          entity: 'alert',
          status: 'claimed',
          leaseUntil: new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
        },
        // Free, or claimed by a run that died before sending and whose lease ran out.
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now.toISOString() },
      }),
    );
  },

  async markSent(credentialId, thresholdDays, at) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: expiryAlertKey(credentialId, thresholdDays),
        UpdateExpression: 'SET #status = :sent, sentAt = :at REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': at.toISOString() },
      }),
    );
  },

  async release(credentialId, thresholdDays) {
    await table.sendIf(
      new DeleteCommand({
        TableName: table.name,
        Key: expiryAlertKey(credentialId, thresholdDays),
        ConditionExpression: '#status = :claimed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': 'claimed' },
      }),
    );
  },
});
