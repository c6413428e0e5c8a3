/**
 * Ambient types for the Digital Bazaar suites the verifier uses and types/digitalbazaar.d.ts does not declare.
 * Narrow on purpose: only what functions/domain/verify calls (and the tests that sign fixtures with them).
 */
declare module '@digitalbazaar/eddsa-2022-cryptosuite' {
  export const cryptosuite: DigitalBazaarCryptosuite;
}

declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(options?: { signer?: DigitalBazaarSigner; date?: string | Date });
  }
}

declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519MultikeyKeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    signer(): DigitalBazaarSigner;
    export(options: { publicKey?: boolean; includeContext?: boolean; raw?: boolean }): Promise<Record<string, unknown>>;
  }
  export function generate(options?: { id?: string; controller?: string }): Promise<Ed25519MultikeyKeyPair>;
  export function from(key: Record<string, unknown>): Promise<Ed25519MultikeyKeyPair>;
}
