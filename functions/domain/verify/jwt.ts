/**
 * VC-JWT: reading the credential out of a compact JWS (VC-JWT 1.1 `vc` claim, or a VC-JOSE payload that is the
 * credential itself) and checking its signature with a key its issuer's own document lists under `assertionMethod`.
 * Only RS256 and ES256 (DESIGN §2); `none` and HMAC algorithms prove nothing about an issuer and are refused.
 */
import { calculateJwkThumbprint, compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { asArray, isObject, type JsonObject, quote } from './types';

export const jwtAlgorithms = ['RS256', 'ES256'] as const;

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export const looksLikeJwt = (text: string): boolean => compactJws.test(text.trim());

export interface DecodedJwt {
  jwt: string;
  header: JsonObject;
  payload: JsonObject;
  /** The credential the JWT carries, completed from the registered claims (iss, jti, nbf, exp) where it lacks them. */
  credential: JsonObject;
}

const isoFromSeconds = (seconds: unknown): string | undefined =>
  typeof seconds === 'number' && Number.isFinite(seconds) && Math.abs(seconds) < 1e11
    ? new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
    : undefined;

/** Decodes (without verifying) a compact JWT carrying a credential; a message for a person when it is not one. */
export const decodeCredentialJwt = (text: string): DecodedJwt | { error: string } => {
  const jwt = text.trim();
  if (!looksLikeJwt(jwt)) return { error: 'The text is not a JSON Web Token (three base64url parts separated by dots).' };
  let header: JsonObject;
  let payload: JsonObject;
  try {
    header = decodeProtectedHeader(jwt) as JsonObject;
    payload = decodeJwt(jwt) as JsonObject;
  } catch {
    return { error: 'The JSON Web Token cannot be read: its header or payload is not base64url-encoded JSON.' };
  }
  const vc = payload['vc'];
  if (isObject(vc)) {
    // VC-JWT 1.1: the registered claims stand for the credential's own properties (and win if both are present).
    const credential: JsonObject = { ...vc };
    if (typeof payload['iss'] === 'string' && credential['issuer'] === undefined) credential['issuer'] = payload['iss'];
    if (typeof payload['jti'] === 'string' && credential['id'] === undefined) credential['id'] = payload['jti'];
    const v1 = asArray(credential['@context']).includes('https://www.w3.org/2018/credentials/v1');
    const from = isoFromSeconds(payload['nbf']);
    const until = isoFromSeconds(payload['exp']);
    if (from && credential[v1 ? 'issuanceDate' : 'validFrom'] === undefined) credential[v1 ? 'issuanceDate' : 'validFrom'] = from;
    if (until && credential[v1 ? 'expirationDate' : 'validUntil'] === undefined) credential[v1 ? 'expirationDate' : 'validUntil'] = until;
    return { jwt, header, payload, credential };
  }
  if (payload['@context'] !== undefined || payload['credentialSubject'] !== undefined) return { jwt, header, payload, credential: payload };
  return { error: 'The JSON Web Token carries no credential (no "vc" claim, and its payload is not a credential).' };
};

/** A key of the issuer's (trusted, normalised) document that may sign JWTs: listed under assertionMethod, with a JWK. */
interface JwkMethod {
  id: string;
  publicKeyJwk: JWK;
}

const assertionJwks = (controller: JsonObject): JwkMethod[] => {
  const allowed = new Set(asArray(controller['assertionMethod']).filter((id): id is string => typeof id === 'string'));
  return asArray(controller['verificationMethod']).flatMap((method) =>
    isObject(method) && typeof method['id'] === 'string' && allowed.has(method['id']) && isObject(method['publicKeyJwk'])
      ? [{ id: method['id'], publicKeyJwk: method['publicKeyJwk'] as JWK }]
      : [],
  );
};

const privateJwkMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/**
 * Checks the JWT's signature against the issuer's controller document. `controller` is the trusted view of the
 * document (see controllerView) whose id is `issuerId`. Resolves to `undefined` when valid, or the reason it is not.
 */
export const jwtSignatureProblem = async (decoded: DecodedJwt, issuerId: string, controller: JsonObject): Promise<string | undefined> => {
  const { header, payload } = decoded;
  const alg = header['alg'];
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none')
    return 'The JSON Web Token is not signed (algorithm "none"): anyone could have written it.';
  if (/^HS/i.test(alg)) return `The JSON Web Token is signed with a shared secret (${quote(alg)}), which cannot prove who issued it.`;
  if (!(jwtAlgorithms as readonly string[]).includes(alg))
    return `The JSON Web Token uses the algorithm ${quote(alg)}; Merit accepts RS256 and ES256.`;
  if (header['crit'] !== undefined) return 'The JSON Web Token has critical header parameters Merit does not understand.';
  if (typeof payload['iss'] === 'string' && payload['iss'] !== issuerId) {
    return `The token's issuer (${quote(payload['iss'])}) is not the credential's issuer (${quote(issuerId)}).`;
  }
  const methods = assertionJwks(controller);
  let method: JwkMethod | undefined;
  const kid = header['kid'];
  if (typeof kid === 'string' && kid !== '') {
    const absolute = kid.startsWith('#') ? `${issuerId}${kid}` : kid;
    method = methods.find((candidate) => candidate.id === absolute);
    if (!method) return `The key ${quote(kid)} that signed the token is not one of the issuer's assertion keys in its own document.`;
  } else if (isObject(header['jwk'])) {
    const embedded = header['jwk'] as JWK;
    if (privateJwkMembers.some((member) => member in embedded)) return 'The token embeds a private key; it is refused.';
    let thumbprint: string;
    try {
      thumbprint = await calculateJwkThumbprint(embedded);
    } catch {
      return 'The key embedded in the token is not a valid JSON Web Key.';
    }
    for (const candidate of methods) {
      try {
        if ((await calculateJwkThumbprint(candidate.publicKeyJwk)) === thumbprint) method = candidate;
      } catch {
        // A malformed key in the issuer's document simply does not match.
      }
    }
    if (!method) return "The key embedded in the token is not listed in the issuer's own document, so it proves nothing.";
  } else {
    return 'The token names no key (no "kid" or "jwk" header), so its issuer cannot be checked.';
  }
  try {
    const key = await importJWK(method.publicKeyJwk, alg);
    await compactVerify(decoded.jwt, key, { algorithms: [alg] });
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
      return "The token's signature does not match its content: it was changed after signing.";
    return `The token's signature cannot be checked with the issuer's key ${quote(method.id)} (${quote((error as Error).message)}).`;
  }
};
