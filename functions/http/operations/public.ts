import { ok } from '../response';
import type { Operations } from '../types';
import { lazyOperations } from './lazy';

/**
 * The routes of the small public Lambda: no token, nothing about learners. Each group is imported on its first
 * request (./lazy.ts): a verifier's cold start evaluates the verifier, not the pages, baking or CLR code.
 */
export const publicOperations: Operations = {
  health: async () => ok({ status: 'ok' }),
  ...lazyOperations(['verify', 'verifyCredentialVcApi'], async () => (await import('./verify')).verifyOperations),
  ...lazyOperations(['getSharedCredential'], async () => (await import('./shared-credential')).sharedCredentialOperations),
  ...lazyOperations(['getPathwayPage'], async () => (await import('./pathways')).publicPathwayOperations),
  ...lazyOperations(
    ['openApi', 'getIssuerProfile', 'getIssuerDidDocument', 'getStatusList', 'getAchievementPage'],
    async () => (await import('./public-documents')).publicDocumentOperations,
  ),
};
