import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#domain/errors';
import type { Pathway, PathwayLink } from '#domain/pathways';
import type { PathwayStep } from '#domain/records';
import type { PathwayStore } from '#ports/store';
import { isTransactionConditionFailure, withoutKeys, type Table } from './table';

/**
 * Pathways: `pk=PATHWAY#<id>, sk=PATHWAY`; one link per achievement of the tree, in the achievement's partition:
 * `pk=ACH#<achievementId>, sk=PATHWAY#<pathwayId>` (so "pathways holding an achievement" is one Query); a learner's
 * steps in the learner's partition, `pk=LEARNER#<id>, sk=PATHSTEP#<achievementId>#<credentialId>` (erased with it).
 */
const pathwayKey = (id: string) => ({ pk: `PATHWAY#${id}`, sk: 'PATHWAY' });
const linkKey = (achievementId: string, pathwayId: string) => ({ pk: `ACH#${achievementId}`, sk: `PATHWAY#${pathwayId}` });

const linkItems = (pathway: Pathway) =>
  pathway.achievementIds.map((achievementId) => ({
    ...linkKey(achievementId, pathway.id),
    entity: 'pathway-link',
    pathwayId: pathway.id,
    achievementId,
    capstoneAchievementId: pathway.capstoneAchievementId,
  }));

export const dynamoPathways = (table: Table): PathwayStore => ({
  async create(pathway) {
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: { ...pathwayKey(pathway.id), entity: 'pathway', ...pathway }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...linkItems(pathway).map((Item) => ({ Put: { TableName: table.name, Item } })),
        ],
      }),
    );
  },

  get: (id) => table.get<Pathway>(pathwayKey(id).pk, 'PATHWAY'),

  async update(previous, next) {
    const removed = previous.achievementIds.filter((id) => !next.achievementIds.includes(id));
    try {
      await table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table.name,
                Item: { ...pathwayKey(next.id), entity: 'pathway', ...next },
                // Optimistic lock: a concurrent edit makes this one fail rather than silently lose the other.
                ConditionExpression: 'updatedAt = :seen',
                ExpressionAttributeValues: { ':seen': previous.updatedAt },
              },
            },
            ...linkItems(next).map((Item) => ({ Put: { TableName: table.name, Item } })),
            ...removed.map((achievementId) => ({ Delete: { TableName: table.name, Key: linkKey(achievementId, next.id) } })),
          ],
        }),
      );
    } catch (error) {
      if (isTransactionConditionFailure(error)) throw conflict('The pathway changed meanwhile. Reload and try again.');
      throw error;
    }
  },

  async listContaining(achievementId) {
    const links: PathwayLink[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await table.client.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pathway)',
          ExpressionAttributeValues: { ':pk': `ACH#${achievementId}`, ':pathway': 'PATHWAY#' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const { pathwayId, capstoneAchievementId } = withoutKeys<PathwayLink>(item);
        links.push({ pathwayId, achievementId, capstoneAchievementId });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return links;
  },

  async recordStep(learnerId, step) {
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { pk: `LEARNER#${learnerId}`, sk: `PATHSTEP#${step.achievementId}#${step.credentialId}`, entity: 'pathway-step', ...step },
      }),
    );
  },

  async listSteps(learnerId) {
    const steps: PathwayStep[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await table.client.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :step)',
          ExpressionAttributeValues: { ':pk': `LEARNER#${learnerId}`, ':step': 'PATHSTEP#' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const { achievementId, credentialId, at } = withoutKeys<PathwayStep>(item);
        steps.push({ achievementId, credentialId, at });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return steps;
  },
});

