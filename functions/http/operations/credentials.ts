import { imageContentType } from '#features/credentials/baked-image';
import { issueCredential } from '#features/credentials/issue';
import { getCredential, getCredentialImage, listLearnerCredentials } from '#features/credentials/read';
import { revokeCredential } from '#features/credentials/revoke';
import { parseWith } from '../errors';
import { jsonBody, pageRequest, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import { credentialImageQuerySchema, issueCredentialSchema, revokeCredentialSchema } from '../schemas/credentials';
import type { Operations } from '../types';

export const credentialOperations: Operations = {
  issueCredential: async (context) =>
    created(await issueCredential(context.deps, principalOf(context), jsonBody(context, issueCredentialSchema))),
  getCredential: async (context) => {
    const format = parseWith(credentialImageQuerySchema, { format: context.query['format'] }).format;
    if (format) {
      const image = await getCredentialImage(context.deps, principalOf(context), pathId(context), format);
      return { statusCode: 200, body: image, headers: { 'content-type': imageContentType[format] } };
    }
    return ok(await getCredential(context.deps, principalOf(context), pathId(context)));
  },
  revokeCredential: async (context) =>
    ok(await revokeCredential(context.deps, principalOf(context), pathId(context), jsonBody(context, revokeCredentialSchema).reason)),
  listLearnerCredentials: async (context) =>
    ok(await listLearnerCredentials(context.deps, principalOf(context), pathId(context), pageRequest(context))),
};
