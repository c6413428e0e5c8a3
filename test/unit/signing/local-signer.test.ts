import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSigner, localKeyFileName } from '#adapters/signing/local-signer';
import { publicKeyMultibaseFromRaw, spkiFromRaw } from '#domain/proof/multikey';

/**
 * Note: `fromDirectory` is about a key file, so two tests here touch a temporary folder (the only file I/O in the
 * unit project's signing tests; nothing else is written).
 */
const folders: string[] = [];
const tempFolder = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'merit-local-signer-'));
  folders.push(folder);
  return folder;
};

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

const verifies = async (signer: LocalSigner, message: Uint8Array, signature: Uint8Array) =>
  verify(
    null,
    message,
    createPublicKey({ key: Buffer.from(spkiFromRaw(await signer.publicKey())), format: 'der', type: 'spki' }),
    signature,
  );

describe('LocalSigner', () => {
  it('makes plain Ed25519 signatures that node:crypto verifies with the published public key', async () => {
    // Prepare
    const signer = LocalSigner.generate();
    const message = new TextEncoder().encode('hash(proof) ‖ hash(document)');

    // Act
    const signature = await signer.sign(message);

    // Assess
    expect(signature).toHaveLength(64);
    expect(await verifies(signer, message, signature)).toBe(true);
    expect(await verifies(signer, new TextEncoder().encode('something else'), signature)).toBe(false);
  });

  it('names its key by its publicKeyMultibase unless told otherwise', async () => {
    // Prepare / Act
    const signer = LocalSigner.generate();
    const named = LocalSigner.fromSeed(new Uint8Array(32).fill(1), { keyId: 'local-1' });

    // Assess
    expect(signer.keyId).toBe(publicKeyMultibaseFromRaw(await signer.publicKey()));
    expect(named.keyId).toBe('local-1');
  });

  it('is deterministic from a seed, and refuses a seed of the wrong size', async () => {
    // Prepare
    const seed = new Uint8Array(32).fill(42);

    // Act
    const first = LocalSigner.fromSeed(seed);
    const second = LocalSigner.fromSeed(seed);

    // Assess
    expect(await first.publicKey()).toEqual(await second.publicKey());
    expect(await first.sign(Uint8Array.of(1, 2, 3))).toEqual(await second.sign(Uint8Array.of(1, 2, 3)));
    expect(() => LocalSigner.fromSeed(new Uint8Array(31))).toThrow('32 bytes');
  });

  it('creates its key file on first use (private, 0600) and finds the same key on the next start', async () => {
    // Prepare
    const folder = join(await tempFolder(), 'keys');

    // Act
    const first = await LocalSigner.fromDirectory(folder);
    const again = await LocalSigner.fromDirectory(folder);

    // Assess
    expect(again.keyId).toBe(first.keyId);
    expect(await again.publicKey()).toEqual(await first.publicKey());
    const file = join(folder, localKeyFileName);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const jwk = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(typeof jwk['d']).toBe('string');
  });

  it('agrees on one key when several start at once on an empty folder', async () => {
    // Prepare
    const folder = await tempFolder();

    // Act
    const signers = await Promise.all([1, 2, 3, 4].map(() => LocalSigner.fromDirectory(folder)));

    // Assess
    expect(new Set(signers.map((signer) => signer.keyId)).size).toBe(1);
  });
});
