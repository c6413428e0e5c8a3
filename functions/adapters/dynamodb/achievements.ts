import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Achievement } from '#domain/achievements';
import { conflict } from '#domain/errors';
import type { AchievementStore } from '#ports/store';
import { isTransactionConditionFailure, type Table } from './table';

const codeGuard = (code: string) => ({ pk: `ACHCODE#${code}`, sk: 'ACHCODE' });

const item = (achievement: Achievement) => ({
  pk: `ACH#${achievement.id}`,
  sk: 'ACH',
  entity: 'achievement',
  gsi1pk: `ISSUER#${achievement.issuerId}#ACH`,
  gsi1sk: `${achievement.createdAt}#${achievement.id}`,
  // gsi2 holds the district-wide list (achievements never use gsi2 for anything else).
  gsi2pk: 'ACHIEVEMENTS',
  gsi2sk: `${achievement.createdAt}#${achievement.id}`,
  ...achievement,
});

const codeTaken = (code: string | undefined) =>
  conflict(`The achievement code ${code ?? ''} is already used by another achievement in this district.`);

export const dynamoAchievements = (table: Table): AchievementStore => ({
  async create(achievement) {
    const writes = [
      { Put: { TableName: table.name, Item: item(achievement), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...(achievement.code
        ? [{ Put: { TableName: table.name, Item: { ...codeGuard(achievement.code), achievementId: achievement.id }, ConditionExpression: 'attribute_not_exists(pk)' } }]
        : []),
    ];
    try {
      await table.client.send(new TransactWriteCommand({ TransactItems: writes }));
    } catch (error) {
      if (isTransactionConditionFailure(error)) throw codeTaken(achievement.code);
      throw error;
    }
  },

  get: (id) => table.get<Achievement>(`ACH#${id}`, 'ACH'),

  async getByCode(code) {
    const guard = await table.get<{ achievementId: string }>(codeGuard(code).pk, 'ACHCODE');
    return guard ? table.get<Achievement>(`ACH#${guard.achievementId}`, 'ACH') : undefined;
  },

  listByIssuer: (issuerId, page) =>
    table.page<Achievement>(
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `ISSUER#${issuerId}#ACH` } },
      page,
    ),

  list: (page) =>
    table.page<Achievement>(
      { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': 'ACHIEVEMENTS' } },
      page,
    ),

  async update(previous, next) {
    const codeChanged = previous.code !== next.code;
    const writes = [
      {
        Put: {
          TableName: table.name,
          Item: item(next),
          // Optimistic lock: a concurrent edit makes this one fail rather than silently lose the other.
          ConditionExpression: 'updatedAt = :seen',
          ExpressionAttributeValues: { ':seen': previous.updatedAt },
        },
      },
      ...(codeChanged && next.code
        ? [{ Put: { TableName: table.name, Item: { ...codeGuard(next.code), achievementId: next.id }, ConditionExpression: 'attribute_not_exists(pk)' } }]
        : []),
      ...(codeChanged && previous.code ? [{ Delete: { TableName: table.name, Key: codeGuard(previous.code) } }] : []),
    ];
    try {
      await table.client.send(new TransactWriteCommand({ TransactItems: writes }));
    } catch (error) {
      if (isTransactionConditionFailure(error)) {
        throw conflict('The achievement changed meanwhile, or its new code is already taken. Reload and try again.');
      }
      throw error;
    }
  },
});
