/**
 * The AWS Signer: an Ed25519 key in KMS (key spec ECC_NIST_EDWARDS25519). Signs with `ED25519_SHA_512` and
 * `MessageType: RAW` — pure Ed25519 (RFC 8032) over the message, which is what eddsa-rdfc-2022 needs. Never
 * `ED25519_PH_SHA_512` (pre-hashed Ed25519ph: a different signature no Data Integrity verifier accepts).
 * The eddsa-rdfc-2022 message is 64 bytes, far below KMS's 4096-byte RAW limit.
 */
import { createHash } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { rawFromSpki } from '#domain/proof/multikey';
import type { Signer } from '#ports/signer';

export const kmsSigningAlgorithm = 'ED25519_SHA_512' as const;

/** KMS's own maximum for a RAW message. */
const maxRawMessageBytes = 4096;

/**
 * The key's own id out of a key id, key ARN (`arn:aws:kms:<region>:<account>:key/<id>`) or multi-Region key id.
 * Aliases are refused: an alias moves to a new key on rotation, and a verification method must name one key forever.
 */
export const kmsKeyUuid = (kmsKeyId: string): string => {
  const id = kmsKeyId.startsWith('arn:') ? kmsKeyId.slice(kmsKeyId.lastIndexOf(':') + 1).replace(/^key\//, '') : kmsKeyId;
  if (id.startsWith('alias/') || kmsKeyId.includes(':alias/')) {
    throw new TypeError(`"${kmsKeyId}" is a KMS alias; give the key id or ARN (an alias moves on rotation), or an explicit keyId.`);
  }
  if (!/^(mrk-)?[0-9a-f-]{32,36}$/i.test(id)) throw new TypeError(`"${kmsKeyId}" is not a KMS key id or key ARN.`);
  return id.toLowerCase();
};

/**
 * The verification-method fragment for a KMS key: `kms-` + the first 16 hex digits of sha256(key id). Stable for the
 * key's life, the same for its id and ARN forms, and no account or Region detail on public DID documents.
 */
export const keyIdForKmsKey = (kmsKeyId: string): string =>
  `kms-${createHash('sha256').update(kmsKeyUuid(kmsKeyId)).digest('hex').slice(0, 16)}`;

export type KmsSignerOptions = {
  /** The KMS client, created once at module scope by the caller (retry/backoff policy lives there). */
  client: KMSClient;
  /** KMS key id or key ARN (not an alias). */
  kmsKeyId: string;
  /** Overrides the derived verification method fragment. */
  keyId?: string;
};

export class KmsSigner implements Signer {
  readonly keyId: string;
  readonly #client: KMSClient;
  readonly #kmsKeyId: string;
  #publicKey: Promise<Uint8Array> | undefined;

  constructor(options: KmsSignerOptions) {
    this.#client = options.client;
    this.#kmsKeyId = options.kmsKeyId;
    this.keyId = options.keyId ?? keyIdForKmsKey(options.kmsKeyId);
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    if (message.length > maxRawMessageBytes) {
      throw new RangeError(`KMS signs at most ${maxRawMessageBytes} bytes with MessageType RAW (got ${message.length}).`);
    }
    const response = await this.#client.send(
      new SignCommand({ KeyId: this.#kmsKeyId, Message: message, MessageType: 'RAW', SigningAlgorithm: kmsSigningAlgorithm }),
    );
    const signature = response.Signature;
    if (signature?.length !== 64) {
      throw new Error(`KMS returned ${signature ? `${signature.length} bytes` : 'no signature'}; an Ed25519 signature has 64.`);
    }
    return new Uint8Array(signature);
  }

  /** The raw public key, fetched from KMS once per instance (a failed fetch is retried on the next call). */
  publicKey(): Promise<Uint8Array> {
    this.#publicKey ??= this.#fetchPublicKey().catch((error: unknown) => {
      this.#publicKey = undefined;
      throw error;
    });
    return this.#publicKey.then((key) => key.slice());
  }

  async #fetchPublicKey(): Promise<Uint8Array> {
    const response = await this.#client.send(new GetPublicKeyCommand({ KeyId: this.#kmsKeyId }));
    if (response.KeySpec !== undefined && response.KeySpec !== 'ECC_NIST_EDWARDS25519') {
      throw new Error(`KMS key ${this.#kmsKeyId} is ${response.KeySpec}, not ECC_NIST_EDWARDS25519.`);
    }
    if (!response.PublicKey) throw new Error(`KMS returned no public key for ${this.#kmsKeyId}.`);
    return rawFromSpki(response.PublicKey);
  }
}
