import { generateKeyPairSync } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { cryptosuite as eddsa2022 } from '@digitalbazaar/eddsa-2022-cryptosuite';
import { issue } from '@digitalbazaar/vc';
import { exportJWK, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { staticKeyResolver } from '#adapters/key-resolution/static';
import { LocalSigner } from '#adapters/signing/local-signer';
import { staticDocumentLoader } from '#domain/proof/document-loader';
import { dataIntegritySigner, signDocument } from '#domain/proof/sign';
import { presentedFromJson, presentedFromRequest } from '#domain/verify/parse';
import type { JsonObject, VerificationReport } from '#domain/verify/types';
import { type VerifyDependencies, verifyPresented } from '#features/verify/verify';
import { memoryDeployment, signedList } from '../../fixtures/verify/documents';

const check = (report: VerificationReport, name: string) => report.checks.find((entry) => entry.check === name);
const verifyJson = (deps: VerifyDependencies, body: unknown) => verifyPresented(deps, presentedFromJson(body));

describe("Merit's own credentials (keys from the store, never the network)", () => {
  it('verifies a freshly issued credential, every check passing', async () => {
    // Prepare
    const { deps, issue: issueOne } = memoryDeployment();
    const credential = await issueOne();

    // Act
    const report = await verifyJson(deps, credential);

    // Assess
    expect(report.checks.map((entry) => [entry.check, entry.ok])).toEqual([
      ['parse', true],
      ['schema', true],
      ['proof', true],
      ['status', true],
      ['validity', true],
    ]);
    expect(report.verified).toBe(true);
    expect(report.credential).toMatchObject({
      id: credential['id'],
      issuer: { name: 'Lincoln High School' },
      validFrom: '2025-01-15T00:00:00Z',
      validUntil: '2030-01-15T00:00:00Z',
    });
  });

  it('fails status as soon as the bit is set in the store', async () => {
    // Prepare
    const deployment = memoryDeployment();
    const credential = await deployment.issue();
    deployment.revoke('list-1', 4242);

    // Act
    const report = await verifyJson(deployment.deps, credential);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'status')).toMatchObject({ ok: false, message: 'The issuer has revoked this credential.' });
  });

  it('fails validity after validUntil and before validFrom', async () => {
    // Prepare
    const later = memoryDeployment({ clock: '2031-01-01T00:00:00Z' });
    const earlier = memoryDeployment({ clock: '2024-01-01T00:00:00Z' });
    const credential = await later.issue();
    const credentialForEarlier = await earlier.issue();

    // Act
    const expired = await verifyJson(later.deps, credential);
    const notYet = await verifyJson(earlier.deps, credentialForEarlier);

    // Assess
    expect(expired.verified).toBe(false);
    expect(check(expired, 'validity')?.message).toMatch(/has expired: it was valid until 2030-01-15/);
    expect(notYet.verified).toBe(false);
    expect(check(notYet, 'validity')?.message).toMatch(/not valid yet/);
  });

  it("refuses a credential forged with our issuer's id and an attacker's key", async () => {
    // Prepare
    const { deps, issue: issueOne, issuerDid } = memoryDeployment();
    const genuine = await issueOne();
    const attacker = LocalSigner.generate();
    const { proof: _proof, ...unsigned } = genuine;
    const forged = await signDocument(unsigned as JsonObject, attacker, { verificationMethod: `${issuerDid}#${attacker.keyId}` });

    // Act
    const report = await verifyJson(deps, forged);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/does not list as one of its signing keys/);
  });

  it("refuses a credential signed with our key id but an attacker's key (the signature fails)", async () => {
    // Prepare
    const { deps, issue: issueOne, issuerDid } = memoryDeployment();
    const { proof: _proof, ...unsigned } = await issueOne();
    const attacker = LocalSigner.generate({ keyId: 'key-1' });
    const forged = await signDocument(unsigned as JsonObject, attacker, { verificationMethod: `${issuerDid}#key-1` });

    // Act
    const report = await verifyJson(deps, forged);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/signature does not match/);
  });

  it('does not reuse a key it remembers for the same method id once the issuer document lists another key', async () => {
    // Prepare: deployment A's credential verifies (its key is now remembered under `…#key-1`); deployment B has the
    // same issuer and method id but its own key.
    const a = memoryDeployment();
    const credential = await a.issue();
    expect((await verifyJson(a.deps, structuredClone(credential))).verified).toBe(true);
    const b = memoryDeployment();

    // Act
    const report = await verifyJson(b.deps, credential);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/signature does not match/);
  });

  it("refuses a key hosted outside the issuer's own document", async () => {
    // Prepare
    const { deps, issue: issueOne } = memoryDeployment();
    const { proof: _proof, ...unsigned } = await issueOne();
    const attacker = LocalSigner.generate();
    const forged = await signDocument(unsigned as JsonObject, attacker, {
      verificationMethod: `did:key:${attacker.keyId}#${attacker.keyId}`,
    });

    // Act
    const report = await verifyJson(deps, forged);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/not in its issuer's own document/);
  });

  it('refuses an issuer of our host that the store does not know, without any lookup', async () => {
    // Prepare
    const keyResolver = staticKeyResolver();
    const deployment = memoryDeployment({ keyResolver });
    const credential = await deployment.issue();
    deployment.issuers.clear();

    // Act
    const report = await verifyJson(deployment.deps, credential);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/not one of this district's issuers/);
    expect(keyResolver.requested).toEqual([]);
  });

  it('checks the recipient against the hashed identifiers', async () => {
    // Prepare
    const { deps, issue: issueOne } = memoryDeployment();
    const credential = await issueOne();

    // Act
    const right = await verifyJson(deps, { credential, recipient: { email: 'jane.doe@STUDENTS.district.example' } });
    const byId = await verifyJson(deps, { credential, recipient: { identifier: 'S-0012345' } });
    const wrong = await verifyJson(deps, { credential, recipient: { email: 'someone@else.example' } });

    // Assess
    expect(check(right, 'recipient')?.ok).toBe(true);
    expect(right.verified).toBe(true);
    expect(check(byId, 'recipient')?.ok).toBe(true);
    expect(wrong.verified).toBe(false);
    expect(check(wrong, 'recipient')?.message).toBe('The credential was not issued to the person with this e-mail address.');
  });

  it('blocks on the schema when a Merit credential (which declares the schema) breaks it, even if re-signed', async () => {
    // Prepare
    const { deps, issue: issueOne, signer } = memoryDeployment();
    const { proof: _proof, ...unsigned } = await issueOne();
    const broken = await signDocument({ ...unsigned, name: 42 } as JsonObject, signer, {});

    // Act
    const report = await verifyJson(deps, broken);

    // Assess
    expect(check(report, 'proof')?.ok).toBe(true);
    expect(check(report, 'schema')).toMatchObject({ ok: false });
    expect(report.verified).toBe(false);
  });
});

