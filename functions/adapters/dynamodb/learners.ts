import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#domain/errors';
import type { Learner } from '#domain/learners';
import type { LearnerStore } from '#ports/store';
import { isConditionFailure, isTransactionConditionFailure, type Table } from './table';

const sourcedGuard = (sourcedId: string) => ({ pk: `SOURCED#${sourcedId}`, sk: 'SOURCED' });

export const dynamoLearners = (table: Table): LearnerStore => ({
  async create(learner) {
    try {
      await table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table.name,
                Item: {
                  pk: `LEARNER#${learner.id}`,
                  sk: 'PROFILE',
                  entity: 'learner',
                  ...(learner.schoolId ? { gsi1pk: `SCHOOL#${learner.schoolId}`, gsi1sk: `LEARNER#${learner.sourcedId}` } : {}),
                  ...learner,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table.name,
                Item: { ...sourcedGuard(learner.sourcedId), learnerId: learner.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isTransactionConditionFailure(error)) throw conflict('A learner with this SIS id (sourcedId) already exists.');
      throw error;
    }
  },

  get: (id) => table.get<Learner>(`LEARNER#${id}`, 'PROFILE'),

  async update(previous, next) {
    try {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: {
            pk: `LEARNER#${next.id}`,
            sk: 'PROFILE',
            entity: 'learner',
            ...(next.schoolId ? { gsi1pk: `SCHOOL#${next.schoolId}`, gsi1sk: `LEARNER#${next.sourcedId}` } : {}),
            ...next,
          },
          ConditionExpression: 'updatedAt = :seen',
          ExpressionAttributeValues: { ':seen': previous.updatedAt },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw conflict('The learner changed meanwhile. Reload and try again.');
      throw error;
    }
  },

  async getBySourcedId(sourcedId) {
    const guard = await table.get<{ learnerId: string }>(sourcedGuard(sourcedId).pk, 'SOURCED');
    return guard ? table.get<Learner>(`LEARNER#${guard.learnerId}`, 'PROFILE') : undefined;
  },
});
