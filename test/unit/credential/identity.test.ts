import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCredential } from '#domain/credential/build';
import {
  hashedIdentityObject,
  identityHash,
  matchesIdentityObject,
  nameIdentityObject,
  recipientMatches,
} from '#domain/credential/identity';
import { fullCredentialInput } from '../../fixtures/ob3/credential-input';

describe('identity hashing (OB 3.0 IdentityHash)', () => {
  it('reproduces the example of the OB 3.0 specification: sha256 over identifier + salt', () => {
    // Prepare: the spec's example ('a@example.com' salted with 'Kosher').
    const expected = 'sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399';

    // Act
    const hash = identityHash('a@example.com', 'Kosher');

    // Assess
    expect(hash).toBe(expected);
  });

  it('hashes a known student id with a given salt to a known value', () => {
    // Prepare: computed once outside the code under test (`printf 'S-0012345c0ffee' | sha256sum`).
    const expectedHex = 'a63477c0ee2a752a32d7bbe47046e23bec0ce79c5889d4d7704d02b21eda3b74';

    // Act
    const object = hashedIdentityObject('identifier', ' S-0012345 ', 'c0ffee');

    // Assess
    expect(object).toEqual({
      type: 'IdentityObject',
      identityType: 'identifier',
      hashed: true,
      salt: 'c0ffee',
      identityHash: `sha256$${expectedHex}`,
    });
  });

  it('lower-cases e-mail addresses before hashing', () => {
    // Prepare
    const salt = 'abc';

    // Act
    const object = hashedIdentityObject('emailAddress', 'Jane.Doe@Example.ORG', salt);

    // Assess
    expect(object.identityHash).toBe(identityHash('jane.doe@example.org', salt));
  });

  it('uses a fresh salt for every credential, so two credentials of one learner are not linkable', () => {
    // Prepare
    const input = fullCredentialInput();

    // Act
    const first = buildCredential(input).credentialSubject.identifier;
    const second = buildCredential(input).credentialSubject.identifier;

    // Assess
    const hashed = (list: typeof first) => list.filter((entry) => entry.hashed);
    expect(hashed(first)).toHaveLength(2);
    for (const [index, entry] of hashed(first).entries()) {
      const other = hashed(second)[index];
      expect(entry.hashed && other?.hashed && entry.salt !== other.salt).toBe(true);
      expect(entry.identityHash).not.toBe(other?.identityHash);
    }
    expect(new Set(hashed(first).map((entry) => (entry.hashed ? entry.salt : ''))).size).toBe(2);
  });

  it('matches the right identifier and rejects another one', () => {
    // Prepare
    const object = hashedIdentityObject('identifier', 'S-0012345', 'pepper-free-salt');

    // Act
    const right = matchesIdentityObject(object, { value: 'S-0012345', identityType: 'identifier' });
    const rightWithoutType = matchesIdentityObject(object, { value: 'S-0012345' });
    const wrong = matchesIdentityObject(object, { value: 'S-0012346', identityType: 'identifier' });
    const wrongType = matchesIdentityObject(object, { value: 'S-0012345', identityType: 'emailAddress' });

    // Assess
    expect(right).toBe(true);
    expect(rightWithoutType).toBe(true);
    expect(wrong).toBe(false);
    expect(wrongType).toBe(false);
  });

  it('matches e-mail addresses whatever their case, and uppercase hex or md5 hashes from other issuers', () => {
    // Prepare
    const object = hashedIdentityObject('emailAddress', 'jane@example.org', 's');
    const upperHex = { ...object, identityHash: `sha256$${object.identityHash.slice(7).toUpperCase()}` };
    const md5 = {
      type: 'IdentityObject',
      identityType: 'emailAddress',
      hashed: true,
      salt: 'x',
      identityHash: `md5$${createHash('md5')
        .update('jane@example.org' + 'x')
        .digest('hex')}`,
    };

    // Act / Assess
    expect(matchesIdentityObject(object, { value: 'JANE@example.org', identityType: 'emailAddress' })).toBe(true);
    expect(matchesIdentityObject(upperHex, { value: 'jane@example.org' })).toBe(true);
    expect(matchesIdentityObject(md5, { value: 'jane@example.org' })).toBe(true);
    expect(matchesIdentityObject(md5, { value: 'john@example.org' })).toBe(false);
  });

  it('finds the recipient in a built credential by student id or e-mail, never by name alone, and refuses junk', () => {
    // Prepare
    const credential = buildCredential(fullCredentialInput());

    // Act / Assess
    expect(recipientMatches(credential, { value: 'S-0012345' })).toBe(true);
    expect(recipientMatches(credential, { value: 'jane.doe@students.district.example', identityType: 'emailAddress' })).toBe(true);
    expect(recipientMatches(credential, { value: 'S-0054321' })).toBe(false);
    expect(recipientMatches(credential, { value: 'Jane Doe' })).toBe(false);
    expect(recipientMatches(credential, { value: 'Jane Doe', identityType: 'name' })).toBe(true);
    expect(recipientMatches(null, { value: 'S-0012345' })).toBe(false);
    expect(recipientMatches({ credentialSubject: { identifier: [42, null, 'x'] } }, { value: 'S-0012345' })).toBe(false);
    expect(matchesIdentityObject(nameIdentityObject('Jane Doe'), { value: '', identityType: 'name' })).toBe(false);
  });
});
