/**
 * Controller documents (DID documents, CID documents) as the verifier trusts them: did:key built locally, did:web
 * mapped to its HTTPS URL, and any fetched document reduced to a "trusted view" holding only the keys its own id
 * controls. Pure: no I/O.
 */
import { contextUrls } from '#domain/proof/context-urls';
import { rawFromPublicKeyMultibase } from '#domain/proof/multikey';
import { asArray, isObject, type JsonObject } from './types';

/** The DID document of an Ed25519 `did:key` (the only key type Merit verifies), or undefined for anything else. */
export const didKeyDocument = (did: string): JsonObject | undefined => {
  const match = /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!match) return undefined;
  const multibase = match[1]!;
  try {
    rawFromPublicKeyMultibase(multibase);
  } catch {
    return undefined;
  }
  const id = `${did}#${multibase}`;
  return {
    '@context': [contextUrls.didV1, contextUrls.multikeyV1],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: multibase }],
    assertionMethod: [id],
    authentication: [id],
  };
};

/**
 * did:web resolution: `did:web:host[%3Aport][:path…]` → `https://host[:port]/path…/did.json`, or
 * `https://host/.well-known/did.json` without a path. Undefined for a malformed did:web.
 */
export const didWebUrl = (did: string): string | undefined => {
  if (!did.startsWith('did:web:')) return undefined;
  const [host, ...path] = did.slice('did:web:'.length).split(':');
  if (!host) return undefined;
  try {
    const decodedHost = decodeURIComponent(host);
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(decodedHost)) return undefined;
    const segments = path.map((segment) => decodeURIComponent(segment));
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('/'))) return undefined;
    const url = new URL(
      `https://${decodedHost}/${segments.length ? `${segments.map(encodeURIComponent).join('/')}/did.json` : '.well-known/did.json'}`,
    );
    return url.href;
  } catch {
    return undefined;
  }
};

/** The document part of a URL or DID URL (before `#`). */
export const withoutFragment = (url: string): string => {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
};

const keyTypes = new Set(['Multikey', 'Ed25519VerificationKey2020', 'JsonWebKey', 'JsonWebKey2020']);

const absolute = (id: unknown, documentId: string): string | undefined =>
  typeof id !== 'string' || id === '' ? undefined : id.startsWith('#') ? `${documentId}${id}` : id;

/**
 * The trusted view of a controller document whose id must be `expectedId`: the verification methods that document
 * itself defines (embedded or under `verificationMethod`) **and** whose `controller` is that same id, and the
 * `assertionMethod` references to them. Only key material is kept (`publicKeyMultibase`, public `publicKeyJwk`), under
 * bundled contexts, so the JSON-LD libraries never see — let alone fetch — anything the document's author chose.
 * Undefined when the document is not the one asked for.
 */
export const controllerView = (document: unknown, expectedId: string): JsonObject | undefined => {
  if (!isObject(document) || document['id'] !== expectedId) return undefined;
  const methods = new Map<string, JsonObject>();
  const consider = (entry: unknown) => {
    if (!isObject(entry)) return;
    const id = absolute(entry['id'], expectedId);
    const controller = absolute(entry['controller'], expectedId);
    const type = entry['type'];
    if (!id || controller !== expectedId || withoutFragment(id) !== expectedId || typeof type !== 'string' || !keyTypes.has(type)) return;
    const method: JsonObject = { id, type, controller };
    if (typeof entry['publicKeyMultibase'] === 'string') method['publicKeyMultibase'] = entry['publicKeyMultibase'];
    if (isObject(entry['publicKeyJwk']) && !('d' in entry['publicKeyJwk']) && !('k' in entry['publicKeyJwk']))
      method['publicKeyJwk'] = entry['publicKeyJwk'];
    if (!('publicKeyMultibase' in method) && !('publicKeyJwk' in method)) return;
    if (entry['revoked'] !== undefined) return;
    methods.set(id, method);
  };
  for (const entry of asArray(document['verificationMethod'])) consider(entry);
  const assertion: string[] = [];
  for (const entry of asArray(document['assertionMethod'])) {
    if (isObject(entry)) consider(entry);
    const id = absolute(isObject(entry) ? entry['id'] : entry, expectedId);
    if (id && methods.has(id) && !assertion.includes(id)) assertion.push(id);
  }
  const contexts: string[] = [contextUrls.didV1, contextUrls.multikeyV1];
  if ([...methods.values()].some((method) => method['type'] === 'Ed25519VerificationKey2020'))
    contexts.push(contextUrls.ed25519Signature2020);
  return { '@context': contexts, id: expectedId, verificationMethod: [...methods.values()], assertionMethod: assertion };
};
