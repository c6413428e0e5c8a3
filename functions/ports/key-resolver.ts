/**
 * Where the verifier finds other issuers' documents: the controller (DID or CID) documents that list their keys, and
 * the status lists their credentials point to. Merit's own issuers and lists never go through this port — they are
 * read from the store — and did:key needs no lookup at all. In AWS and locally the adapter fetches over HTTPS with a
 * short timeout and a cache (adapters/key-resolution/https.ts); tests inject fixed documents.
 */
export type JsonDocument = Record<string, unknown>;

/**
 * What one verification may still spend on the network (DESIGN §2: at most 4 fetches, 3 s in all). Made by the
 * verifier per verification and passed to every lookup; answers from a cache cost nothing.
 */
export interface FetchBudget {
  fetchesLeft: number;
  /** Epoch milliseconds (wall clock: the network's time, not the verifier's clock) by which every fetch must end. */
  readonly deadline: number;
}

export interface KeyResolver {
  /**
   * The controller document whose id is `id` (`did:web:…` or an `https://` URL, without fragment). `undefined` when
   * the document does not exist (404, unknown DID); throws {@link ResolutionError} when it cannot be fetched.
   */
  resolveController(id: string, budget?: FetchBudget): Promise<JsonDocument | undefined>;
  /** A status document (BitstringStatusListCredential, 1EdTech revocation list) at an `https://` URL. */
  resolveStatus(url: string, budget?: FetchBudget): Promise<JsonDocument | undefined>;
}

/**
 * The document could not be fetched or read (timeout, refused address, network error, 5xx, not JSON, too large, not
 * HTTPS, budget spent). The reason is for logs and tests: the verifier's answer says only "could not be fetched".
 */
export class ResolutionError extends Error {
  override readonly name = 'ResolutionError';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`${url}: ${reason}`);
  }
}