/** Another issuer, did:web, whose DID document and status list the resolver injects. */
const otherIssuer = async (options: { revoked?: number[]; unreachableList?: boolean; listSigner?: LocalSigner } = {}) => {
  const did = 'did:web:badges.other.example';
  const signer = LocalSigner.generate({ keyId: 'k1' });
  const listUrl = 'https://badges.other.example/status/1';
  const didDocument = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [
      {
        id: `${did}#k1`,
        type: 'Multikey',
        controller: did,
        publicKeyMultibase:
          signer.keyId === 'k1' ? (await import('#domain/proof/multikey')).publicKeyMultibaseFromRaw(await signer.publicKey()) : '',
      },
    ],
    assertionMethod: [`${did}#k1`],
  };
  const list = await signedList({ url: listUrl, issuer: did, signer: options.listSigner ?? signer, revoked: options.revoked ?? [] });
  const keyResolver = staticKeyResolver({
    controllers: { [did]: didDocument },
    status: { [listUrl]: list },
    unreachable: options.unreachableList ? [listUrl] : [],
  });
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:6a3d2c1e-0000-4000-8000-000000000001',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: did, type: ['Profile'], name: 'Other Academy' },
    validFrom: '2025-01-01T00:00:00Z',
    name: 'Robotics',
    credentialSubject: {
      id: 'did:example:learner',
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://badges.other.example/a/1',
        type: ['Achievement'],
        name: 'Robotics',
        description: 'd',
        criteria: { narrative: 'n' },
      },
    },
    credentialStatus: {
      id: `${listUrl}#77`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '77',
      statusListCredential: listUrl,
    },
  };
  const signed = await signDocument(credential, signer, { verificationMethod: `${did}#k1`, created: '2025-01-01T00:00:00Z' });
  return { did, signer, didDocument, list, keyResolver, credential: signed as JsonObject, listUrl };
};

