/**
 * A static JSON-LD document loader: every context Merit signs or verifies with is bundled (imported as data, so
 * esbuild inlines it into the Lambda), and nothing is ever fetched at run time. DID documents and other controller
 * documents come from a caller-supplied resolver (our own issuers from the store, others' from wherever the verifier
 * decides), never from this module.
 */
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as bitstringStatusListContexts } from '@digitalbazaar/vc-bitstring-status-list-context';
import { contexts as ed25519Signature2020Contexts } from 'ed25519-signature-2020-context';
import clrContext201 from '../ob3/clr-context-2.0.1.json' with { type: 'json' };
import obContext from '../ob3/context.json' with { type: 'json' };
import obContext301 from '../ob3/context-3.0.1.json' with { type: 'json' };
import obContext302 from '../ob3/context-3.0.2.json' with { type: 'json' };
import obContext303 from '../ob3/context-3.0.3.json' with { type: 'json' };
import obExtensions from '../ob3/extensions.json' with { type: 'json' };
import { contextUrls } from './context-urls';
import didV1 from './contexts/did-v1.json' with { type: 'json' };
import securityV1 from './contexts/security-v1.json' with { type: 'json' };
import securityV2 from './contexts/security-v2.json' with { type: 'json' };
// Every JSON-LD operation goes through this loader, so this is where jsonld.js gets its cheaper context copies.
import './jsonld-context-cloning';

export type JsonObject = Record<string, unknown>;

/** What jsonld, jsonld-signatures and @digitalbazaar/vc expect a document loader to answer. */
export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: JsonObject;
  /** `static`: never changes, so jsonld.js keeps the processed context across operations instead of redoing it. */
  tag?: 'static';
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/**
 * Finds a non-context document (a DID document, a controller document). Called with the URL **without** its
 * fragment; the loader dereferences fragments (`did:web:…#key-1`) itself. `undefined` means "not known".
 */
export type DocumentResolver = (url: string) => Promise<JsonObject | undefined>;

export { contextUrls };

/** Thrown for a URL that is neither bundled nor known to the resolver. Names the URL; never falls back to a fetch. */
export class DocumentNotFoundError extends Error {
  override readonly name = 'DocumentNotFoundError';
  constructor(
    readonly url: string,
    reason?: string,
  ) {
    super(
      reason ??
        `Document "${url}" is not one of the bundled JSON-LD contexts and no resolver knows it; ` +
          'Merit never fetches documents at run time.',
    );
  }
}

const fromPackage = (source: ReadonlyMap<string, Readonly<JsonObject>>, url: string): JsonObject => {
  const document = source.get(url);
  if (!document) throw new Error(`The installed context package lacks "${url}"`);
  return document as JsonObject;
};

const bundled: ReadonlyMap<string, JsonObject> = new Map<string, JsonObject>([
  [contextUrls.credentialsV1, fromPackage(credentialsContexts, contextUrls.credentialsV1)],
  [contextUrls.credentialsV2, fromPackage(credentialsContexts, contextUrls.credentialsV2)],
  ...[...credentialsContexts].map(([url, document]) => [url, document as JsonObject] as const),
  [contextUrls.openBadges, obContext],
  [contextUrls.openBadges301, obContext301],
  [contextUrls.openBadges302, obContext302],
  [contextUrls.openBadges303, obContext303],
  [contextUrls.openBadgesExtensions, obExtensions],
  [contextUrls.clr201, clrContext201],
  [contextUrls.dataIntegrityV1, fromPackage(dataIntegrityContexts, contextUrls.dataIntegrityV1)],
  [contextUrls.dataIntegrityV2, fromPackage(dataIntegrityContexts, contextUrls.dataIntegrityV2)],
  [contextUrls.multikeyV1, fromPackage(multikeyContexts, contextUrls.multikeyV1)],
  [contextUrls.ed25519Signature2020, fromPackage(ed25519Signature2020Contexts, contextUrls.ed25519Signature2020)],
  [contextUrls.bitstringStatusList, fromPackage(bitstringStatusListContexts, contextUrls.bitstringStatusList)],
  [contextUrls.didV1, didV1],
  [contextUrls.securityV1, securityV1],
  [contextUrls.securityV2, securityV2],
]);

/** The URLs this loader answers without a resolver. */
export const bundledContextUrls = (): string[] => [...bundled.keys()];

/** Relationship arrays of DID / controller documents in which a fragment's node may be embedded. */
const nodeHolders = [
  'verificationMethod',
  'assertionMethod',
  'authentication',
  'capabilityInvocation',
  'capabilityDelegation',
  'keyAgreement',
  'publicKey',
] as const;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The node of `document` whose id is `url` (absolute, or relative `#fragment`), carrying the document's `@context`
 * as did-io does, so that suites (Ed25519Multikey.from) see the Multikey context.
 */
const nodeIn = (document: JsonObject, url: string): JsonObject | undefined => {
  const fragment = url.slice(url.indexOf('#'));
  for (const holder of nodeHolders) {
    const entries = document[holder];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (isObject(entry) && (entry['id'] === url || entry['id'] === fragment)) {
        return { '@context': document['@context'], ...entry, id: url };
      }
    }
  }
  return undefined;
};

const answer = (url: string, document: JsonObject): RemoteDocument => ({ contextUrl: null, documentUrl: url, document });

const bundledAnswers: ReadonlyMap<string, RemoteDocument> = new Map(
  [...bundled].map(([url, document]) => [url, { ...answer(url, document), tag: 'static' as const }]),
);

/**
 * A documentLoader for jsonld / jsonld-signatures / @digitalbazaar/vc. Bundled contexts first; then `resolve`
 * (if given) for DID and controller documents, with fragment dereferencing; anything else fails with a
 * {@link DocumentNotFoundError} naming the URL.
 */
export const createDocumentLoader = (options: { resolve?: DocumentResolver } = {}): DocumentLoader => {
  const { resolve } = options;
  return async (url: string): Promise<RemoteDocument> => {
    const context = bundledAnswers.get(url);
    if (context) return context;
    if (!resolve) throw new DocumentNotFoundError(url);
    const hash = url.indexOf('#');
    const base = hash === -1 ? url : url.slice(0, hash);
    const document = await resolve(base);
    if (!document) throw new DocumentNotFoundError(url);
    if (hash === -1) return answer(url, document);
    const node = nodeIn(document, url);
    if (!node) throw new DocumentNotFoundError(url, `Document "${base}" has no node "${url}".`);
    return answer(url, node);
  };
};

/** A resolver over a fixed set of documents, matched by their `id` (handy for tests and for our own DID docs). */
export const resolverFor = (documents: readonly JsonObject[]): DocumentResolver => {
  const byId = new Map<string, JsonObject>();
  for (const document of documents) {
    if (typeof document['id'] === 'string') byId.set(document['id'], document);
  }
  return async (url) => byId.get(url);
};

/** The loader with bundled contexts only. */
export const staticDocumentLoader: DocumentLoader = createDocumentLoader();
