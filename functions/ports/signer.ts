/**
 * Signs bytes with an Ed25519 key. In AWS the key lives in KMS (ECC_NIST_EDWARDS25519, ED25519_SHA_512, RAW);
 * locally it is a key file. Both give plain (pure) Ed25519 signatures, so a credential signed on a laptop and one
 * signed in AWS verify the same way.
 */
export interface Signer {
  /** Stable id of the key; becomes the verification method's fragment (`<issuer did>#<keyId>`). */
  readonly keyId: string;
  /** 64-byte Ed25519 signature over `message`. */
  sign(message: Uint8Array): Promise<Uint8Array>;
  /** The raw 32-byte Ed25519 public key. */
  publicKey(): Promise<Uint8Array>;
}
