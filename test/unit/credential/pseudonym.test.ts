import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashedIdentityObject, identityHash, matchesIdentityObject } from '#domain/credential/identity';
import { districtPseudonym } from '#domain/credential/pseudonym';

const pepper = 'a-deployment-secret-pepper-of-64-characters-0123456789abcdefghij';

describe('the district pseudonym (DESIGN §2)', () => {
  it('is a keyed hash: it depends on the pepper, ignores surrounding spaces, and is not the tombstone hash', () => {
    // Act
    const pseudonym = districtPseudonym(pepper, '100200');

    // Assess
    expect(pseudonym).toMatch(/^[0-9a-f]{64}$/);
    expect(districtPseudonym(pepper, ' 100200 ')).toBe(pseudonym);
    expect(districtPseudonym('another-pepper', '100200')).not.toBe(pseudonym);
    expect(districtPseudonym(pepper, '100201')).not.toBe(pseudonym);
    // features/learners/learner-hash.ts learnerHash: sha256(pepper NUL id), the tombstone of a deleted learner
    expect(pseudonym).not.toBe(createHash('sha256').update(`${pepper}\u0000100200`).digest('hex'));
  });

  it('cannot be brute-forced from a published salt: no 6-digit student number hashes to the identifier', () => {
    // Prepare: the IdentityObject a credential publishes for student 123456
    const published = hashedIdentityObject('identifier', districtPseudonym(pepper, '123456'));

    // Act: what an attacker without the pepper can try: every 6-digit id, hashed with the salt as OB 3.0 does
    const hits: string[] = [];
    for (let n = 0; n < 1_000_000; n++) {
      const id = String(n).padStart(6, '0');
      if (identityHash(id, published.salt) === published.identityHash) hits.push(id);
    }

    // Assess: nothing found; the holder of the pepper recognises the student at once
    expect(hits).toEqual([]);
    expect(matchesIdentityObject(published, { value: '123456' })).toBe(false);
    expect(matchesIdentityObject(published, { value: districtPseudonym(pepper, '123456') })).toBe(true);
  }, 120_000); // a million hashes on a shared machine: room, not a threshold
});
