import type { MiddlewareObj } from '@middy/core';
import { AppError } from '#domain/errors';
import type { MembershipStore } from '#ports/store';
import { requestState } from '../request-state';
import type { HttpEvent, HttpResult } from '../types';

const claim = (claims: Record<string, unknown>, name: string): string | undefined => {
  const value = claims[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

/**
 * Who is calling, and may they call this route? API Gateway's JWT authorizer (or the local server, identically)
 * has already checked the token; the role comes from Merit's membership records, never from the token alone.
 */
export const authenticate = (memberships: MembershipStore): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: async (request) => {
    const state = requestState(request.event);
    const { access } = state.route;
    if (access === 'public') return;
    const claims = request.event.requestContext.authorizer?.jwt?.claims;
    const subject = claims ? claim(claims, 'sub') : undefined;
    if (!claims || !subject) throw new AppError('unauthorized', 'Sign in to use this route (a Bearer token is required).');
    const verifiedEmail = claims['email_verified'] === true || claims['email_verified'] === 'true' ? claim(claims, 'email') : undefined;
    const membership = await memberships.find(subject, verifiedEmail);
    if (!membership) throw new AppError('forbidden', 'You are signed in, but you have no membership in this district.');
    if (!access.includes(membership.role)) {
      throw new AppError('forbidden', `This route is not open to the ${membership.role} role.`);
    }
    state.principal = { subject, ...membership };
  },
});
