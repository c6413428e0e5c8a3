import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalSigner } from '#adapters/signing/local-signer';
import { signDocument } from '#domain/proof/sign';
import type { JsonObject } from '#domain/verify/types';
import { startPublicVerifier } from '#test/public-verifier';

/**
 * Generated hostile documents thrown at `POST /verify` and `POST /credentials/verify` of the real public handler:
 * the answer is a 4xx or `verified: false`, never a 5xx, never `verified: true`, and no socket is ever opened to a
 * non-public address (the resolver spy answers every name with one; literal hosts are non-public by construction).
 */
describe('hostile documents at the public verifier', () => {
  const verifier = startPublicVerifier();
  const signer = LocalSigner.generate();
  const did = `did:key:${signer.keyId}`;
  let base: JsonObject;
  /** `base`, signed (once: signing costs a canonicalisation). */
  let signedBase: JsonObject & { proof: unknown[] };

  const sign = (document: JsonObject) => signDocument(document, signer, { verificationMethod: `${did}#${signer.keyId}` });

  beforeAll(async () => {
    const { credentialStatus: _status, proof: _proof, ...credential } = await verifier.deployment.issue();
    base = { ...credential, issuer: { id: did, type: ['Profile'], name: 'Key Issuer' } };
    signedBase = await sign(base);
  });

  /** Hosts an attacker would aim a fetch at, in many notations (all resolve, or are, non-public). */
  const hostileHost = fc.oneof(
    fc.constantFrom(
      '127.0.0.1',
      '2130706433',
      '0x7f000001',
      '0177.0.0.1',
      '127.1',
      '0',
      '169.254.169.254',
      '2852039166',
      '0xa9fea9fe',
      '100.64.0.1',
      '192.168.0.1',
      '172.16.3.4',
      'localhost',
      'metadata.google.internal',
      'kubernetes.default.svc',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:a9fe:a9fe]',
      '[fd00::1]',
      '[fe80::1]',
      '[64:ff9b::a9fe:a9fe]',
    ),
    fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
      .map(([b, c, d]) => String((10 << 24) + (b << 16) + (c << 8) + d)),
    fc.stringMatching(/^[a-z]{1,10}\.(internal|local|corp|example)$/),
  );
  const port = fc.option(fc.constantFrom(80, 443, 8080, 9000, 2375, 6379), { nil: undefined });
  const hostileUrl = fc
    .tuple(hostileHost, port, fc.constantFrom('/', '/latest/meta-data/', '/status/1', '/.well-known/did.json'))
    .map(([host, p, path]) => `https://${host}${p ? `:${p}` : ''}${path}`);
  const hostileIssuer = fc.oneof(
    hostileUrl,
    fc.tuple(hostileHost, port).map(([host, p]) => `did:web:${host}${p ? `%3A${p}` : ''}`),
  );

  type Case = { label: string; document: () => Promise<unknown> };

  const cases: fc.Arbitrary<Case> = fc.oneof(
    fc.integer({ min: 40, max: 400 }).map((depth) => ({
      label: `nested ${depth} deep`,
      document: async () => {
        let value: unknown = 'leaf';
        for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value };
        return { ...base, evidence: value, proof: [] };
      },
    })),
    fc.integer({ min: 3_000, max: 25_000 }).map((length) => ({
      label: `${length} alignments`,
      document: async () => {
        const subject = base['credentialSubject'] as JsonObject;
        // Not re-signed (that alone would take seconds): the bounds refuse it before the proof is looked at.
        return {
          ...signedBase,
          credentialSubject: {
            ...subject,
            achievement: {
              ...(subject['achievement'] as JsonObject),
              alignment: Array.from({ length }, (_, i) => ({ type: 'Alignment', targetName: `S${i}`, targetUrl: `https://s.x/${i}` })),
            },
          },
        };
      },
    })),
    fc.integer({ min: 11, max: 3_000 }).map((copies) => ({
      label: `${copies} proofs`,
      document: async () => ({ ...signedBase, proof: Array.from({ length: copies }, () => signedBase.proof[0]) }),
    })),
    fc.tuple(fc.integer({ min: 1, max: 2_000 }), fc.array(hostileUrl, { minLength: 1, maxLength: 4 })).map(([count, urls]) => ({
      label: `${count} status entries at ${urls.join(' ')}`,
      document: async () => {
        const credentialStatus = Array.from({ length: count }, (_, i) => {
          const url = urls[i % urls.length]!;
          return i % 3 === 2
            ? { id: url, type: '1EdTechRevocationList' }
            : {
                id: `${url}#7`,
                type: 'BitstringStatusListEntry',
                statusPurpose: 'revocation',
                statusListIndex: '7',
                statusListCredential: url,
              };
        });
        // Within the cap, signed for real, so the proof passes and the status check is what would fetch.
        return count <= 3 ? sign({ ...base, credentialStatus }) : { ...signedBase, credentialStatus };
      },
    })),
    hostileIssuer.map((issuerId) => ({
      label: `issuer ${issuerId}`,
      document: async () => ({ ...signedBase, issuer: { id: issuerId, type: ['Profile'], name: 'Internal' } }),
    })),
    fc
      .tuple(
        fc.constantFrom('issuer', 'proof', 'credentialStatus', '@context', 'type', 'credentialSubject', 'validFrom', 'id'),
        fc.jsonValue({ maxDepth: 4 }),
      )
      .map(([field, value]) => ({
        label: `${field} = ${JSON.stringify(value).slice(0, 60)}`,
        document: async () => ({ ...signedBase, [field]: value }),
      })),
    fc.constantFrom('credential', 'verifiableCredential', 'jwt').map((key) => ({
      label: `a JSON string under ${key}`,
      document: async () => ({ [key]: JSON.stringify(signedBase) }),
    })),
    fc
      .jsonValue({ maxDepth: 6 })
      .map((value) => ({ label: `arbitrary JSON ${JSON.stringify(value).slice(0, 60)}`, document: async () => value })),
  );

  it('answers a 4xx or verified: false, never a 5xx, and opens no socket to a non-public address', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(cases, fc.constantFrom('/verify', '/credentials/verify'), async (hostile, path) => {
        // Prepare
        const document = await hostile.document();
        const body = JSON.stringify(path === '/credentials/verify' ? { verifiableCredential: document } : document) ?? 'null';

        // Act
        const { status, json } = await verifier.post(path, body);

        // Assess
        statuses.add(status);
        expect(status, hostile.label).toBeGreaterThanOrEqual(200);
        expect(status, hostile.label).toBeLessThan(500);
        if (path === '/verify' && status === 200) expect(json['verified'], hostile.label).toBe(false);
        if (path === '/credentials/verify') expect(status, hostile.label).not.toBe(200);
        expect(verifier.connections, hostile.label).toEqual([]);
      }),
      { numRuns: 150 },
    );
    // The generated inputs did reach the verifier (answers), and names were looked up (the fetch rules were exercised).
    expect(statuses.has(200) || statuses.has(400)).toBe(true);
    expect(verifier.lookups.length).toBeGreaterThan(0);
  }, 180_000);
});
