import { recordConsent } from '#features/consent/record-consent';
import { createClrShare, createShare } from '#features/sharing/create-link';
import { withdrawClrShare, withdrawShare } from '#features/sharing/withdraw-link';
import { jsonBody, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import { consentSchema } from '../schemas/learners';
import { createClrShareSchema, createShareSchema } from '../schemas/shares';
import type { Operations } from '../types';

/** Consent and sharing: the learner's and their family's control over what becomes public. */
export const sharingOperations: Operations = {
  recordConsent: async (context) =>
    ok(await recordConsent(context.deps, principalOf(context), pathId(context), jsonBody(context, consentSchema))),
  createShare: async (context) =>
    created(
      await createShare(
        context.deps,
        principalOf(context),
        pathId(context),
        context.json === undefined ? { expiresInDays: 30 } : jsonBody(context, createShareSchema),
      ),
    ),
  createClrShare: async (context) =>
    created(
      await createClrShare(
        context.deps,
        principalOf(context),
        pathId(context),
        context.json === undefined ? { expiresInDays: 30 } : jsonBody(context, createClrShareSchema),
      ),
    ),
  withdrawClrShare: async (context) => {
    await withdrawClrShare(context.deps, principalOf(context), pathId(context), pathId(context, 'token'));
    return { statusCode: 204 };
  },
  withdrawShare: async (context) => {
    await withdrawShare(context.deps, principalOf(context), pathId(context), pathId(context, 'token'));
    return { statusCode: 204 };
  },
};
