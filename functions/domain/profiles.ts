import { credentialsV2ContextUrl, openBadgesContextUrl, type Profile } from './credential/types';
import type { Issuer } from './issuers';
import { didWebForIssuer } from './proof/multikey';

export const credentialsV2Context = credentialsV2ContextUrl;
export const openBadgesContext = openBadgesContextUrl;

/** `did:web:<host>:issuers:<id>`, resolving to our `/issuers/<id>/did.json` route. */
export const issuerDid = didWebForIssuer;

const profileOf = (baseUrl: string, issuer: Issuer): Omit<Profile, 'parentOrg'> => ({
  id: issuerDid(baseUrl, issuer.id),
  type: ['Profile'],
  name: issuer.name,
  ...(issuer.url ? { url: issuer.url } : {}),
  ...(issuer.email ? { email: issuer.email } : {}),
  ...(issuer.image ? { image: { id: issuer.image, type: 'Image' as const } } : {}),
});

export const issuerProfile = (baseUrl: string, issuer: Issuer, parent?: Issuer): Profile => ({
  ...profileOf(baseUrl, issuer),
  ...(parent ? { parentOrg: profileOf(baseUrl, parent) } : {}),
});

export const achievementUrl = (baseUrl: string, achievementId: string): string => `${baseUrl}/achievements/${achievementId}`;
