import type { Issuer } from './issuers';

export const credentialsV2Context = 'https://www.w3.org/ns/credentials/v2';
export const openBadgesContext = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

/** An OB 3.0 Profile (issuer). */
export interface Profile {
  id: string;
  type: ['Profile'];
  name: string;
  url?: string;
  email?: string;
  image?: { id: string; type: 'Image' };
  parentOrg?: Omit<Profile, 'parentOrg'>;
}

/**
 * `did:web:<host>:issuers:<id>`: resolves (by did:web rules) to `https://<host>/issuers/<id>/did.json`, which is
 * exactly our route. A port in the host is percent-encoded, as the did:web spec requires.
 */
export const issuerDid = (baseUrl: string, issuerId: string): string => {
  const url = new URL(baseUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const path = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', host, ...path, 'issuers', issuerId].join(':');
};

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
