import { createIssuerSchema } from '#domain/issuers';
import { createIssuer, listIssuers } from '#services/issuers';
import { jsonBody, pageRequest, principalOf } from '../inputs';
import { created, ok } from '../response';
import type { Operations } from '../types';

export const issuerOperations: Operations = {
  createIssuer: async (context) => created(await createIssuer(context.deps, jsonBody(context, createIssuerSchema))),
  listIssuers: async (context) => ok(await listIssuers(context.deps, principalOf(context), pageRequest(context))),
};
