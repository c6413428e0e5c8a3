import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#domain/errors';
import type { Pathway, PathwayLink } from '#domain/pathways';
import type { PathwayStep } from '#domain/records';
import type { PathwayStore } from '#ports/store';
import { achievementKey, learnerPartition, pathwayKey, pathwayLinkKey, pathwayLinkPrefix, pathwayStepKey, pathwayStepPrefix } from './keys';
import { isTransactionConditionFailure, type Table } from './table';

/*
 * Pathways: one item per pathway; one link per achievement of the tree, in the achievement's partition (so "pathways
 * holding an achievement" is one Query); a learner's steps in the learner's partition (erased with it).
 */

const linkItems = (pathway: Pathway) =>
  pathway.achievementIds.map((achievementId) => ({
    ...pathwayLinkKey(achievementId, pathway.id),
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
          {
            Put: {
              TableName: table.name,
              Item: { ...pathwayKey(pathway.id), entity: 'pathway', ...pathway },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...linkItems(pathway).map((Item) => ({ Put: { TableName: table.name, Item } })),
        ],
      }),
    );
  },

  get: (id) => table.get<Pathway>(pathwayKey(id)),

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
            ...removed.map((achievementId) => ({ Delete: { TableName: table.name, Key: pathwayLinkKey(achievementId, next.id) } })),
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
    for await (const { pathwayId, capstoneAchievementId } of table.queryAll<PathwayLink>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pathway)',
      ExpressionAttributeValues: { ':pk': achievementKey(achievementId).pk, ':pathway': pathwayLinkPrefix },
    })) {
      links.push({ pathwayId, achievementId, capstoneAchievementId });
    }
    return links;
  },

  async recordStep(learnerId, step) {
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...pathwayStepKey(learnerId, step.achievementId, step.credentialId), entity: 'pathway-step', ...step },
      }),
    );
  },

  async listSteps(learnerId) {
    const steps: PathwayStep[] = [];
    for await (const { achievementId, credentialId, at } of table.queryAll<PathwayStep>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :step)',
      ExpressionAttributeValues: { ':pk': learnerPartition(learnerId), ':step': pathwayStepPrefix },
      ConsistentRead: true,
    })) {
      steps.push({ achievementId, credentialId, at });
    }
    return steps;
  },
});
