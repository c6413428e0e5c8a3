/**
 * Records a membership straight in the table — how a district creates its first admin after `cdk deploy`
 * (later members are added through the API). Uses the caller's AWS credentials.
 *
 *   npx tsx scripts/add-member.ts --table <TableName> --email it.lead@district.org --role admin
 *   npx tsx scripts/add-member.ts --table <TableName> --subject <IdP sub> --role issuer --schools lincoln,hs
 */
import { parseArgs } from 'node:util';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { createDynamoStore } from '#adapters/dynamodb/store';
import { type Role, roles } from '#domain/access';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    email: { type: 'string' },
    subject: { type: 'string' },
    role: { type: 'string' },
    schools: { type: 'string', default: '' },
    endpoint: { type: 'string' },
  },
});

const role = values.role as Role | undefined;
if (!values.table || !role || !roles.includes(role) || !(values.email || values.subject)) {
  console.error(`usage: add-member --table <name> (--email <e-mail> | --subject <sub>) --role ${roles.join('|')} [--schools a,b]`);
  process.exit(2);
}

const store = createDynamoStore(
  toDocumentClient(createDynamoClient(values.endpoint ? { endpoint: values.endpoint, region: 'local' } : {})),
  values.table,
);
await store.memberships.put(
  { ...(values.subject ? { subject: values.subject } : {}), ...(values.email ? { email: values.email } : {}) },
  { role, schoolIds: values.schools.split(',').filter(Boolean), learnerIds: [] },
);
console.log(`Recorded ${role} membership for ${values.subject ?? values.email}.`);
