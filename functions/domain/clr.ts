/**
 * CLR 2.0 (Comprehensive Learner Record): one `ClrCredential` bundling a learner's signed OB 3.0 credentials, the
 * pathway capstones they lead to, and how the two relate. Pure: builds the unsigned document; the service signs it
 * (eddsa-rdfc-2022, like every credential Merit issues).
 */
import type { AchievementDocument } from './achievement-document';
import type { HashedIdentityObject } from './credential/identity';
import type { Profile } from './credential/types';
import { credentialsV2ContextUrl, openBadgesContextUrl, openBadgesExtensionsContextUrl } from './credential/types';
import { contextUrls } from './proof/context-urls';

/**
 * As the official CLR 2.0 test vector: credentials v2, CLR 2.0.1, OB 3.0.3 (which defines Achievement, Profile and
 * IdentityObject) and the 1EdTech extensions (which define the `1EdTechJsonSchemaValidator2019` schema type).
 */
export const clrContexts = [credentialsV2ContextUrl, contextUrls.clr201, openBadgesContextUrl, openBadgesExtensionsContextUrl] as const;

export const clrCredentialSchemaUrl = 'https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json';

/** CLR 2.0 AssociationTypeEnum values Merit uses: a step `isPartOf` the capstone of its pathway. */
export interface ClrAssociation {
  type: 'Association';
  associationType: 'isPartOf';
  sourceId: string;
  targetId: string;
}

export interface ClrInput {
  /** `urn:uuid:…` */
  id: string;
  issuer: Profile;
  name: string;
  description?: string;
  validFrom: string;
  /** The learner, as salted hashes only. */
  identifier: HashedIdentityObject[];
  /** The learner's signed OB 3.0 credentials, embedded as they are (each keeps its own proof). */
  verifiableCredential: Array<Record<string, unknown>>;
  /** Pathway capstones. */
  achievement: AchievementDocument[];
  association: ClrAssociation[];
}

export type ClrCredential = {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'ClrCredential'];
  issuer: Profile;
  name: string;
  description?: string;
  validFrom: string;
  credentialSubject: {
    type: ['ClrSubject'];
    identifier: HashedIdentityObject[];
    verifiableCredential: Array<Record<string, unknown>>;
    achievement?: AchievementDocument[];
    association?: ClrAssociation[];
  };
  credentialSchema: Array<{ id: string; type: '1EdTechJsonSchemaValidator2019' }>;
};

/** The unsigned ClrCredential (no empty arrays: absent lists are left out, as the 1EdTech schemas want). */
export const buildClr = (input: ClrInput): ClrCredential => {
  if (input.verifiableCredential.length === 0) throw new TypeError('A CLR needs at least one credential.');
  if (input.identifier.length === 0) throw new TypeError('A CLR needs at least one identifier of its subject.');
  return {
    '@context': [...clrContexts],
    id: input.id,
    type: ['VerifiableCredential', 'ClrCredential'],
    issuer: input.issuer,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    validFrom: input.validFrom,
    credentialSubject: {
      type: ['ClrSubject'],
      identifier: input.identifier,
      verifiableCredential: input.verifiableCredential,
      ...(input.achievement.length > 0 ? { achievement: input.achievement } : {}),
      ...(input.association.length > 0 ? { association: input.association } : {}),
    },
    credentialSchema: [{ id: clrCredentialSchemaUrl, type: '1EdTechJsonSchemaValidator2019' }],
  };
};
