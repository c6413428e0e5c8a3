import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSigner } from '#adapters/signing/local-signer';
import { signDocument } from '#domain/proof/sign';
import type { JsonObject } from '#domain/verify/types';
import { startHttpsServer, type TestServer, testCa } from '#test/https-server';
import { startPublicVerifier } from '#test/public-verifier';
import { clrSigned } from '../../fixtures/verify/documents';

type Report = { verified: boolean; checks: Array<{ check: string; ok: boolean; message: string }> };

/**
 * The findings of issue 13 on the public verifier, each through `POST /verify` or `POST /credentials/verify` of the
 * real public handler: oversized credentials are answered before any schema or JSON-LD work, nothing reaches a
 * non-public address, and every failed fetch reads the same.
 */
describe('the public verifier is bounded', () => {
  const verifier = startPublicVerifier();
  const signer = LocalSigner.generate();
  const did = `did:key:${signer.keyId}`;
  let small: JsonObject;

  /** A credential of a did:key issuer, signed for real (real Ed25519), with `extra` merged in before signing. */
  const didKeyCredential = async (extra: JsonObject = {}) => {
    const { credentialStatus: _status, proof: _proof, ...credential } = await verifier.deployment.issue();
    return signDocument({ ...credential, issuer: { id: did, type: ['Profile'], name: 'Key Issuer' }, ...extra } as JsonObject, signer, {
      verificationMethod: `${did}#${signer.keyId}`,
    });
  };
  const verify = async (body: unknown) => {
    const { status, json } = await verifier.post('/verify', JSON.stringify(body));
    return { status, report: json as unknown as Report };
  };

  beforeAll(async () => {
    small = await didKeyCredential();
  });

  it('verifies a valid did:key credential and a Merit credential (so the refusals below can fail)', async () => {
    // Act
    const own = await verify(await verifier.deployment.issue());
    const other = await verify(small);

    // Assess
    expect([own.report.verified, other.report.verified]).toEqual([true, true]);
  });

  it('refuses 26,000 alignment objects (1.9 MB) at parse, before the schema or any proof work', async () => {
    // Prepare: the proof of a small credential — bounds come first, so it is never looked at.
    const subject = small['credentialSubject'] as JsonObject;
    const alignment = Array.from({ length: 26_000 }, (_, i) => ({ type: 'Alignment', targetName: `S${i}`, targetUrl: `https://s.x/${i}` }));
    const huge = { ...small, credentialSubject: { ...subject, achievement: { ...(subject['achievement'] as JsonObject), alignment } } };

    // Act
    const { status, report } = await verify(huge);
    const vcApi = await verifier.post('/credentials/verify', JSON.stringify({ verifiableCredential: huge }));

    // Assess
    expect(JSON.stringify(huge).length).toBeGreaterThan(1_800_000); // under the 2 MiB body cap: the bounds, not the cap, refuse it
    expect(status).toBe(200);
    expect(report.verified).toBe(false);
    expect(report.checks).toEqual([
      {
        check: 'parse',
        ok: false,
        message: 'The credential is too large to check: it holds more than 2,000 JSON values (a real badge holds a few hundred).',
      },
    ]);
    expect(vcApi.status).toBe(400);
    expect(vcApi.json['errors']).toEqual([report.checks[0]!.message]);
  });

  it('refuses 5,000 copies of one proof, 11 proofs, and a CLR whose 10 proofs would each canonicalise 2,000+ values', async () => {
    // Prepare
    const proof = (small['proof'] as JsonObject[])[0]!;

    // Act
    const copies = await verify({ ...small, proof: Array.from({ length: 5_000 }, () => proof) });
    const eleven = await verify({ ...small, proof: Array.from({ length: 11 }, () => proof) });
    const subject = small['credentialSubject'] as JsonObject;
    const alignment = Array.from({ length: 300 }, (_, i) => ({ type: 'Alignment', targetName: `S${i}`, targetUrl: `https://s.x/${i}` }));
    const member = { ...small, credentialSubject: { ...subject, achievement: { ...(subject['achievement'] as JsonObject), alignment } } };
    const clr = clrSigned();
    const heavy = await verify({
      ...clr,
      credentialSubject: { ...(clr['credentialSubject'] as JsonObject), verifiableCredential: [member, member] },
      proof: Array.from({ length: 10 }, () => proof),
    });

    // Assess
    expect(copies.report.checks).toEqual([
      { check: 'parse', ok: false, message: 'The credential carries 5,000 proofs; at most 10 are checked.' },
    ]);
    expect(eleven.report.checks).toEqual([
      { check: 'parse', ok: false, message: 'The credential carries 11 proofs; at most 10 are checked.' },
    ]);
    expect(heavy.report.checks).toEqual([
      {
        check: 'parse',
        ok: false,
        message: expect.stringMatching(/^The CLR carries 10 proofs over 2,\d{3} JSON values; checking them all would take too long/),
      },
    ]);
  });

  it('refuses 2,000 status entries without a single lookup', async () => {
    // Prepare
    const lookupsBefore = verifier.lookups.length;
    const credentialStatus = Array.from({ length: 2_000 }, (_, i) => ({
      id: `https://lists${i}.example/s#1`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '1',
      statusListCredential: `https://lists${i}.example/s`,
    }));

    // Act
    const { status, report } = await verify({ ...small, credentialStatus });

    // Assess
    expect(status).toBe(200);
    expect(report.checks).toEqual([
      { check: 'parse', ok: false, message: 'The credential has 2,000 status entries; at most 3 are checked.' },
    ]);
    expect(verifier.lookups.length).toBe(lookupsBefore);
  });

  it('measures each credential of a CLR on its own (over 256 KiB refused), and still verifies the official CLR', async () => {
    // Prepare
    const clr = clrSigned();
    const subject = clr['credentialSubject'] as JsonObject;
    const bloated = {
      ...clr,
      credentialSubject: { ...subject, verifiableCredential: [{ ...small, description: 'x'.repeat(300 * 1024) }] },
    };

    // Act
    const official = await verify(clr);
    const refused = await verify(bloated);

    // Assess
    expect(official.report.checks[0]).toMatchObject({ check: 'parse', ok: true });
    expect(refused.report.checks).toEqual([
      { check: 'parse', ok: false, message: 'Credential 1 of the CLR is 303 KiB of JSON; a credential may be at most 256 KiB.' },
    ]);
  });

  it('answers a JSON body over 2 MiB with 413 on both routes', async () => {
    // Prepare
    const body = JSON.stringify({ verifiableCredential: { ...small, description: 'x'.repeat(2 * 1024 * 1024) } });

    // Act
    const answers = await Promise.all([verifier.post('/verify', body), verifier.post('/credentials/verify', body)]);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([413, 413]);
  });

  it('refuses a JSON string holding a credential (a parsing error, as the W3C test suites require)', async () => {
    // Act
    const vcApi = await verifier.post('/credentials/verify', JSON.stringify({ verifiableCredential: JSON.stringify(small) }));
    const wrapped = await verify({ credential: JSON.stringify(small) });

    // Assess
    expect(vcApi.status).toBe(400);
    expect(wrapped.report.checks).toEqual([
      { check: 'parse', ok: false, message: 'The credential must be a JSON object or a JWT; a string holding JSON is not a credential.' },
    ]);
  });
});

