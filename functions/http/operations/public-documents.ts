import { achievementJsonLd } from '#domain/achievement-document';
import { credentialsV2Context, openBadgesContext } from '#domain/profiles';
import { publicAchievement } from '#features/achievements/public-achievement';
import { getIssuerProfile, issuerDidDocument, requireIssuer } from '#features/issuers/issuers';
import { currentStatusListCredential } from '#features/status-lists/status-lists';
import { pathId, wantsJson } from '../inputs';
import { openApiDocument } from '../openapi';
import { achievementPage } from '../pages/achievement-page';
import { htmlHeaders } from '../pages/html';
import { ok } from '../response';
import type { Operations } from '../types';

/** Public documents change rarely and hold nothing about learners: let verifiers and browsers cache them briefly. */
const publicCache = { 'cache-control': 'public, max-age=300' };

/** The public function's documents: this API's description, issuer profiles and DIDs, status lists, criteria pages. */
export const publicDocumentOperations: Operations = {
  openApi: async (context) => ok(openApiDocument(await context.deps.publicBaseUrl())),

  getIssuerProfile: async (context) => {
    const profile = await getIssuerProfile(context.deps, pathId(context));
    return {
      statusCode: 200,
      body: { '@context': [credentialsV2Context, openBadgesContext], ...profile },
      headers: { ...publicCache, 'content-type': 'application/ld+json' },
    };
  },

  getIssuerDidDocument: async (context) => {
    const issuer = await requireIssuer(context.deps, pathId(context));
    return {
      statusCode: 200,
      body: await issuerDidDocument(context.deps, issuer),
      headers: { ...publicCache, 'content-type': 'application/did+json' },
    };
  },

  getStatusList: async (context) => ({
    statusCode: 200,
    body: await currentStatusListCredential(context.deps, pathId(context, 'listId')),
    // Short: a revocation must reach verifiers that cache quickly.
    headers: { 'cache-control': 'public, max-age=60', 'content-type': 'application/vc+ld+json' },
  }),

  getAchievementPage: async (context) => {
    const { document } = await publicAchievement(context.deps, pathId(context));
    if (wantsJson(context)) {
      return { statusCode: 200, body: achievementJsonLd(document), headers: { ...publicCache, 'content-type': 'application/ld+json' } };
    }
    return {
      statusCode: 200,
      body: achievementPage(document, await context.deps.publicBaseUrl()),
      headers: { ...publicCache, ...htmlHeaders },
    };
  },
};
