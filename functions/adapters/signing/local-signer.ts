/**
 * The local Signer: an Ed25519 key held by node:crypto, persisted as a private JWK in a folder the caller chooses
 * (git-ignored state of `npm start`), created on first use. Pure Ed25519, like KMS ED25519_SHA_512 RAW, so a
 * credential signed on a laptop verifies exactly like one signed in AWS.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject, sign } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publicKeyMultibaseFromRaw } from '#domain/proof/multikey';
import type { Signer } from '#ports/signer';

/** PKCS#8 DER prefix of an Ed25519 private key (RFC 8410); the 32-byte seed follows. */
const pkcs8Ed25519Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

export const localKeyFileName = 'ed25519-signing-key.jwk.json';

export type LocalSignerOptions = {
  /** The verification method fragment; defaults to the key's `publicKeyMultibase` (`z6Mk…`), as did:key does. */
  keyId?: string;
};

const rawPublicKeyOf = (privateKey: KeyObject): Uint8Array => {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('Not an Ed25519 key.');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
};

export class LocalSigner implements Signer {
  readonly keyId: string;
  readonly #privateKey: KeyObject;
  readonly #publicKey: Uint8Array;

  private constructor(privateKey: KeyObject, options: LocalSignerOptions = {}) {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
      throw new TypeError('LocalSigner needs an Ed25519 private key.');
    }
    this.#privateKey = privateKey;
    this.#publicKey = rawPublicKeyOf(privateKey);
    this.keyId = options.keyId ?? publicKeyMultibaseFromRaw(this.#publicKey);
  }

  /** A new random key, in memory only (tests, throw-away stacks). */
  static generate(options?: LocalSignerOptions): LocalSigner {
    return new LocalSigner(generateKeyPairSync('ed25519').privateKey, options);
  }

  /** The key whose 32-byte private seed is given (RFC 8032 secret key); e.g. a test vector's. */
  static fromSeed(seed: Uint8Array, options?: LocalSignerOptions): LocalSigner {
    if (seed.length !== 32) throw new TypeError(`An Ed25519 seed has 32 bytes, not ${seed.length}.`);
    const der = Buffer.concat([pkcs8Ed25519Prefix, seed]);
    return new LocalSigner(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), options);
  }

  /** An existing node:crypto Ed25519 private key. */
  static fromKeyPair(keyPair: { privateKey: KeyObject }, options?: LocalSignerOptions): LocalSigner {
    return new LocalSigner(keyPair.privateKey, options);
  }

  /**
   * The key stored in `directory` (as `ed25519-signing-key.jwk.json`, mode 0600), created there on first use. Two
   * processes starting at once agree on one key: the file is created exclusively and the loser reads the winner's.
   */
  static async fromDirectory(directory: string, options?: LocalSignerOptions): Promise<LocalSigner> {
    const file = join(directory, localKeyFileName);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const generated = generateKeyPairSync('ed25519').privateKey;
    try {
      await writeFile(file, `${JSON.stringify(generated.export({ format: 'jwk' }), null, 2)}\n`, { flag: 'wx', mode: 0o600 });
      return new LocalSigner(generated, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const jwk = JSON.parse(await readFile(file, 'utf8')) as JsonWebKey;
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') {
      throw new Error(`${file} does not hold an Ed25519 private JWK.`);
    }
    return new LocalSigner(createPrivateKey({ key: jwk, format: 'jwk' }), options);
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(sign(null, message, this.#privateKey));
  }

  async publicKey(): Promise<Uint8Array> {
    return this.#publicKey.slice();
  }
}
