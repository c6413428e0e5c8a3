import { describe, expect, it } from 'vitest';
import { buildCredential, CredentialInputError } from '#domain/credential/build';
import { identityHash } from '#domain/credential/identity';
import { validateAchievementCredential } from '#domain/credential/schema';
import { baseUrl, fullCredentialInput, minimalCredentialInput } from '../../fixtures/ob3/credential-input';

/** Every path in a JSON value whose value is null, undefined or an empty array. */
const emptyPaths = (value: unknown, path = ''): string[] => {
  if (value === null || value === undefined) return [path];
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((item, index) => emptyPaths(item, `${path}/${index}`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => emptyPaths(item, `${path}/${key}`));
  return [];
};

describe('buildCredential', () => {
  it('builds the OpenBadgeCredential of DESIGN §2 from a full input', () => {
    // Prepare: deterministic salts so the whole document can be compared.
    const salts = ['salt-1', 'salt-2'];
    const input = fullCredentialInput();

    // Act
    const credential = buildCredential(input, { salt: () => salts.shift() ?? 'unexpected' });

    // Assess
    expect(credential).toEqual({
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
      ],
      id: 'urn:uuid:2f1c7b9e-6f0e-4c51-9d1e-0b8f5d1c2a11',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: 'OSHA 10 Construction',
      issuer: {
        id: 'did:web:credentials.district.example:issuers:lincoln-high',
        type: ['Profile'],
        name: 'Lincoln High School',
        url: 'https://lincoln.district.example',
        email: 'office@lincoln.district.example',
        image: { id: 'https://lincoln.district.example/logo.png', type: 'Image' },
        parentOrg: {
          id: 'did:web:credentials.district.example:issuers:district',
          type: ['Profile'],
          name: 'Riverside Unified School District',
        },
      },
      validFrom: '2025-01-15T00:00:00Z',
      validUntil: '2030-01-15T00:00:00Z',
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [
          {
            type: 'IdentityObject',
            identityType: 'identifier',
            hashed: true,
            salt: 'salt-1',
            identityHash: identityHash('S-0012345', 'salt-1'),
          },
          {
            type: 'IdentityObject',
            identityType: 'emailAddress',
            hashed: true,
            salt: 'salt-2',
            identityHash: identityHash('jane.doe@students.district.example', 'salt-2'),
          },
          { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Jane Doe' },
        ],
        achievement: {
          id: `${baseUrl}/achievements/osha-10-construction`,
          type: ['Achievement'],
          name: 'OSHA 10 Construction',
          description: 'Ten hours of construction-industry safety training.',
          criteria: { narrative: 'Complete the ten-hour OSHA Outreach course and pass the final assessment.' },
          image: { id: 'https://lincoln.district.example/badges/osha10.png', type: 'Image', caption: 'OSHA 10 badge' },
          achievementType: 'Certification',
          alignment: [
            {
              type: ['Alignment'],
              targetName: 'OSHA Outreach Training: Construction 10-hour',
              targetUrl: 'https://www.osha.gov/training/outreach',
              targetFramework: 'OSHA Outreach',
              targetCode: 'CONST-10',
              targetType: 'ceterms:Credential',
            },
          ],
          creditsAvailable: 10,
          tag: ['cte', 'safety'],
          humanCode: 'OSHA-10-CONSTRUCTION',
        },
        creditsEarned: 10,
        narrative: 'Completed the course in the spring CTE block.',
        result: [{ type: ['Result'], value: 'Pass', status: 'Completed' }],
      },
      evidence: [
        {
          type: ['Evidence'],
          id: 'https://lincoln.district.example/evidence/osha-card-123',
          name: 'OSHA card',
          narrative: 'Card issued by the trainer.',
        },
      ],
      credentialSchema: [
        {
          id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
          type: '1EdTechJsonSchemaValidator2019',
        },
      ],
      credentialStatus: {
        id: `${baseUrl}/status/list-1#4242`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '4242',
        statusListCredential: `${baseUrl}/status/list-1`,
      },
    });
  });

  it('never carries the plain student id or e-mail', () => {
    // Prepare
    const input = fullCredentialInput();

    // Act
    const json = JSON.stringify(buildCredential(input)).toLowerCase();

    // Assess
    expect(json).not.toContain('s-0012345');
    expect(json).not.toContain('jane.doe@students.district.example');
  });

  it('omits absent and empty optional fields: no nulls, no empty arrays, no empty strings', () => {
    // Prepare
    const input = {
      ...minimalCredentialInput(),
      evidence: [],
      result: [{}],
      narrative: '',
      achievement: { ...minimalCredentialInput().achievement, tags: [], alignment: [], image: '' },
      recipient: { identifiers: minimalCredentialInput().recipient.identifiers, name: '  ' },
    };

    // Act
    const credential = buildCredential(input);

    // Assess
    expect(emptyPaths(credential)).toEqual([]);
    expect(Object.keys(credential)).toEqual([
      '@context',
      'id',
      'type',
      'name',
      'issuer',
      'validFrom',
      'credentialSubject',
      'credentialSchema',
      'credentialStatus',
    ]);
    expect(Object.keys(credential.credentialSubject)).toEqual(['type', 'identifier', 'achievement']);
    expect(credential.credentialSubject.identifier).toHaveLength(1);
    expect(Object.keys(credential.credentialSubject.achievement)).toEqual(['id', 'type', 'name', 'description', 'criteria']);
    expect(JSON.stringify(credential)).not.toContain('""');
  });

  it('validates against the official OB 3.0 AchievementCredential schema, once signed (proof array)', () => {
    // Prepare
    const proof = [
      {
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        created: '2025-01-15T00:00:00Z',
        proofPurpose: 'assertionMethod',
        verificationMethod: 'did:web:credentials.district.example:issuers:lincoln-high#key-1',
        proofValue: 'z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr',
      },
    ];

    // Act
    const full = validateAchievementCredential({ ...buildCredential(fullCredentialInput()), proof });
    const minimal = validateAchievementCredential({ ...buildCredential(minimalCredentialInput()), proof });

    // Assess
    expect(full).toEqual([]);
    expect(minimal).toEqual([]);
  });

  it('refuses input that cannot make a valid credential, saying which field', () => {
    // Prepare
    const cases: Array<[string, Parameters<typeof buildCredential>[0]]> = [
      ['validFrom', { ...minimalCredentialInput(), validFrom: '2025-03-01' }],
      ['validUntil must be after validFrom', { ...minimalCredentialInput(), validUntil: '2025-02-01T00:00:00Z' }],
      ['at least one identifier', { ...minimalCredentialInput(), recipient: { identifiers: [] } }],
      ['credentialStatus.index', { ...minimalCredentialInput(), credentialStatus: { listUrl: `${baseUrl}/status/x`, index: -1 } }],
      ['credentialId', { ...minimalCredentialInput(), credentialId: 'not a uri' }],
      ['achievement.id', { ...minimalCredentialInput(), achievement: { ...minimalCredentialInput().achievement, id: 'osha' } }],
    ];

    // Act / Assess
    for (const [message, input] of cases) {
      expect(() => buildCredential(input), message).toThrow(CredentialInputError);
      expect(() => buildCredential(input), message).toThrow(message);
    }
  });
});