describe("other issuers' credentials (documents through the KeyResolver port)", () => {
  it('verifies a did:web credential and reads its signed status list', async () => {
    // Prepare
    const other = await otherIssuer();

    // Act
    const report = await verifyJson(memoryDeployment({ keyResolver: other.keyResolver }).deps, other.credential);

    // Assess
    expect(report.verified, JSON.stringify(report.checks)).toBe(true);
    expect(other.keyResolver.requested).toEqual([other.did, other.listUrl]);
  });

  it('fails status when their list has the bit set', async () => {
    // Prepare
    const other = await otherIssuer({ revoked: [77] });

    // Act
    const report = await verifyJson(memoryDeployment({ keyResolver: other.keyResolver }).deps, other.credential);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'status')?.message).toBe('The issuer has revoked this credential.');
  });

  it('fails status, clearly, when their list cannot be fetched', async () => {
    // Prepare
    const other = await otherIssuer({ unreachableList: true });

    // Act
    const report = await verifyJson(memoryDeployment({ keyResolver: other.keyResolver }).deps, other.credential);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'status')?.message).toMatch(/could not be fetched, so whether the credential was revoked is unknown/);
  });

  it('refuses a status list signed by someone else', async () => {
    // Prepare
    const other = await otherIssuer({ listSigner: LocalSigner.generate({ keyId: 'k1' }) });

    // Act
    const report = await verifyJson(memoryDeployment({ keyResolver: other.keyResolver }).deps, other.credential);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'status')?.message).toMatch(/status list's proof does not verify/);
  });

  it('checks a status list again when its content changes, even after that list verified', async () => {
    // Prepare: the list verifies once; then the same address serves it with a revoked bitstring pasted in, unsigned.
    const other = await otherIssuer();
    const deps = (keyResolver: typeof other.keyResolver) => memoryDeployment({ keyResolver }).deps;
    expect((await verifyJson(deps(other.keyResolver), structuredClone(other.credential))).verified).toBe(true);
    const revoked = await signedList({ url: other.listUrl, issuer: other.did, signer: other.signer, revoked: [77] });
    const tampered = {
      ...other.list,
      credentialSubject: {
        ...(other.list['credentialSubject'] as JsonObject),
        encodedList: (revoked['credentialSubject'] as JsonObject)['encodedList'],
      },
    };
    const tamperedResolver = staticKeyResolver({ controllers: { [other.did]: other.didDocument }, status: { [other.listUrl]: tampered } });

    // Act
    const report = await verifyJson(deps(tamperedResolver), other.credential);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'status')?.message).toMatch(/status list's proof does not verify/);
  });

  it('reads a 1EdTech revocation list', async () => {
    // Prepare
    const other = await otherIssuer();
    const listUrl = 'https://badges.other.example/revocations';
    const { proof: _proof, ...unsigned } = other.credential;
    const withExtensions = [...(unsigned['@context'] as string[]), 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json'];
    const credential = await signDocument(
      { ...unsigned, '@context': withExtensions, credentialStatus: { id: listUrl, type: '1EdTechRevocationList' } } as JsonObject,
      other.signer,
      { verificationMethod: `${other.did}#k1` },
    );
    const list = (revoked: boolean) => ({
      id: listUrl,
      issuer: other.did,
      revokedCredentials: revoked ? [{ id: other.credential['id'] }] : [{ id: 'urn:uuid:someone-else' }],
    });
    const controllers = { [other.did]: (await other.keyResolver.resolveController(other.did))! };

    // Act
    const clear = await verifyJson(
      memoryDeployment({ keyResolver: staticKeyResolver({ controllers, status: { [listUrl]: list(false) } }) }).deps,
      credential,
    );
    const revoked = await verifyJson(
      memoryDeployment({ keyResolver: staticKeyResolver({ controllers, status: { [listUrl]: list(true) } }) }).deps,
      credential,
    );

    // Assess
    expect(clear.verified, JSON.stringify(clear.checks)).toBe(true);
    expect(revoked.verified).toBe(false);
    expect(check(revoked, 'status')?.message).toBe('The issuer has revoked this credential.');
  });

  it('verifies a did:key credential without any lookup', async () => {
    // Prepare
    const signer = LocalSigner.generate();
    const did = `did:key:${signer.keyId}`;
    const keyResolver = staticKeyResolver();
    const { credentialStatus: _status, proof: _proof, ...credential } = (await otherIssuer()).credential;
    const unsigned = { ...credential, issuer: { id: did, type: ['Profile'], name: 'Key Issuer' } };
    const signed = await signDocument(unsigned as JsonObject, signer, { verificationMethod: `${did}#${signer.keyId}` });

    // Act
    const report = await verifyJson(memoryDeployment({ keyResolver }).deps, signed);

    // Assess
    expect(report.verified, JSON.stringify(report.checks)).toBe(true);
    expect(keyResolver.requested).toEqual([]);
  });
});

