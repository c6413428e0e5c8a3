import { describe, expect, it } from 'vitest';
import { startPublicVerifier } from '#test/public-verifier';

/** `POST /verify` and `POST /credentials/verify` of the real public handler, counting each verification by outcome. */
describe('verifications by outcome', () => {
  it('counts a verified credential, a tampered one and a token that is no credential, on both routes, with the outcome as only dimension', async () => {
    // Prepare
    const verifier = startPublicVerifier();
    const credential = await verifier.deployment.issue();
    const tampered = { ...credential, name: 'Something else' };

    // Act
    await verifier.post('/verify', JSON.stringify(credential));
    await verifier.post('/verify', JSON.stringify(tampered));
    await verifier.post('/verify', 'eyJub3QiOiJhIHRva2VuIn0', 'text/plain');
    await verifier.post('/credentials/verify', JSON.stringify({ verifiableCredential: credential }));

    // Assess
    expect(verifier.metrics.recorded).toEqual([
      { name: 'Verifications', value: 1, dimensions: { outcome: 'verified' } },
      { name: 'Verifications', value: 1, dimensions: { outcome: 'not_verified' } },
      { name: 'Verifications', value: 1, dimensions: { outcome: 'unreadable' } },
      { name: 'Verifications', value: 1, dimensions: { outcome: 'verified' } },
    ]);
  });
});
