import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Achievement } from '#domain/achievements';
import { conflict } from '#domain/errors';
import type { AchievementStore } from '#ports/store';
import { achievementCodeKey, achievementIndexKeys, achievementKey, allAchievementsPk, issuerAchievementsPk } from './keys';
import { isTransactionConditionFailure, type Table } from './table';

const item = (achievement: Achievement) => ({
  ...achievementKey(achievement.id),
  entity: 'achievement',
  // gsi1: the issuer's achievements; gsi2: the district-wide list (achievements never use gsi2 for anything else).
  ...achievementIndexKeys(achievement.id, achievement.issuerId, achievement.createdAt),
  ...achievement,
});

const codeTaken = (code: string | undefined) =>
  conflict(`The achievement code ${code ?? ''} is already used by another achievement in this district.`);

export const dynamoAchievements = (table: Table): AchievementStore => ({
  async create(achievement) {
    const writes = [
      { Put: { TableName: table.name, Item: item(achievement), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...(achievement.code
        ? [
            {
              Put: {
                TableName: table.name,
                Item: { ...achievementCodeKey(achievement.code), achievementId: achievement.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
    ];
    try {
      await table.client.send(new TransactWriteCommand({ TransactItems: writes }));
    } catch (error) {
      if (isTransactionConditionFailure(error)) throw codeTaken(achievement.code);
      throw error;
    }
  },

  get: (id) => table.get<Achievement>(achievementKey(id)),

  async getByCode(code) {
    const guard = await table.get<{ achievementId: string }>(achievementCodeKey(code));
    return guard ? table.get<Achievement>(achievementKey(guard.achievementId)) : undefined;
  },

  listByIssuer: (issuerId, page) =>
    table.page<Achievement>(
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': issuerAchievementsPk(issuerId) } },
      page,
    ),

  list: (page) =>
    table.page<Achievement>(
      { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': allAchievementsPk } },
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
        ? [
            {
              Put: {
                TableName: table.name,
                Item: { ...achievementCodeKey(next.code), achievementId: next.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      ...(codeChanged && previous.code ? [{ Delete: { TableName: table.name, Key: achievementCodeKey(previous.code) } }] : []),
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