/** A VC 1.1 credential (issuanceDate/expirationDate), issued by a did:key. */
const vc11 = (did: string, context: string, expirationDate = '2030-01-01T00:00:00Z') => ({
  '@context': ['https://www.w3.org/2018/credentials/v1', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', context],
  id: 'urn:uuid:6a3d2c1e-0000-4000-8000-000000000002',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: did, type: 'Profile', name: 'Legacy Issuer' },
  issuanceDate: '2024-01-01T00:00:00Z',
  expirationDate,
  name: 'Legacy badge',
  credentialSubject: {
    id: 'did:example:learner',
    type: 'AchievementSubject',
    achievement: { id: 'https://legacy.example/a/1', type: 'Achievement', name: 'Legacy', description: 'd', criteria: { narrative: 'n' } },
  },
});

describe('other proof suites and VC 1.1', () => {
  it('verifies an Ed25519Signature2020 proof on a VC 1.1 credential, and reports the schema honestly', async () => {
    // Prepare
    const signer = LocalSigner.generate();
    const did = `did:key:${signer.keyId}`;
    const suite = new Ed25519Signature2020({ signer: dataIntegritySigner(signer, `${did}#${signer.keyId}`) });
    const credential = vc11(did, 'https://w3id.org/security/suites/ed25519-2020/v1');
    const signed = await (issue as unknown as (o: object) => Promise<JsonObject>)({
      credential,
      suite,
      documentLoader: staticDocumentLoader,
    });

    // Act
    const report = await verifyJson(memoryDeployment().deps, signed);
    const tampered = await verifyJson(memoryDeployment().deps, { ...signed, name: 'Changed' });

    // Assess
    expect(report.verified, JSON.stringify(report.checks)).toBe(true);
    expect(check(report, 'schema')).toMatchObject({ ok: false, warning: true });
    expect(tampered.verified).toBe(false);
  });

  it('verifies an eddsa-2022 DataIntegrityProof and applies expirationDate', async () => {
    // Prepare
    const signer = LocalSigner.generate();
    const did = `did:key:${signer.keyId}`;
    const suite = new DataIntegrityProof({
      signer: dataIntegritySigner(signer, `${did}#${signer.keyId}`),
      cryptosuite: eddsa2022,
      legacyContext: true,
    });
    const sign = (expiration: string) =>
      (issue as unknown as (o: object) => Promise<JsonObject>)({
        credential: vc11(did, 'https://w3id.org/security/data-integrity/v1', expiration),
        suite,
        documentLoader: staticDocumentLoader,
      });

    // Act
    const report = await verifyJson(memoryDeployment().deps, await sign('2030-01-01T00:00:00Z'));
    const expired = await verifyJson(memoryDeployment().deps, await sign('2025-01-01T00:00:00Z'));

    // Assess
    expect(report.verified, JSON.stringify(report.checks)).toBe(true);
    expect(check(expired, 'proof')?.ok).toBe(true);
    expect(check(expired, 'validity')?.message).toMatch(/expired/);
  });

  it('refuses a proof with an unknown cryptosuite', async () => {
    // Prepare
    const other = await otherIssuer();
    const proof = { ...(other.credential['proof'] as JsonObject[])[0], cryptosuite: 'ecdsa-rdfc-2019' };

    // Act
    const report = await verifyJson(memoryDeployment({ keyResolver: other.keyResolver }).deps, { ...other.credential, proof: [proof] });

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/ecdsa-rdfc-2019.*which Merit cannot check/);
  });
});

