import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Issuer } from '#domain/issuers';
import type { IssuerStore } from '#ports/store';
import type { Table } from './table';

export const dynamoIssuers = (table: Table): IssuerStore => ({
  async create(issuer) {
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { pk: `ISSUER#${issuer.id}`, sk: 'ISSUER', entity: 'issuer', gsi1pk: 'ISSUERS', gsi1sk: `${issuer.createdAt}#${issuer.id}`, ...issuer },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  get: (id) => table.get<Issuer>(`ISSUER#${id}`, 'ISSUER'),

  list: (page) =>
    table.page<Issuer>(
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': 'ISSUERS' } },
      page,
    ),
});
