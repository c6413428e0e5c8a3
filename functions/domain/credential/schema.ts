/**
 * Validation against the official OB 3.0 AchievementCredential JSON Schema (draft 2019-09, bundled copy of
 * 1EdTech's `ob_v3p0_achievementcredential_schema.json`), plus the one conformance rule the schema cannot express:
 * the subject is identified by an `id` and/or an `identifier` (OB 3.0 §Verification, step 1).
 */
import type { ErrorObject } from 'ajv';
// Compiled ahead of time by scripts/compile-schemas.ts: compiling the schema at run time cost the first /verify ~850 ms.
import { validateAchievementCredentialSchema } from '../ob3/validate-achievement-credential.generated.js';

export type SchemaError = {
  /** JSON Pointer to the offending value, `''` for the root. */
  path: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `minItems`, …). */
  keyword: string;
  /** What failed, for a person. */
  message: string;
};

const toSchemaError = (error: ErrorObject): SchemaError => {
  const allowed = Array.isArray(error.params['allowedValues']) ? ` (one of: ${error.params['allowedValues'].join(', ')})` : '';
  return {
    path: error.instancePath,
    keyword: error.keyword,
    message: `${error.instancePath || 'the credential'} ${error.message ?? 'is invalid'}${allowed}`,
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Subjects without `id` or `identifier` (the schema allows them; the OB 3.0 verification rules do not). */
const unidentifiedSubjects = (json: unknown): SchemaError[] => {
  if (!isRecord(json)) return [];
  const subject = json['credentialSubject'];
  if (!isRecord(subject)) return [];
  const hasId = typeof subject['id'] === 'string' && subject['id'] !== '';
  const hasIdentifier = Array.isArray(subject['identifier']) && subject['identifier'].length > 0;
  return hasId || hasIdentifier
    ? []
    : [{ path: '/credentialSubject', keyword: 'identified', message: '/credentialSubject must have an id or an identifier' }];
};

/**
 * Errors of `json` as an OB 3.0 AchievementCredential / OpenBadgeCredential; an empty list means valid. Never throws
 * on bad input.
 */
export const validateAchievementCredential = (json: unknown): SchemaError[] => {
  const schemaErrors = validateAchievementCredentialSchema(json)
    ? []
    : (validateAchievementCredentialSchema.errors ?? []).map(toSchemaError);
  return [...schemaErrors, ...unidentifiedSubjects(json)];
};