describe('the public verifier never fetches from a non-public address', () => {
  const verifier = startPublicVerifier();
  const signer = LocalSigner.generate();
  const did = `did:key:${signer.keyId}`;

  it.each([
    ['loopback', 'did:web:127.0.0.1'],
    ['the cloud metadata address', 'did:web:169.254.169.254'],
    ['the decimal form of 127.0.0.1', 'did:web:2130706433'],
    ['the hex form of 10.0.0.1', 'did:web:0xa000001'],
    ['a name resolving to an internal address', 'did:web:metadata.internal.example'],
    ['an https issuer on a private address', 'https://192.168.0.1/issuer'],
  ])('refuses an issuer at %s: "could not be fetched", no connection', async (_name, issuerId) => {
    // Prepare
    const { credentialStatus: _status, ...credential } = await verifier.deployment.issue();
    const forged = { ...credential, issuer: { id: issuerId, type: ['Profile'], name: 'Internal' } };

    // Act
    const { json } = await verifier.post('/verify', JSON.stringify(forged));

    // Assess
    const proof = (json as unknown as Report).checks.find((check) => check.check === 'proof');
    expect(proof?.message).toMatch(/could not be fetched, so its keys cannot be checked\.$/);
    expect(verifier.connections).toEqual([]);
  });

  it('refuses status lists at internal addresses (a valid did:key credential, 3 entries), no connection', async () => {
    // Prepare
    const { credentialStatus: _status, proof: _proof, ...credential } = await verifier.deployment.issue();
    const credentialStatus = ['https://169.254.169.254/latest', 'https://2130706433/list', 'https://lists.internal.example/1'].map(
      (url) => ({
        id: `${url}#5`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '5',
        statusListCredential: url,
      }),
    );
    const signed = await signDocument(
      { ...credential, issuer: { id: did, type: ['Profile'], name: 'Key Issuer' }, credentialStatus } as JsonObject,
      signer,
      { verificationMethod: `${did}#${signer.keyId}` },
    );

    // Act
    const { json } = await verifier.post('/verify', JSON.stringify(signed));

    // Assess
    const checks = (json as unknown as Report).checks;
    expect(checks.find((check) => check.check === 'proof')?.ok).toBe(true);
    expect(checks.find((check) => check.check === 'status')?.message).toBe(
      "The issuer's status list (https://169.254.169.254/latest) could not be fetched, so whether the credential was revoked is unknown.",
    );
    expect(verifier.connections).toEqual([]);
  });
});

