import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateAchievementCredential } from '#domain/credential/schema';
import bundledSchema from '../../../functions/domain/ob3/achievementcredential-schema.json' with { type: 'json' };
import vector from '../../fixtures/ob3/official/test-vectors/ob-eddsa-rdfc-2022-test-vector.json' with { type: 'json' };

const sharedSchemaPath = new URL('../../fixtures/ob3/official/schema/achievementcredential.json', import.meta.url);

describe('validateAchievementCredential (official OB 3.0 JSON Schema, Ajv 2019-09)', () => {
  it('bundles the official schema unchanged', () => {
    // Prepare
    const official: unknown = JSON.parse(readFileSync(sharedSchemaPath, 'utf8'));

    // Act / Assess
    expect(bundledSchema).toEqual(official);
  });

  it('rejects the official signed test vector as is, because its proof is an object (the schema wants an array)', () => {
    // Prepare
    const signed = vector['Signed credential'];

    // Act
    const asIs = validateAchievementCredential(signed);
    const withProofArray = validateAchievementCredential({ ...signed, proof: [signed.proof] });

    // Assess
    expect(asIs.some((error) => error.path === '/proof' && error.keyword === 'type')).toBe(true);
    expect(withProofArray).toEqual([]);
  });

  it('lists typed errors with JSON pointers for a malformed credential, and never throws on junk', () => {
    // Prepare
    const broken = {
      ...vector['Signed credential'],
      proof: [vector['Signed credential'].proof],
      type: ['VerifiableCredential'],
      validFrom: null,
      credentialSubject: { type: ['AchievementSubject'], achievement: vector.Credential.credentialSubject.achievement },
    };

    // Act
    const errors = validateAchievementCredential(broken);
    const junk = [null, 42, 'text', [], {}].map((value) => validateAchievementCredential(value));

    // Assess
    expect(errors.map((error) => error.path)).toEqual(expect.arrayContaining(['/type', '/validFrom', '/credentialSubject']));
    expect(errors.find((error) => error.keyword === 'identified')?.message).toBe('/credentialSubject must have an id or an identifier');
    for (const error of errors) {
      expect(typeof error.message).toBe('string');
      expect(typeof error.keyword).toBe('string');
    }
    for (const result of junk) expect(result.length).toBeGreaterThan(0);
  });
});
