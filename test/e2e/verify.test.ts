import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSigner } from '#adapters/signing/local-signer';
import { signDocument } from '#domain/proof/sign';
import type { JsonObject } from '#domain/verify/types';
import { startTestStack, type TestStack } from '#test/local-stack';

type Report = {
  verified: boolean;
  checks: Array<{ check: string; ok: boolean; message: string; warning?: true }>;
  credential?: JsonObject;
};

/** `POST /verify` and `POST /credentials/verify` on the local stack, against credentials it issued itself. */
describe('verifying over HTTP', () => {
  let stack: TestStack;
  let adminToken: string;
  let achievementId: string;
  let learnerCount = 0;

  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await stack.call(path, {
      method,
      token: adminToken,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  const issueOne = async (extra: Record<string, unknown> = {}) => {
    const learner = await admin<{ id: string }>('POST', '/learners', {
      sourcedId: `VERIFY-${++learnerCount}`,
      schoolId: 'lincoln',
      givenName: 'Vera',
      familyName: 'Fier',
      email: `vera${learnerCount}@students.example`,
      birthDate: '2008-05-01',
      role: 'student',
    });
    return admin<{ id: string; credential: JsonObject }>('POST', '/credentials', { learnerId: learner.id, achievementId, ...extra });
  };

  const verify = async (body: string | Uint8Array, contentType = 'application/json'): Promise<{ status: number; report: Report }> => {
    const response = await stack.call('/verify', { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, report: (await response.json()) as Report };
  };
  const check = (report: Report, name: string) => report.checks.find((entry) => entry.check === name);

  beforeAll(async () => {
    stack = await startTestStack();
    adminToken = await stack.tokenFor({ sub: 'v-admin', role: 'admin' });
    const issuer = (await admin<{ items: Array<{ id: string; schoolId?: string }> }>('GET', '/issuers?limit=100')).items.find(
      (item) => item.schoolId === 'lincoln',
    )!;
    achievementId = (
      await admin<{ id: string }>('POST', '/achievements', {
        issuerId: issuer.id,
        name: 'Verifier Test',
        description: 'd',
        criteria: { narrative: 'n' },
      })
    ).id;
  });
  afterAll(async () => stack?.dispose());

  it('verifies a credential Merit issued, then fails status in the very next request after revocation', async () => {
    // Prepare
    const issued = await issueOne();

    // Act
    const before = await verify(JSON.stringify(issued.credential));
    await admin('POST', `/credentials/${issued.id}/revoke`, { reason: 'issued in error' });
    const after = await verify(JSON.stringify(issued.credential));

    // Assess
    expect(before.status).toBe(200);
    expect(before.report.verified, JSON.stringify(before.report.checks)).toBe(true);
    expect(before.report.checks.map((entry) => entry.check)).toEqual(['parse', 'schema', 'proof', 'status', 'validity']);
    expect(after.report.verified).toBe(false);
    expect(check(after.report, 'status')).toMatchObject({ ok: false, message: 'The issuer has revoked this credential.' });
  });

  it('fails validity for an expired credential', async () => {
    // Prepare
    const issued = await issueOne({ validFrom: '2020-01-01', validUntil: '2021-01-01' });

    // Act
    const { report } = await verify(JSON.stringify(issued.credential));

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.ok).toBe(true);
    expect(check(report, 'validity')?.message).toMatch(/has expired/);
  });

  it("refuses a credential forged with our issuer's id and an attacker's key", async () => {
    // Prepare
    const { proof: _proof, ...unsigned } = (await issueOne()).credential;
    const attacker = LocalSigner.generate();
    const issuerId = (unsigned['issuer'] as JsonObject)['id'] as string;
    const forged = await signDocument({ ...unsigned, name: 'Valedictorian' } as JsonObject, attacker, {
      verificationMethod: `${issuerId}#${attacker.keyId}`,
    });

    // Act
    const { report } = await verify(JSON.stringify(forged));

    // Assess
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')?.message).toMatch(/not signed by the issuer/);
  });

  it.each([
    ['png', 'image/png'],
    ['svg', 'image/svg+xml'],
  ])('verifies the baked %s image uploaded as %s', async (format, contentType) => {
    // Prepare
    const issued = await issueOne();
    const image = await stack.call(`/credentials/${issued.id}?format=${format}`, { token: adminToken });
    const bytes = new Uint8Array(await image.arrayBuffer());

    // Act
    const { status, report } = await verify(bytes, contentType);

    // Assess
    expect(image.status).toBe(200);
    expect(status).toBe(200);
    expect(report.verified, JSON.stringify(report.checks)).toBe(true);
    expect(check(report, 'parse')?.message).toMatch(new RegExp(format.toUpperCase()));
    expect(report.credential?.['id']).toBe(issued.credential['id']);
  });

  it('checks the recipient e-mail against the hashed identifier', async () => {
    // Prepare
    const issued = await issueOne();

    // Act
    const right = await verify(
      JSON.stringify({ credential: issued.credential, recipient: { email: `VERA${learnerCount}@students.example` } }),
    );
    const wrong = await verify(JSON.stringify({ credential: issued.credential, recipient: { email: 'someone@else.example' } }));

    // Assess
    expect(check(right.report, 'recipient')?.ok).toBe(true);
    expect(right.report.verified).toBe(true);
    expect(wrong.report.verified).toBe(false);
  });

  it.each([
    ['not JSON', '{"credential": ', 'application/json', 400],
    ['a JWT with alg none', 'eyJhbGciOiJub25lIn0.eyJ2YyI6eyJpc3N1ZXIiOiJkaWQ6d2ViOmV4YW1wbGUuY29tIn19.', 'text/plain', 200],
    ['garbage PNG', '\u0089PNG garbage', 'image/png', 200],
    ['deeply nested JSON', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json', 400],
    ['an unknown media type', 'x', 'application/pdf', 415],
    ['an empty object', '{}', 'application/json', 200],
  ])('answers %s with a clear refusal, never a 500', async (_name, body, contentType, expected) => {
    // Act
    const response = await stack.call('/verify', { method: 'POST', headers: { 'content-type': contentType }, body });
    const answer = (await response.json()) as Report & { error?: { message: string } };

    // Assess
    expect(response.status).toBe(expected);
    if (expected === 200) {
      expect(answer.verified).toBe(false);
      expect(answer.checks.find((entry) => !entry.ok)?.message).toBeTruthy();
    } else {
      expect(answer.error?.message).toBeTruthy();
    }
  });

  it('refuses a body over 2 MiB that is not an image with 413', async () => {
    // Act
    const response = await stack.call('/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: { name: 'x'.repeat(3 * 1024 * 1024) } }),
    });

    // Assess
    expect(response.status).toBe(413);
  });

  it('refuses a 10 MB+ upload with 413', async () => {
    // Act
    const response = await stack.call('/verify', {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(11 * 1024 * 1024),
    });

    // Assess
    expect(response.status).toBe(413);
  });

  it('answers the W3C VC-API: 200 with the passed checks, 400 with errors', async () => {
    // Prepare
    const issued = await issueOne();
    const call = (body: unknown) =>
      stack.call('/credentials/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // Act
    const good = await call({ verifiableCredential: issued.credential, options: {} });
    const bad = await call({ verifiableCredential: { ...issued.credential, name: 'Changed' } });
    const malformed = await call({ credential: issued.credential });

    // Assess
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ checks: ['schema', 'proof', 'status', 'validity'], warnings: [], errors: [] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: string[] }).errors).toContain(
      "The signature does not match the credential's content: it was changed after signing.",
    );
    expect(malformed.status).toBe(400);
  });
});
