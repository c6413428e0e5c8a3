import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Membership } from '#domain/access';
import type { MembershipStore } from '#ports/store';
import type { Table } from './table';

const bySubject = (subject: string) => `MEMBER#SUB#${subject}`;
const byEmail = (email: string) => `MEMBER#EMAIL#${email.toLowerCase()}`;

/**
 * The index of memberships by learner: one item per (learner, membership) in the learner's partition, so a deletion
 * finds every membership that links someone to the learner by Query, and the learner's partition deletion removes
 * the index items with the rest.
 */
const linkKey = (learnerId: string, memberPk: string) => ({ pk: `LEARNER#${learnerId}`, sk: memberPk });
const linkPrefix = 'MEMBER#';

/** Roles that exist only through the learners they link to: with none left, the membership goes. */
const familyRoles: ReadonlySet<Membership['role']> = new Set(['learner', 'guardian']);

/** Attempts at a read-modify-write of one membership before giving up (another writer kept changing it). */
const unlinkAttempts = 5;

export const dynamoMemberships = (table: Table): MembershipStore => ({
  async find(subject, email) {
    const direct = await table.get<Membership>(bySubject(subject), 'MEMBER');
    if (direct) return direct;
    return email ? table.get<Membership>(byEmail(email), 'MEMBER') : undefined;
  },

  async put(key, membership) {
    const pk = key.subject ? bySubject(key.subject) : key.email ? byEmail(key.email) : undefined;
    if (!pk) throw new Error('A membership needs a subject or an e-mail.');
    const previous = await table.get<Membership>(pk, 'MEMBER');
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { pk, sk: 'MEMBER', entity: 'membership', ...membership },
      }),
    );
    const unlinked = (previous?.learnerIds ?? []).filter((id) => !membership.learnerIds.includes(id));
    await table.writeAll([
      ...membership.learnerIds.map((learnerId) => ({ put: { ...linkKey(learnerId, pk), entity: 'membershipLink', memberPk: pk } })),
      ...unlinked.map((learnerId) => ({ delete: linkKey(learnerId, pk) })),
    ]);
  },

  async unlinkLearner(learnerId) {
    let removed = 0;
    for await (const { memberPk: pk } of table.queryAll<{ memberPk: string }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': `LEARNER#${learnerId}`, ':member': linkPrefix },
      ProjectionExpression: 'memberPk',
      ConsistentRead: true,
    })) {
      for (let attempt = 1; ; attempt++) {
        const membership = await table.get<Membership>(pk, 'MEMBER');
        if (!membership?.learnerIds.includes(learnerId)) break; // unlinked since (or by an earlier, interrupted run)
        const learnerIds = membership.learnerIds.filter((id) => id !== learnerId);
        const seen = { ExpressionAttributeValues: { ':seen': membership.learnerIds }, ConditionExpression: 'learnerIds = :seen' };
        // Conditional on the links read: a concurrent change of this membership is read again, never overwritten.
        const written =
          learnerIds.length === 0 && familyRoles.has(membership.role)
            ? await table.sendIf(new DeleteCommand({ TableName: table.name, Key: { pk, sk: 'MEMBER' }, ...seen }))
            : await table.sendIf(new PutCommand({ TableName: table.name, Item: { pk, sk: 'MEMBER', entity: 'membership', ...membership, learnerIds }, ...seen }));
        if (written) {
          removed++;
          break;
        }
        if (attempt === unlinkAttempts) throw new Error('A membership kept changing while its learner was being deleted.');
      }
    }
    return removed;
  },
});
