/**
 * The OpenBadgeCredential Merit emits (DESIGN §2) and what it is built from. Type aliases (not interfaces) on purpose:
 * they are assignable to `Record<string, unknown>`, which is how stores and signers hold JSON-LD documents.
 */
import type { HashedIdentityType, IdentityObject } from './identity';

export const credentialsV2ContextUrl = 'https://www.w3.org/ns/credentials/v2';
export const openBadgesContextUrl = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const openBadgesExtensionsContextUrl = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
export const achievementCredentialSchemaUrl =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/** An image URL (HTTPS or `data:`), or an Image object without its `type`. */
export type ImageInput = string | { id: string; caption?: string };

export type IssuerProfileInput = {
  /** The issuer's DID (`did:web:<host>:issuers:<id>`). */
  id: string;
  name: string;
  url?: string;
  email?: string;
  description?: string;
  image?: ImageInput;
  /** The district, when a school issues. */
  parentOrg?: IssuerProfileInput;
};

export type AlignmentInput = {
  targetName: string;
  targetUrl: string;
  targetFramework?: string;
  targetCode?: string;
  targetDescription?: string;
  /** AlignmentTargetType: `ceasn:Competency`, `ceterms:Credential`, `CFItem`, `CFRubric`, … or `ext:…`. */
  targetType?: string;
};

export type AchievementInput = {
  /** HTTPS URL of the achievement's public criteria page. */
  id: string;
  name: string;
  description: string;
  criteria: { id?: string; narrative: string };
  image?: ImageInput;
  /** AchievementType: `Badge`, `Certificate`, `Certification`, `License`, `Competency`, … or `ext:…`. */
  achievementType?: string;
  alignment?: readonly AlignmentInput[];
  /** E.g. PD hours on offer. */
  creditsAvailable?: number;
  tags?: readonly string[];
  /** The OB spelling of `tags` (as an Achievement document carries it); merged with `tags`. */
  tag?: readonly string[];
  /** E.g. the achievement code `OSHA-10-CONSTRUCTION`. */
  humanCode?: string;
  creator?: IssuerProfileInput;
};

export type RecipientInput = {
  /** Hashed with a fresh salt per credential; at least one is required. */
  identifiers: ReadonlyArray<{ identityType: HashedIdentityType; value: string }>;
  /** "Given Family"; carried as a plain `name` IdentityObject when given (district policy may leave it out). */
  name?: string;
};

export type EvidenceInput = { id?: string; name?: string; narrative?: string; description?: string };

export type ResultInput = { value?: string; status?: string; achievedLevel?: string; resultDescription?: string };

export type CredentialInput = {
  /** `urn:uuid:…` or the credential's HTTPS URL. */
  credentialId: string;
  issuer: IssuerProfileInput;
  achievement: AchievementInput;
  recipient: RecipientInput;
  /** ISO 8601 date-time with a time zone. */
  validFrom: string;
  validUntil?: string;
  /** The credential's name; defaults to the achievement's. */
  name?: string;
  evidence?: readonly EvidenceInput[];
  creditsEarned?: number;
  /** Narrative of how this learner met the criteria (AchievementSubject.narrative). */
  narrative?: string;
  result?: readonly ResultInput[];
  credentialStatus: { listUrl: string; index: number };
};

export type Image = { id: string; type: 'Image'; caption?: string };

export type Profile = {
  id: string;
  type: ['Profile'];
  name: string;
  url?: string;
  email?: string;
  description?: string;
  image?: Image;
  parentOrg?: Profile;
};

export type Alignment = AlignmentInput & { type: ['Alignment'] };

/** The achievement as a signed credential carries it (OB 3.0 JSON); the stored record is `#domain/achievements` `Achievement`. */
export type CredentialAchievement = {
  id: string;
  type: ['Achievement'];
  name: string;
  description: string;
  criteria: { id?: string; narrative: string };
  image?: Image;
  achievementType?: string;
  alignment?: Alignment[];
  creditsAvailable?: number;
  tag?: string[];
  humanCode?: string;
  creator?: Profile;
};

export type Evidence = EvidenceInput & { type: ['Evidence'] };

export type Result = ResultInput & { type: ['Result'] };

export type AchievementSubject = {
  type: ['AchievementSubject'];
  identifier: IdentityObject[];
  achievement: CredentialAchievement;
  creditsEarned?: number;
  narrative?: string;
  result?: Result[];
};

export type BitstringStatusListEntry = {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation';
  statusListIndex: string;
  statusListCredential: string;
};

export type OpenBadgeCredential = {
  /**
   * The extensions context is there because `credentialSchema` uses the 1EdTech extension type
   * `1EdTechJsonSchemaValidator2019` (DESIGN §2: "+ extensions.json where a 1EdTech extension type is used"); without
   * it the type is an undefined JSON-LD term and Data Integrity signing (safe mode) rightly refuses the document.
   */
  '@context': [typeof credentialsV2ContextUrl, typeof openBadgesContextUrl, typeof openBadgesExtensionsContextUrl];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  name: string;
  issuer: Profile;
  validFrom: string;
  validUntil?: string;
  credentialSubject: AchievementSubject;
  evidence?: Evidence[];
  credentialSchema: [{ id: typeof achievementCredentialSchemaUrl; type: '1EdTechJsonSchemaValidator2019' }];
  credentialStatus: BitstringStatusListEntry;
};
