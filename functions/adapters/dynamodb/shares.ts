import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Share } from '#domain/records';
import type { ShareStore } from '#ports/store';
import { learnerPartition, shareKey, shareRefKey, shareRefPrefix } from './keys';
import type { Table } from './table';

/** A CLR of 200 credentials is far over DynamoDB's 400 KB item limit as JSON; gzipped it is a tenth of that. */
type StoredShare = Omit<Share, 'document'> & { documentGzip?: Uint8Array };

export const dynamoShares = (table: Table): ShareStore => ({
  async create(share) {
    const expiresAtEpoch = Math.floor(Date.parse(share.expiresAt) / 1000);
    const { document, ...reference } = share;
    const stored: StoredShare = { ...reference, ...(document ? { documentGzip: gzipSync(JSON.stringify(document)) } : {}) };
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.name,
              Item: { ...shareKey(share.token), entity: 'share', expiresAtEpoch, ...stored },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table.name,
              Item: { ...shareRefKey(share.learnerId, share.token), entity: 'shareRef', expiresAtEpoch, ...reference },
            },
          },
        ],
      }),
    );
  },

  async get(token) {
    const stored = await table.get<StoredShare>(shareKey(token));
    if (!stored) return undefined;
    const { documentGzip, ...share } = stored;
    return documentGzip ? { ...share, document: JSON.parse(gunzipSync(documentGzip).toString('utf8')) as Record<string, unknown> } : share;
  },

  async listByLearner(learnerId) {
    const shares: Share[] = [];
    const items = table.queryAll<Share>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :share)',
      ExpressionAttributeValues: { ':pk': learnerPartition(learnerId), ':share': shareRefPrefix },
    });
    for await (const share of items) shares.push(share);
    return shares;
  },

  async delete(share) {
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: table.name, Key: shareKey(share.token) } },
          { Delete: { TableName: table.name, Key: shareRefKey(share.learnerId, share.token) } },
        ],
      }),
    );
  },
});
