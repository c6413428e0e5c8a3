import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Share } from '#domain/records';
import type { ShareStore } from '#ports/store';
import type { Table } from './table';

const byToken = (token: string) => ({ pk: `SHARE#${token}`, sk: 'SHARE' });
/** A copy in the learner's partition, so withdrawing consent or deleting the learner finds every link. */
const byLearner = (share: Pick<Share, 'token' | 'learnerId'>) => ({ pk: `LEARNER#${share.learnerId}`, sk: `SHARE#${share.token}` });

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
          { Put: { TableName: table.name, Item: { ...byToken(share.token), entity: 'share', expiresAtEpoch, ...stored }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: table.name, Item: { ...byLearner(share), entity: 'shareRef', expiresAtEpoch, ...reference } } },
        ],
      }),
    );
  },

  async get(token) {
    const stored = await table.get<StoredShare>(byToken(token).pk, 'SHARE');
    if (!stored) return undefined;
    const { documentGzip, ...share } = stored;
    return documentGzip ? { ...share, document: JSON.parse(gunzipSync(documentGzip).toString('utf8')) as Record<string, unknown> } : share;
  },

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

