/**
 * Builds the unsigned OpenBadgeCredential of DESIGN §2 from plain inputs. Pure apart from the random salt (which a
 * caller may inject). Optional fields that are absent, empty strings or empty arrays are left out: the official
 * schema forbids nulls and empty arrays.
 */
import { hashedIdentityObject, type IdentityObject, nameIdentityObject, newSalt } from './identity';
import {
  type AchievementInput,
  type AchievementSubject,
  achievementCredentialSchemaUrl,
  type BitstringStatusListEntry,
  type CredentialAchievement,
  type CredentialInput,
  credentialsV2ContextUrl,
  type Evidence,
  type Image,
  type ImageInput,
  type IssuerProfileInput,
  type OpenBadgeCredential,
  openBadgesContextUrl,
  openBadgesExtensionsContextUrl,
  type Profile,
  type Result,
} from './types';

export * from './types';

/** Thrown for input that cannot make a valid credential (a bug in the caller, not a learner-facing condition). */
export class CredentialInputError extends TypeError {
  override readonly name = 'CredentialInputError';
}

/** XML Schema dateTime with a mandatory time zone, as VC 2.0 requires of `validFrom`/`validUntil`. */
const dateTimeStamp =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

const assertDateTime = (field: string, value: string): void => {
  if (!dateTimeStamp.test(value) || Number.isNaN(Date.parse(value))) {
    throw new CredentialInputError(`${field} must be an ISO 8601 date-time with a time zone, e.g. 2025-06-01T00:00:00Z (got "${value}").`);
  }
};

const assertUri = (field: string, value: string): void => {
  if (!URL.canParse(value)) throw new CredentialInputError(`${field} must be an absolute URI (got "${value}").`);
};

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** `{key: value}` when value is a non-empty string / finite number / non-empty array, else `{}`. */
const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> => {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string' && value.trim() === '') return {};
  if (Array.isArray(value) && value.length === 0) return {};
  if (typeof value === 'number' && !Number.isFinite(value)) return {};
  return { [key]: value } as Partial<Record<K, V>>;
};

const imageOf = (image: ImageInput | undefined): Image | undefined => {
  if (image === undefined) return undefined;
  const { id, caption } = typeof image === 'string' ? { id: image, caption: undefined } : image;
  if (!present(id)) return undefined;
  return { id, type: 'Image', ...optional('caption', caption) };
};

const profileOf = (profile: IssuerProfileInput, depth = 0): Profile => {
  assertUri('issuer.id', profile.id);
  if (!present(profile.name)) throw new CredentialInputError('An issuer profile needs a name.');
  if (depth > 4) throw new CredentialInputError('parentOrg nests too deeply.');
  return {
    id: profile.id,
    type: ['Profile'],
    name: profile.name,
    ...optional('url', profile.url),
    ...optional('email', profile.email),
    ...optional('description', profile.description),
    ...optional('image', imageOf(profile.image)),
    ...optional('parentOrg', profile.parentOrg ? profileOf(profile.parentOrg, depth + 1) : undefined),
  };
};

const achievementOf = (achievement: AchievementInput): CredentialAchievement => {
  assertUri('achievement.id', achievement.id);
  if (!present(achievement.criteria.narrative) && !present(achievement.criteria.id)) {
    throw new CredentialInputError('achievement.criteria needs a narrative (or an id).');
  }
  const tags = [...new Set([...(achievement.tags ?? []), ...(achievement.tag ?? [])].filter(present))];
  const alignment = (achievement.alignment ?? []).map((entry) => ({
    type: ['Alignment'] as ['Alignment'],
    targetName: entry.targetName,
    targetUrl: entry.targetUrl,
    ...optional('targetFramework', entry.targetFramework),
    ...optional('targetCode', entry.targetCode),
    ...optional('targetDescription', entry.targetDescription),
    ...optional('targetType', entry.targetType),
  }));
  return {
    id: achievement.id,
    type: ['Achievement'],
    name: achievement.name,
    description: achievement.description,
    criteria: {
      ...optional('id', achievement.criteria.id),
      ...optional('narrative', achievement.criteria.narrative),
    } as CredentialAchievement['criteria'],
    ...optional('image', imageOf(achievement.image)),
    ...optional('achievementType', achievement.achievementType),
    ...optional('alignment', alignment),
    ...optional('creditsAvailable', achievement.creditsAvailable),
    ...optional('tag', tags),
    ...optional('humanCode', achievement.humanCode),
    ...optional('creator', achievement.creator ? profileOf(achievement.creator) : undefined),
  };
};

