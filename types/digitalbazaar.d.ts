/**
 * Minimal ambient types for the Digital Bazaar JSON-LD / Data Integrity packages, which ship no declarations.
 * Only what Merit calls is declared, and narrowly: JSON values are `unknown`-based, never `any`.
 */

declare module '@digitalbazaar/credentials-context' {
  /** context URL → context document (credentials v1, v2, undefined-terms v2). */
  export const contexts: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

declare module '@digitalbazaar/multikey-context' {
  export const contexts: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

declare module 'ed25519-signature-2020-context' {
  export const contexts: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

declare module '@digitalbazaar/vc-bitstring-status-list-context' {
  export const contexts: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

declare module 'base58-universal' {
  export function encode(input: Uint8Array, maxline?: number): string;
  export function decode(input: string): Uint8Array;
}

/** What jsonld's documentLoader contract expects back. */
declare interface DigitalBazaarRemoteDocument {
  contextUrl: string | null;
  documentUrl: string;
  document: unknown;
}

declare type DigitalBazaarDocumentLoader = (url: string) => Promise<DigitalBazaarRemoteDocument>;

/** The signer shape Data Integrity suites call: `sign({data})` over the 64 bytes hash(proof) ‖ hash(document). */
declare interface DigitalBazaarSigner {
  id: string;
  algorithm: string;
  sign(options: { data: Uint8Array }): Promise<Uint8Array>;
}

declare interface DigitalBazaarCryptosuite {
  readonly name: string;
  readonly requiredAlgorithm: string | readonly string[];
  canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
  createVerifier(options: { verificationMethod: unknown }): Promise<unknown>;
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: DigitalBazaarCryptosuite;
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: {
      signer?: DigitalBazaarSigner;
      date?: string | Date | number | null;
      cryptosuite: DigitalBazaarCryptosuite;
      legacyContext?: boolean;
    });
    readonly verificationMethod: string | undefined;
    readonly cryptosuite: string;
  }
}

declare module '@digitalbazaar/vc' {
  import type { DataIntegrityProof } from '@digitalbazaar/data-integrity';

  export class CredentialIssuancePurpose {
    constructor(options?: { controller?: Record<string, unknown>; date?: string | Date; maxTimestampDelta?: number });
  }

  export interface VerifyResult {
    verified: boolean;
    error?: Error & { errors?: Error[] };
    results?: ReadonlyArray<{ verified: boolean; error?: Error; proof?: Record<string, unknown> }>;
    statusResult?: { verified: boolean };
  }

  export function issue(options: {
    credential: Record<string, unknown>;
    suite: DataIntegrityProof;
    documentLoader: DigitalBazaarDocumentLoader;
    purpose?: CredentialIssuancePurpose;
    now?: string | Date;
  }): Promise<Record<string, unknown>>;

  export function verifyCredential(options: {
    credential: Record<string, unknown>;
    suite: DataIntegrityProof | DataIntegrityProof[];
    documentLoader: DigitalBazaarDocumentLoader;
    purpose?: CredentialIssuancePurpose;
    checkStatus?: (options: Record<string, unknown>) => Promise<{ verified: boolean }>;
    now?: string | Date;
    controller?: Record<string, unknown>;
  }): Promise<VerifyResult>;
}

/** jsonld.js's internal helpers; only `clone` is used (functions/domain/proof/jsonld-context-cloning.ts). */
declare module 'jsonld/lib/util.js' {
  const util: { clone: (value: unknown) => unknown };
  export default util;
}

/** jsonld.js and the @digitalcredentials fork of the same release (tests compare their canonical N-Quads). */
declare module 'jsonld' {
  const jsonld: {
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
  };
  export default jsonld;
}
declare module '@digitalcredentials/jsonld' {
  const jsonld: {
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
  };
  export default jsonld;
}
