import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#domain/errors';
import type { Learner } from '#domain/learners';
import type { LearnerStore } from '#ports/store';
import {
  learnerKey,
  learnerSchoolIndexKey,
  retentionIndexKey,
  retentionShardPk,
  retentionSortKey,
  schoolLearnerPrefix,
  schoolLearnersPk,
} from './keys';
import type { Table } from './table';

/** How far back the retention job looks for due learners it might have missed. */
const retentionLookbackYears = 10;

const profileItem = (learner: Learner) => ({
  ...learnerKey(learner.id),
  entity: 'learner',
  ...(learner.schoolId ? learnerSchoolIndexKey(learner.schoolId, learner.sourcedId) : {}),
  ...retentionIndexKey(learner.id, learner.retentionDueOn),
  ...learner,
});

export const dynamoLearners = (table: Table): LearnerStore => ({
  async create(learner) {
    // The id derives from the SIS id (learnerIdFor), so the profile itself is the uniqueness guard: one write.
    if (
      !(await table.sendIf(
        new PutCommand({ TableName: table.name, Item: profileItem(learner), ConditionExpression: 'attribute_not_exists(pk)' }),
      ))
    ) {
      throw conflict('A learner with this SIS id (sourcedId) already exists.');
    }
  },

  get: (id) => table.get<Learner>(learnerKey(id)),

  async getMany(ids) {
    const found = await table.getMany<Learner>(ids.map(learnerKey));
    return new Map(found.flatMap((learner) => (learner ? [[learner.id, learner] as const] : [])));
  },

  async update(previous, next) {
    const saved = await table.sendIf(
      new PutCommand({
        TableName: table.name,
        Item: profileItem(next),
        ConditionExpression: 'updatedAt = :seen',
        ExpressionAttributeValues: { ':seen': previous.updatedAt },
      }),
    );
    if (!saved) throw conflict('The learner changed meanwhile. Reload and try again.');
  },

  async touch(learnerId, at, retentionDueOn) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: learnerKey(learnerId),
        UpdateExpression: 'SET lastActivityAt = :at, retentionDueOn = :due, gsi3pk = :gsi3pk, gsi3sk = :gsi3sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':at': at,
          ':due': retentionDueOn,
          ...Object.fromEntries(Object.entries(retentionIndexKey(learnerId, retentionDueOn)).map(([k, v]) => [`:${k}`, v])),
        },
      }),
    );
  },

  listBySchool: (schoolId) =>
    table.queryAll<Learner>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :school AND begins_with(gsi1sk, :learner)',
      ExpressionAttributeValues: { ':school': schoolLearnersPk(schoolId), ':learner': schoolLearnerPrefix },
    }),

  async *listDueForRetention(date, after) {
    const year = Number(date.slice(0, 4));
    const through = `${date}#~`;
    // A continued run starts in the year shard it stopped in, from the learner it handled last (skipped below).
    const last = after ? retentionSortKey(after.retentionDueOn, after.learnerId) : undefined;
    const firstShard = after
      ? Math.max(year - retentionLookbackYears, Number(after.retentionDueOn.slice(0, 4)))
      : year - retentionLookbackYears;
    for (let shard = firstShard; shard <= year; shard++) {
      const from = last?.startsWith(String(shard)) && last <= through ? last : undefined;
      const learners = table.queryAll<Learner>({
        IndexName: 'gsi3',
        KeyConditionExpression: from ? 'gsi3pk = :year AND gsi3sk BETWEEN :from AND :through' : 'gsi3pk = :year AND gsi3sk <= :through',
        ExpressionAttributeValues: { ':year': retentionShardPk(shard), ':through': through, ...(from ? { ':from': from } : {}) },
      });
      for await (const learner of learners) if (retentionSortKey(learner.retentionDueOn, learner.id) !== from) yield learner;
    }
  },
});
