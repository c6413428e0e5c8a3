import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { KmsSigner, keyIdForKmsKey, kmsKeyUuid } from '#adapters/signing/kms-signer';
import { buildCredential } from '#domain/credential/build';
import { validateAchievementCredential } from '#domain/credential/schema';
import { didDocumentForIssuer, publicKeyMultibaseFromRaw } from '#domain/proof/multikey';
import { signCredential } from '#domain/proof/sign';
import { fullCredentialInput } from '../../fixtures/ob3/credential-input';
import { verifyWithDigitalBazaar } from '../../fixtures/ob3/verifiers';

const keyUuid = '1234abcd-12ab-34cd-56ef-1234567890ab';
const keyArn = `arn:aws:kms:us-east-1:111122223333:key/${keyUuid}`;

/**
 * A fake KMS around a real Ed25519 key: Sign answers a real signature over the bytes it received (as KMS does for
 * ED25519_SHA_512 + RAW), GetPublicKey answers the real SPKI DER.
 */
const fakeKms = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const client = new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const kms = mockClient(client);
  kms.on(SignCommand).callsFake(async (input: { Message?: Uint8Array; SigningAlgorithm?: string; MessageType?: string }) => {
    if (input.SigningAlgorithm !== 'ED25519_SHA_512' || input.MessageType !== 'RAW' || !input.Message) {
      throw new Error('fake KMS: only ED25519_SHA_512 over RAW messages');
    }
    return { KeyId: keyArn, Signature: new Uint8Array(sign(null, input.Message, privateKey)), SigningAlgorithm: 'ED25519_SHA_512' };
  });
  kms.on(GetPublicKeyCommand).resolves({
    KeyId: keyArn,
    KeySpec: 'ECC_NIST_EDWARDS25519',
    KeyUsage: 'SIGN_VERIFY',
    PublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  });
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url'));
  return { client, kms, publicKey, raw };
};

let mocks: Array<ReturnType<typeof mockClient>> = [];
const withFake = () => {
  const fake = fakeKms();
  mocks.push(fake.kms);
  return fake;
};

afterEach(() => {
  for (const mock of mocks) mock.restore();
  mocks = [];
});

describe('KmsSigner', { timeout: 60_000 }, () => {
  it('signs with ED25519_SHA_512 over the RAW message, with the configured key', async () => {
    // Prepare
    const { client, kms, publicKey } = withFake();
    const signer = new KmsSigner({ client, kmsKeyId: keyArn });
    const message = new Uint8Array(64).fill(9);

    // Act
    const signature = await signer.sign(message);

    // Assess
    const calls = kms.commandCalls(SignCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ KeyId: keyArn, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' });
    expect(signature).toHaveLength(64);
    expect(verify(null, message, publicKey, signature)).toBe(true);
  });

  it('fetches the public key once and caches it, as the raw 32-byte key', async () => {
    // Prepare
    const { client, kms, raw } = withFake();
    const signer = new KmsSigner({ client, kmsKeyId: keyArn });

    // Act
    const keys = await Promise.all([signer.publicKey(), signer.publicKey()]);
    const later = await signer.publicKey();

    // Assess
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(GetPublicKeyCommand)[0]?.args[0].input).toEqual({ KeyId: keyArn });
    for (const key of [...keys, later]) expect(key).toEqual(raw);
  });

  it('retries the public key fetch after a failure instead of caching the failure', async () => {
    // Prepare
    const { client, kms, raw } = withFake();
    kms
      .on(GetPublicKeyCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({
        KeySpec: 'ECC_NIST_EDWARDS25519',
        PublicKey: new Uint8Array([...Buffer.from('302a300506032b6570032100', 'hex'), ...raw]),
      });
    const signer = new KmsSigner({ client, kmsKeyId: keyArn });

    // Act
    const first = signer.publicKey();
    await expect(first).rejects.toThrow('throttled');
    const second = await signer.publicKey();

    // Assess
    expect(second).toEqual(raw);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(2);
  });

  it('refuses a key that is not Ed25519', async () => {
    // Prepare
    const { client, kms } = withFake();
    kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'ECC_NIST_P256', PublicKey: new Uint8Array(91) });
    const signer = new KmsSigner({ client, kmsKeyId: keyArn });

    // Act / Assess
    await expect(signer.publicKey()).rejects.toThrow('ECC_NIST_P256');
  });

  it('derives a stable key id from the KMS key, the same for its id and ARN, and refuses aliases', () => {
    // Prepare / Act
    const fromArn = keyIdForKmsKey(keyArn);
    const fromId = keyIdForKmsKey(keyUuid);

    // Assess
    expect(fromArn).toBe(fromId);
    expect(fromArn).toMatch(/^kms-[0-9a-f]{16}$/);
    expect(keyIdForKmsKey('2234abcd-12ab-34cd-56ef-1234567890ab')).not.toBe(fromArn);
    expect(kmsKeyUuid('mrk-1234abcd12ab34cd56ef1234567890ab')).toBe('mrk-1234abcd12ab34cd56ef1234567890ab');
    expect(() => keyIdForKmsKey('alias/merit-signing')).toThrow('alias');
    expect(() => keyIdForKmsKey('arn:aws:kms:us-east-1:111122223333:alias/merit-signing')).toThrow('alias');
    expect(new KmsSigner({ client: new KMSClient({ region: 'us-east-1' }), kmsKeyId: 'alias/x', keyId: 'key-2025' }).keyId).toBe(
      'key-2025',
    );
  });

  it('signs a credential that validates and verifies with @digitalbazaar/vc against the DID document built from KMS', async () => {
    // Prepare
    const { client, kms, raw } = withFake();
    const signer = new KmsSigner({ client, kmsKeyId: keyArn });
    const unsigned = buildCredential(fullCredentialInput('kms-school'));

    // Act
    const signed = await signCredential(unsigned, signer, { issuerDid: unsigned.issuer.id });
    const didDocument = didDocumentForIssuer({
      did: unsigned.issuer.id,
      keys: [{ keyId: signer.keyId, publicKey: await signer.publicKey() }],
    });
    const result = await verifyWithDigitalBazaar(signed, [didDocument]);

    // Assess
    expect(kms.commandCalls(SignCommand)).toHaveLength(1);
    expect(kms.commandCalls(SignCommand)[0]?.args[0].input.Message).toHaveLength(64);
    expect(signed.proof[0]?.verificationMethod).toBe(`${unsigned.issuer.id}#${signer.keyId}`);
    expect(didDocument.verificationMethod[0]?.publicKeyMultibase).toBe(publicKeyMultibaseFromRaw(raw));
    expect(validateAchievementCredential(signed)).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
  });

  it('refuses to send KMS a RAW message over 4096 bytes', async () => {
    // Prepare
    const { client, kms } = withFake();
    const signer = new KmsSigner({ client, kmsKeyId: keyArn });

    // Act / Assess
    await expect(signer.sign(new Uint8Array(4097))).rejects.toThrow('4096');
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
  });
});
