import { join } from 'node:path';
import type { Dependencies } from '#config/dependencies';
import { buildWebApp } from '../../web/build';
import { demoPeople } from './demo-people';
import type { LocalIdp } from './idp';
import type { LocalPerson } from './oidc/person';
import { appClientId, createLocalOpenIdProvider } from './oidc/provider';
import { createWebAppMount } from './web-app';

/**
 * The people's side of the local stack: the app, built into the state directory and served at `/app/`, and the
 * local OpenID provider it signs in with at `/local` (the issuer the API's JWT check already trusts).
 */
export const startFrontDoor = async (options: {
  stateDir: string;
  apiUrl: string;
  idp: LocalIdp;
  deps: Dependencies;
  s3Endpoint: string;
}) => {
  const appDirectory = join(options.stateDir, 'app');
  buildWebApp(appDirectory);
  /** Anyone `POST /local/token` recorded in this process, offered on the pick form after the demo people. */
  const recorded = new Map<string, LocalPerson>();
  const appUrl = `${options.apiUrl}/app/`;
  const provider = createLocalOpenIdProvider({
    issuer: options.idp.issuer,
    audience: options.idp.audience,
    signingJwk: options.idp.signingJwk,
    appUrl,
    people: async () => [...demoPeople.map(({ subject, label }) => ({ subject, label })), ...recorded.values()],
    async claimsOf(subject) {
      const membership = subject ? await options.deps.store.memberships.find(subject, undefined) : undefined;
      return membership && { merit_role: membership.role, merit_learner_ids: membership.learnerIds };
    },
  });
  const app = createWebAppMount({
    directory: appDirectory,
    config: { issuer: options.idp.issuer, clientId: appClientId },
    connectOrigins: [new URL(options.s3Endpoint).origin],
  });
  return {
    appUrl,
    mounts: [provider, app],
    record: (subject: string, role: string) => void recorded.set(subject, { subject, label: `${subject} (${role})` }),
    /** One sign-in link per demo person: the app passes the hint to the provider, which signs them in without a form. */
    signInLinks: demoPeople.map((person) => ({ label: person.label, url: `${appUrl}?login_hint=${encodeURIComponent(person.subject)}` })),
  };
};