const statusEntryOf = (status: CredentialInput['credentialStatus']): BitstringStatusListEntry => {
  assertUri('credentialStatus.listUrl', status.listUrl);
  if (!Number.isSafeInteger(status.index) || status.index < 0) {
    throw new CredentialInputError(`credentialStatus.index must be a non-negative integer (got ${status.index}).`);
  }
  return {
    id: `${status.listUrl}#${status.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(status.index),
    statusListCredential: status.listUrl,
  };
};

export type BuildOptions = {
  /** Source of salts (one per hashed identifier); a fresh random one each time by default. */
  salt?: () => string;
};

/** The unsigned OpenBadgeCredential (DESIGN §2) for one learner and one achievement. */
export const buildCredential = (input: CredentialInput, options: BuildOptions = {}): OpenBadgeCredential => {
  const salt = options.salt ?? newSalt;
  assertUri('credentialId', input.credentialId);
  assertDateTime('validFrom', input.validFrom);
  if (input.validUntil !== undefined) {
    assertDateTime('validUntil', input.validUntil);
    if (Date.parse(input.validUntil) <= Date.parse(input.validFrom)) {
      throw new CredentialInputError('validUntil must be after validFrom.');
    }
  }
  if (input.recipient.identifiers.length === 0) {
    throw new CredentialInputError('The recipient needs at least one identifier (student id or e-mail).');
  }
  const identifier: IdentityObject[] = input.recipient.identifiers.map(({ identityType, value }) =>
    hashedIdentityObject(identityType, value, salt()),
  );
  if (present(input.recipient.name)) identifier.push(nameIdentityObject(input.recipient.name));

  const evidence: Evidence[] = (input.evidence ?? [])
    .map((entry) => ({
      type: ['Evidence'] as ['Evidence'],
      ...optional('id', entry.id),
      ...optional('name', entry.name),
      ...optional('narrative', entry.narrative),
      ...optional('description', entry.description),
    }))
    .filter((entry) => Object.keys(entry).length > 1);
  for (const entry of evidence) if (entry.id !== undefined) assertUri('evidence.id', entry.id);

  const result: Result[] = (input.result ?? [])
    .map((entry) => ({
      type: ['Result'] as ['Result'],
      ...optional('value', entry.value),
      ...optional('status', entry.status),
      ...optional('achievedLevel', entry.achievedLevel),
      ...optional('resultDescription', entry.resultDescription),
    }))
    .filter((entry) => Object.keys(entry).length > 1);

  const achievement = achievementOf(input.achievement);
  const credentialSubject: AchievementSubject = {
    type: ['AchievementSubject'],
    identifier,
    achievement,
    ...optional('creditsEarned', input.creditsEarned),
    ...optional('narrative', input.narrative),
    ...optional('result', result),
  };

  return {
    '@context': [credentialsV2ContextUrl, openBadgesContextUrl, openBadgesExtensionsContextUrl],
    id: input.credentialId,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: present(input.name) ? input.name : achievement.name,
    issuer: profileOf(input.issuer),
    validFrom: input.validFrom,
    ...optional('validUntil', input.validUntil),
    credentialSubject,
    ...optional('evidence', evidence),
    credentialSchema: [{ id: achievementCredentialSchemaUrl, type: '1EdTechJsonSchemaValidator2019' }],
    credentialStatus: statusEntryOf(input.credentialStatus),
  };
};
