/**
 * Where the verifier finds other issuers' documents: the controller (DID or CID) documents that list their keys, and
 * the status lists their credentials point to. Merit's own issuers and lists never go through this port — they are
 * read from the store — and did:key needs no lookup at all. In AWS and locally the adapter fetches over HTTPS with a
 * short timeout and a cache (adapters/key-resolution/https.ts); tests inject fixed documents.
 */
export type JsonDocument = Record<string, unknown>;

export interface KeyResolver {
  /**
   * The controller document whose id is `id` (`did:web:…` or an `https://` URL, without fragment). `undefined` when
   * the document does not exist (404, unknown DID); throws {@link ResolutionError} when it cannot be fetched.
   */
  resolveController(id: string): Promise<JsonDocument | undefined>;
  /** A status document (BitstringStatusListCredential, 1EdTech revocation list) at an `https://` URL. */
  resolveStatus(url: string): Promise<JsonDocument | undefined>;
}

/** The document could not be fetched or read (timeout, network error, 5xx, not JSON, too large, not HTTPS). */
export class ResolutionError extends Error {
  override readonly name = 'ResolutionError';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`${url}: ${reason}`);
  }
}
