import { createIssuer, listIssuers, updateIssuer } from '#features/issuers/issuers';
import { jsonBody, pageRequest, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import { createIssuerSchema, updateIssuerSchema } from '../schemas/issuers';
import type { Operations } from '../types';

export const issuerOperations: Operations = {
  createIssuer: async (context) => created(await createIssuer(context.deps, jsonBody(context, createIssuerSchema))),
  updateIssuer: async (context) => ok(await updateIssuer(context.deps, pathId(context), jsonBody(context, updateIssuerSchema))),
  listIssuers: async (context) => ok(await listIssuers(context.deps, principalOf(context), pageRequest(context))),
};
