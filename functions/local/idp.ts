import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

/**
 * The local stand-in for the district's OIDC IdP: it signs tokens, publishes its JWKS, and checks tokens
 * exactly as API Gateway's JWT authorizer does (signature, issuer, audience, expiry).
 */
export interface LocalIdp {
  issuer: string;
  audience: string;
  jwks: JSONWebKeySet;
  /** The private signing key, for the local OpenID provider (./oidc/provider.ts) to sign with the same key. */
  signingJwk: JWK;
  issueToken(claims: { sub: string; email?: string }): Promise<string>;
  /** The verified claims, or undefined for a missing, forged, expired or foreign token. */
  verify(token: string): Promise<JWTPayload | undefined>;
}

const algorithm = 'ES256';

const loadOrCreateKey = async (file: string): Promise<JWK> => {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `local-${Date.now().toString(36)}`, alg: algorithm };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
};

export const createLocalIdp = async (options: { keyFile: string; issuer: string; audience: string }): Promise<LocalIdp> => {
  const privateJwk = await loadOrCreateKey(options.keyFile);
  const { d: _private, ...publicJwk } = privateJwk;
  const jwks: JSONWebKeySet = { keys: [publicJwk] };
  const signingKey = await importJWK(privateJwk, algorithm);
  const keySet = createLocalJWKSet(jwks);
  return {
    issuer: options.issuer,
    audience: options.audience,
    jwks,
    signingJwk: privateJwk,
    issueToken: (claims) =>
      new SignJWT({ ...(claims.email ? { email: claims.email, email_verified: true } : {}) })
        .setProtectedHeader({ alg: algorithm, kid: publicJwk.kid ?? 'local' })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(claims.sub)
        .setIssuedAt()
        .setExpirationTime('8h')
        .sign(signingKey),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keySet, { issuer: options.issuer, audience: options.audience, algorithms: [algorithm] });
        return payload;
      } catch {
        return undefined;
      }
    },
  };
};
