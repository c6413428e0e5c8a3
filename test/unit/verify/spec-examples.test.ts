import { describe, expect, it } from 'vitest';
import { staticKeyResolver } from '#adapters/key-resolution/static';
import { presentedFromJson } from '#domain/verify/parse';
import type { JsonObject, VerificationReport } from '#domain/verify/types';
import { verifyPresented } from '#features/verify/verify';
import {
  clrSigned,
  clrTestVector,
  exampleControllerDocument,
  exampleIssuer,
  memoryDeployment,
  obSigned,
  obTestVector,
  unsignedExamples,
} from '../../fixtures/verify/documents';

/** The official signed examples and test vectors, with the issuer's controller document injected (no network). */
const resolver = () => staticKeyResolver({ controllers: { [exampleIssuer]: exampleControllerDocument() } });
const verify = (credential: unknown, keyResolver = resolver()) =>
  verifyPresented(memoryDeployment({ keyResolver }).deps, presentedFromJson(credential));
const check = (report: VerificationReport, name: string) => report.checks.find((entry) => entry.check === name);

const tampered: Array<[string, (credential: JsonObject) => void]> = [
  ['the name', (c) => (c['name'] = 'Leadership Badge')],
  ['the issuer name', (c) => ((c['issuer'] as JsonObject)['name'] = 'Evil Corp')],
  ['the start date', (c) => (c['validFrom'] = '2009-01-01T00:00:00Z')],
  ['the subject', (c) => ((c['credentialSubject'] as JsonObject)['id'] = 'did:example:someone-else')],
  ['the credential id', (c) => (c['id'] = 'http://example.com/credentials/9999')],
  [
    'the proof value',
    (c) => {
      const proof = (Array.isArray(c['proof']) ? c['proof'][0] : c['proof']) as JsonObject;
      proof['proofValue'] = `${(proof['proofValue'] as string).slice(0, -4)}abcd`;
    },
  ],
  ['the proof date', (c) => (((Array.isArray(c['proof']) ? c['proof'][0] : c['proof']) as JsonObject)['created'] = '2011-01-01T00:00:00Z')],
];

describe('the official signed examples and test vectors', () => {
  it.each([
    ['the OB signed example', obSigned],
    ['the CLR signed example', clrSigned],
    ['the OB test vector', () => obTestVector()['Signed credential'] as JsonObject],
    ['the CLR test vector', () => clrTestVector()['Signed credential'] as JsonObject],
  ])('%s verifies with its issuer document injected', async (_name, load) => {
    // Prepare
    const keyResolver = resolver();

    // Act
    const report = await verify(load(), keyResolver);

    // Assess
    expect(report.verified, JSON.stringify(report.checks)).toBe(true);
    expect(check(report, 'proof')).toMatchObject({ ok: true });
    expect(report.credential?.issuer.id).toBe(exampleIssuer);
    expect(keyResolver.requested).toEqual([exampleIssuer]);
  });

  it('reports honestly that the OB test vector does not follow the JSON schema, without blocking it', async () => {
    // Act
    const report = await verify(obSigned());

    // Assess
    expect(check(report, 'schema')).toMatchObject({ ok: false, warning: true });
    expect(check(report, 'schema')?.message).toMatch(/proof must be array/);
    expect(report.verified).toBe(true);
  });

  it('does not verify without the issuer document: a key is trusted only from its controller', async () => {
    // Act
    const report = await verify(obSigned(), staticKeyResolver());

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/could not be fetched, so its keys cannot be checked/);
  });

  it('does not verify when the issuer document does not list the key under assertionMethod', async () => {
    // Prepare
    const document = { ...exampleControllerDocument(), assertionMethod: [] };

    // Act
    const report = await verify(obSigned(), staticKeyResolver({ controllers: { [exampleIssuer]: document } }));

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/does not list as one of its signing keys/);
  });

  describe.each([
    ['OB', obSigned],
    ['CLR', clrSigned],
  ])('a tampered copy of the %s example', (_kind, load) => {
    it.each(tampered)('fails the proof when %s is changed', async (_what, change) => {
      // Prepare
      const credential = load();
      change(credential);

      // Act
      const report = await verify(credential);

      // Assess
      expect(report.verified).toBe(false);
      expect(check(report, 'proof')?.ok).toBe(false);
    });
  });

  it('explains a changed credential in words a person understands', async () => {
    // Prepare
    const credential = obSigned();
    credential['name'] = 'Leadership Badge';

    // Act
    const report = await verify(credential);

    // Assess
    expect(check(report, 'proof')?.message).toBe("The signature does not match the credential's content: it was changed after signing.");
  });

  it('fails the proof when a property no context defines is added', async () => {
    // Prepare
    const credential = { ...obSigned(), grade: 'A+' };

    // Act
    const report = await verify(credential);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/contexts do not define/);
  });

  it.each(unsignedExamples())('reports the unsigned example %s as not signed', async (_name, credential) => {
    // Act
    const report = await verify(credential);

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.ok).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/not signed|no proof|document/i);
  });

  it('says "not signed" for the basic unsigned example', async () => {
    // Prepare
    const [, credential] = unsignedExamples().find(([name]) => name === 'basicOpenBadgeCredential')!;

    // Act
    const report = await verify(
      credential,
      staticKeyResolver({
        controllers: {
          [(credential['issuer'] as JsonObject)['id'] as string]: {
            ...exampleControllerDocument(),
            id: (credential['issuer'] as JsonObject)['id'],
          },
        },
      }),
    );

    // Assess
    expect(check(report, 'proof')?.message).toMatch(/^The credential is not signed/);
  });
});