/** A did:web issuer whose document lists a JWK (RSA or P-256) for JWTs. */
const jwtIssuer = async (alg: 'RS256' | 'ES256') => {
  const did = 'did:web:jwt.example';
  const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKeyJwk = (await exportJWK(pair.publicKey)) as JWK;
  const document = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
    id: did,
    verificationMethod: [{ id: `${did}#jwt-1`, type: 'JsonWebKey', controller: did, publicKeyJwk }],
    assertionMethod: [`${did}#jwt-1`],
  };
  const vc = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:6a3d2c1e-0000-4000-8000-000000000003',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: did, type: ['Profile'], name: 'JWT Academy' },
    validFrom: '2025-01-01T00:00:00Z',
    name: 'JWT badge',
    credentialSubject: {
      id: 'did:example:learner',
      type: ['AchievementSubject'],
      achievement: { id: 'https://jwt.example/a/1', type: ['Achievement'], name: 'JWT', description: 'd', criteria: { narrative: 'n' } },
    },
  };
  const sign = (header: Record<string, unknown>, payload: Record<string, unknown> = { vc }) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg, ...header })
      .setIssuer(did)
      .setJti(vc.id)
      .setNotBefore(1735689600)
      .sign(pair.privateKey);
  return { did, pair, publicKeyJwk, sign, keyResolver: staticKeyResolver({ controllers: { [did]: document } }) };
};

describe('VC-JWT', () => {
  it.each(['RS256', 'ES256'] as const)('verifies a %s JWT whose kid is in the issuer document', async (alg) => {
    // Prepare
    const issuer = await jwtIssuer(alg);
    const jwt = await issuer.sign({ kid: `${issuer.did}#jwt-1` });

    // Act
    const report = await verifyPresented(
      memoryDeployment({ keyResolver: issuer.keyResolver }).deps,
      presentedFromRequest({ contentType: 'text/plain', rawBody: Buffer.from(jwt) })!,
    );

    // Assess
    expect(report.verified, JSON.stringify(report.checks)).toBe(true);
    expect(check(report, 'parse')?.message).toMatch(/JSON Web Token/);
  });

  it('accepts an embedded jwk only when the issuer document lists it', async () => {
    // Prepare
    const issuer = await jwtIssuer('ES256');
    const stranger = await jwtIssuer('ES256');
    const listed = await issuer.sign({ jwk: issuer.publicKeyJwk });
    const unlisted = await new SignJWT({ vc: {} })
      .setProtectedHeader({ alg: 'ES256', jwk: stranger.publicKeyJwk })
      .setIssuer(issuer.did)
      .sign(stranger.pair.privateKey);
    const deps = memoryDeployment({ keyResolver: issuer.keyResolver }).deps;

    // Act
    const good = await verifyJson(deps, { jwt: listed });
    const bad = await verifyJson(deps, { jwt: await stranger.sign({ jwk: stranger.publicKeyJwk }).then(() => unlisted) });

    // Assess
    expect(good.verified, JSON.stringify(good.checks)).toBe(true);
    expect(bad.verified).toBe(false);
  });

  it('refuses alg none, HS256 and a tampered payload', async () => {
    // Prepare
    const issuer = await jwtIssuer('RS256');
    const jwt = await issuer.sign({ kid: '#jwt-1' });
    const [header, payload, signature] = jwt.split('.');
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as JsonObject;
    const none = `${encode({ alg: 'none' })}.${payload}.`;
    const hs = `${encode({ alg: 'HS256', kid: '#jwt-1' })}.${payload}.${signature}`;
    const changed = `${header}.${encode({ ...decoded, vc: { ...(decoded['vc'] as JsonObject), name: 'Changed' } })}.${signature}`;
    const deps = memoryDeployment({ keyResolver: issuer.keyResolver }).deps;

    // Act
    const [noneReport, hsReport, changedReport] = await Promise.all([none, hs, changed].map((token) => verifyJson(deps, { jwt: token })));

    // Assess
    expect(check(noneReport!, 'proof')?.message).toMatch(/not signed \(algorithm "none"\)/);
    expect(check(hsReport!, 'proof')?.message).toMatch(/shared secret/);
    expect(check(changedReport!, 'proof')?.message).toMatch(/changed after signing/);
    expect([noneReport, hsReport, changedReport].map((report) => report!.verified)).toEqual([false, false, false]);
  });
});
