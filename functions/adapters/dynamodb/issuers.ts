import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#domain/errors';
import type { Issuer } from '#domain/issuers';
import { type SchoolReference, schoolReferencesOf } from '#domain/schools';
import type { IssuerStore } from '#ports/store';
import { allIssuersPk, issuerKey, issuersIndexKey, schoolReferenceKey } from './keys';
import { isTransactionConditionFailure, type Table } from './table';

/** One item per SIS school code or name: it makes the code unique in the district and finds its school by GetItem. */
const referenceGuard = (reference: Pick<SchoolReference, 'kind' | 'key'>) => schoolReferenceKey(reference.kind, reference.key);

const item = (issuer: Issuer) => ({
  ...issuerKey(issuer.id),
  entity: 'issuer',
  ...issuersIndexKey(issuer.id, issuer.createdAt),
  ...issuer,
});

/** Claims a code or name for this school: free, or already this school's (a change re-claims what it keeps). */
const claim = (table: Table, issuerId: string) => (reference: SchoolReference) => ({
  Put: {
    TableName: table.name,
    Item: { ...referenceGuard(reference), issuerId },
    ConditionExpression: 'attribute_not_exists(pk) OR issuerId = :me',
    ExpressionAttributeValues: { ':me': issuerId },
  },
});

const idOf = (reference: SchoolReference) => `${reference.kind}#${reference.key}`;

export const dynamoIssuers = (table: Table): IssuerStore => ({
  async create(issuer) {
    try {
      await table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table.name, Item: item(issuer), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...schoolReferencesOf(issuer).map(claim(table, issuer.id)),
          ],
        }),
      );
    } catch (error) {
      if (isTransactionConditionFailure(error))
        throw conflict('One of the school codes or names already names another school in this district.');
      throw error;
    }
  },

  get: (id) => table.get<Issuer>(issuerKey(id)),

  list: (page) =>
    table.page<Issuer>(
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': allIssuersPk } },
      page,
    ),

  async update(previous, next) {
    const before = new Map(schoolReferencesOf(previous).map((reference) => [idOf(reference), reference]));
    const after = new Map(schoolReferencesOf(next).map((reference) => [idOf(reference), reference]));
    // Every code and name kept is claimed again, so a change also files those of a school created before guards.
    const claimed = [...after.values()];
    const removed = [...before].filter(([id]) => !after.has(id)).map(([, reference]) => reference);
    try {
      await table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table.name,
                Item: item(next),
                // Optimistic lock: a concurrent edit makes this one fail rather than silently lose the other.
                ConditionExpression: previous.updatedAt ? 'updatedAt = :seen' : 'attribute_exists(pk) AND attribute_not_exists(updatedAt)',
                ...(previous.updatedAt ? { ExpressionAttributeValues: { ':seen': previous.updatedAt } } : {}),
              },
            },
            ...claimed.map(claim(table, next.id)),
            ...removed.map((reference) => ({
              Delete: {
                TableName: table.name,
                Key: referenceGuard(reference),
                ConditionExpression: 'issuerId = :me',
                ExpressionAttributeValues: { ':me': next.id },
              },
            })),
          ],
        }),
      );
    } catch (error) {
      if (isTransactionConditionFailure(error))
        throw conflict(
          'The school changed meanwhile, or one of its new codes or names already names another school. Reload and try again.',
        );
      throw error;
    }
  },

  async bySchoolReference(reference) {
    const guard = await table.get<{ issuerId: string }>(referenceGuard(reference));
    return guard ? table.get<Issuer>(issuerKey(guard.issuerId)) : undefined;
  },
});
