import { learnerClr } from '#features/clr/clr';
import { createPathway, updatePathway } from '#features/pathways/manage';
import { learnerPathways } from '#features/pathways/progress';
import { publicPathway } from '#features/pathways/public';
import { parseWith } from '../errors';
import { jsonBody, pathId, principalOf, wantsJson } from '../inputs';
import { htmlHeaders } from '../pages/html';
import { pathwayPage } from '../pages/pathway-page';
import { created, ok } from '../response';
import { clrQuerySchema, createPathwaySchema, updatePathwaySchema } from '../schemas/pathways';
import type { Operations } from '../types';

/** Staff and learner routes of pathways and the CLR (api Lambda). */
export const pathwayOperations: Operations = {
  createPathway: async (context) =>
    created(await createPathway(context.deps, principalOf(context), jsonBody(context, createPathwaySchema))),
  updatePathway: async (context) =>
    ok(await updatePathway(context.deps, principalOf(context), pathId(context), jsonBody(context, updatePathwaySchema))),
  getLearnerPathways: async (context) => ok(await learnerPathways(context.deps, principalOf(context), pathId(context))),
  getLearnerClr: async (context) => {
    const { credentialIds } = parseWith(clrQuerySchema, { credentialIds: context.query['credentialIds'] });
    const clr = await learnerClr(
      context.deps,
      principalOf(context),
      pathId(context),
      credentialIds && credentialIds.length > 0 ? credentialIds : undefined,
    );
    return { statusCode: 200, body: clr, headers: { 'content-type': 'application/vc+ld+json' } };
  },
};

/** The public pathway page (public Lambda): HTML for people, JSON for `Accept: application/json`. */
export const publicPathwayOperations: Operations = {
  getPathwayPage: async (context) => {
    const pathway = await publicPathway(context.deps, pathId(context));
    const cache = { 'cache-control': 'public, max-age=300' };
    if (wantsJson(context))
      return { statusCode: 200, body: pathway, headers: { ...cache, 'content-type': 'application/json; charset=utf-8' } };
    return { statusCode: 200, body: pathwayPage(pathway), headers: { ...cache, ...htmlHeaders } };
  },
};
