import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Share, ShareStore } from '#ports/store';
import type { Table } from './table';

const byToken = (token: string) => ({ pk: `SHARE#${token}`, sk: 'SHARE' });
/** A copy in the learner's partition, so withdrawing consent or deleting the learner finds every link. */
const byLearner = (share: Pick<Share, 'token' | 'learnerId'>) => ({ pk: `LEARNER#${share.learnerId}`, sk: `SHARE#${share.token}` });

export const dynamoShares = (table: Table): ShareStore => ({
  async create(share) {
    const expiresAtEpoch = Math.floor(Date.parse(share.expiresAt) / 1000);
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: { ...byToken(share.token), entity: 'share', expiresAtEpoch, ...share }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: table.name, Item: { ...byLearner(share), entity: 'shareRef', expiresAtEpoch, ...share } } },
        ],
      }),
    );
  },

  get: (token) => table.get<Share>(byToken(token).pk, 'SHARE'),

  async listByLearner(learnerId) {
    const shares: Share[] = [];
    const items = table.queryAll<Share>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :share)',
      ExpressionAttributeValues: { ':pk': `LEARNER#${learnerId}`, ':share': 'SHARE#' },
    });
    for await (const share of items) shares.push(share);
    return shares;
  },

  async delete(share) {
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: table.name, Key: byToken(share.token) } },
          { Delete: { TableName: table.name, Key: byLearner(share) } },
        ],
      }),
    );
  },
});

