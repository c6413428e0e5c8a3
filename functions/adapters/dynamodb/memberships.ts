import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Membership } from '#domain/access';
import type { MembershipStore } from '#ports/store';
import type { Table } from './table';

const bySubject = (subject: string) => `MEMBER#SUB#${subject}`;
const byEmail = (email: string) => `MEMBER#EMAIL#${email.toLowerCase()}`;

export const dynamoMemberships = (table: Table): MembershipStore => ({
  async find(subject, email) {
    const direct = await table.get<Membership>(bySubject(subject), 'MEMBER');
    if (direct) return direct;
    return email ? table.get<Membership>(byEmail(email), 'MEMBER') : undefined;
  },

  async put(key, membership) {
    const pk = key.subject ? bySubject(key.subject) : key.email ? byEmail(key.email) : undefined;
    if (!pk) throw new Error('A membership needs a subject or an e-mail.');
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { pk, sk: 'MEMBER', entity: 'membership', ...membership },
      }),
    );
  },
});
