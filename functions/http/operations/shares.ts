import { consentSchema } from '#domain/learners';
import { recordConsent } from '#services/consent';
import { createShare, createShareSchema, withdrawShare } from '#services/shares';
import { jsonBody, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import type { Operations } from '../types';

/** Consent and sharing: the learner's and their family's control over what becomes public. */
export const sharingOperations: Operations = {
  recordConsent: async (context) =>
    ok(await recordConsent(context.deps, principalOf(context), pathId(context), jsonBody(context, consentSchema))),
  createShare: async (context) =>
    created(await createShare(context.deps, principalOf(context), pathId(context), context.json === undefined ? { expiresInDays: 30 } : jsonBody(context, createShareSchema))),
  withdrawShare: async (context) => {
    await withdrawShare(context.deps, principalOf(context), pathId(context), pathId(context, 'token'));
    return { statusCode: 204 };
  },
};