describe('every failed fetch reads the same', () => {
  let server: TestServer;
  let verifier: ReturnType<typeof startPublicVerifier>;

  beforeAll(async () => {
    server = await startHttpsServer((request, response) => {
      if (request.url?.startsWith('/forbidden/')) return void response.writeHead(403).end();
      if (request.url?.startsWith('/text/')) return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      if (request.url?.startsWith('/slow/')) return; // never answers: the 3 s deadline ends it
      if (request.url?.startsWith('/redirect/'))
        return void response.writeHead(302, { location: 'https://169.254.169.254/latest/meta-data/' }).end();
      response.writeHead(404).end();
    });
    verifier = startPublicVerifier({
      resolve: async (host) => [{ address: host === 'issuer.test' ? '127.0.0.1' : '10.0.0.7', family: 4 }],
      allow: ({ address, port }) => address === '127.0.0.1' && port === server.port,
      ca: testCa,
    });
  });
  afterAll(async () => server?.close());

  it('404, 403, not JSON, timeout, redirect to metadata and a private address give one message', async () => {
    // Prepare
    const issuers = ['missing', 'forbidden', 'text', 'slow', 'redirect']
      .map((path) => `did:web:issuer.test%3A${server.port}:${path}:x`)
      .concat(['did:web:internal.test']);
    const { credentialStatus: _status, ...credential } = await verifier.deployment.issue();

    // Act
    const messages = await Promise.all(
      issuers.map(async (issuerId) => {
        const { json } = await verifier.post(
          '/verify',
          JSON.stringify({ ...credential, issuer: { id: issuerId, type: ['Profile'], name: 'Elsewhere' } }),
        );
        const message = (json as unknown as Report).checks.find((check) => check.check === 'proof')?.message ?? '';
        return message.replace(/\(https:\/\/[^)]*\)/, '(URL)');
      }),
    );

    // Assess
    expect(new Set(messages)).toEqual(new Set(["The issuer's document (URL) could not be fetched, so its keys cannot be checked."]));
    expect(verifier.connections.every((target) => target.address === '127.0.0.1' && target.port === server.port)).toBe(true);
  });
});
