import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Membership } from '#domain/access';
import type { MembershipStore } from '#ports/store';
import { learnerPartition, membershipEmailPk, membershipKey, membershipLinkKey, membershipLinkPrefix, membershipSubjectPk } from './keys';
import type { Table } from './table';

/*
 * The index of memberships by learner: one item per (learner, membership) in the learner's partition, so a deletion
 * finds every membership that links someone to the learner by Query, and the learner's partition deletion removes
 * the index items with the rest.
 */

/** Roles that exist only through the learners they link to: with none left, the membership goes. */
const familyRoles: ReadonlySet<Membership['role']> = new Set(['learner', 'guardian']);

/** Attempts at a read-modify-write of one membership before giving up (another writer kept changing it). */
const unlinkAttempts = 5;

export const dynamoMemberships = (table: Table): MembershipStore => ({
  async find(subject, email) {
    const direct = await table.get<Membership>(membershipKey(membershipSubjectPk(subject)));
    if (direct) return direct;
    return email ? table.get<Membership>(membershipKey(membershipEmailPk(email))) : undefined;
  },

  async put(key, membership) {
    const pk = key.subject ? membershipSubjectPk(key.subject) : key.email ? membershipEmailPk(key.email) : undefined;
    if (!pk) throw new Error('A membership needs a subject or an e-mail.');
    const previous = await table.get<Membership>(membershipKey(pk));
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...membershipKey(pk), entity: 'membership', ...membership },
      }),
    );
    const unlinked = (previous?.learnerIds ?? []).filter((id) => !membership.learnerIds.includes(id));
    await table.writeAll([
      ...membership.learnerIds.map((learnerId) => ({
        put: { ...membershipLinkKey(learnerId, pk), entity: 'membershipLink', memberPk: pk },
      })),
      ...unlinked.map((learnerId) => ({ delete: membershipLinkKey(learnerId, pk) })),
    ]);
  },

  async unlinkLearner(learnerId) {
    let removed = 0;
    for await (const { memberPk: pk } of table.queryAll<{ memberPk: string }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': learnerPartition(learnerId), ':member': membershipLinkPrefix },
      ProjectionExpression: 'memberPk',
      ConsistentRead: true,
    })) {
      for (let attempt = 1; ; attempt++) {
        const membership = await table.get<Membership>(membershipKey(pk));
        if (!membership?.learnerIds.includes(learnerId)) break; // unlinked since (or by an earlier, interrupted run)
        const learnerIds = membership.learnerIds.filter((id) => id !== learnerId);
        const seen = { ExpressionAttributeValues: { ':seen': membership.learnerIds }, ConditionExpression: 'learnerIds = :seen' };
        // Conditional on the links read: a concurrent change of this membership is read again, never overwritten.
        const written =
          learnerIds.length === 0 && familyRoles.has(membership.role)
            ? await table.sendIf(new DeleteCommand({ TableName: table.name, Key: membershipKey(pk), ...seen }))
            : await table.sendIf(
                new PutCommand({
                  TableName: table.name,
                  Item: { ...membershipKey(pk), entity: 'membership', ...membership, learnerIds },
                  ...seen,
                }),
              );
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
