import { issueCredentialSchema, revokeCredentialSchema } from '#domain/credential-requests';
import { getCredential, issueCredential, listLearnerCredentials, revokeCredential } from '#services/credentials';
import { jsonBody, pageRequest, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import type { Operations } from '../types';

export const credentialOperations: Operations = {
  issueCredential: async (context) =>
    created(await issueCredential(context.deps, principalOf(context), jsonBody(context, issueCredentialSchema))),
  getCredential: async (context) => ok(await getCredential(context.deps, principalOf(context), pathId(context))),
  revokeCredential: async (context) =>
    ok(await revokeCredential(context.deps, principalOf(context), pathId(context), jsonBody(context, revokeCredentialSchema).reason)),
  listLearnerCredentials: async (context) =>
    ok(await listLearnerCredentials(context.deps, principalOf(context), pathId(context), pageRequest(context))),
};
