/**
 * The pure checks of verification: schema (DESIGN §2 step 2), validity dates (step 5) and recipient (step 6).
 */

import { type KnownIdentifier, recipientMatches } from '#domain/credential/identity';
import { validateAchievementCredential } from '#domain/credential/schema';
import { asArray, type Check, failed, isObject, type JsonObject, passed, quote, type RecipientQuery, warned } from './types';

const obTypes = ['OpenBadgeCredential', 'AchievementCredential'];
const obSchemaUrl = /\/ob_v3p0_achievementcredential_schema\.json$/;

/** Does the credential itself say it must conform to the OB 3.0 JSON schema (`credentialSchema`, OB 3.0 §9.1)? */
export const declaresObSchema = (credential: JsonObject): boolean =>
  asArray(credential['credentialSchema']).some(
    (entry) =>
      isObject(entry) &&
      entry['type'] === '1EdTechJsonSchemaValidator2019' &&
      typeof entry['id'] === 'string' &&
      obSchemaUrl.test(entry['id']),
  );

/**
 * The official OB 3.0 AchievementCredential schema, and a subject identified by `id` or `identifier`. A schema
 * failure blocks verification when the credential declares that schema (as Merit's own credentials do) and
 * whenever the subject is unidentified; otherwise it is reported as a warning, honestly, without blocking (the
 * official signed test vector has a single-object `proof`; VC 1.1 credentials use the v1 context).
 */
export const schemaCheck = (credential: JsonObject): Check => {
  const types = asArray(credential['type']);
  if (!types.some((type) => typeof type === 'string' && obTypes.includes(type))) {
    const named = types.filter((type): type is string => typeof type === 'string' && type !== 'VerifiableCredential');
    return warned(
      'schema',
      `This is ${named.length ? `a ${quote(named.join(', '), 80)}` : 'a credential'}, not an Open Badge: the Open Badges 3.0 schema was not applied.`,
    );
  }
  const errors = validateAchievementCredential(credential);
  if (errors.length === 0) return passed('schema', 'The credential follows the official Open Badges 3.0 schema.');
  const listed = errors
    .slice(0, 3)
    .map((error) => error.message)
    .join('; ');
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  const summary = `The credential does not follow the Open Badges 3.0 schema: ${quote(listed, 400)}${more}.`;
  if (errors.some((error) => error.keyword === 'identified')) {
    return failed('schema', `${summary} An Open Badge must say whom it was issued to.`);
  }
  if (declaresObSchema(credential)) return failed('schema', summary);
  return warned('schema', `${summary} It does not declare that schema itself, so this alone does not stop it verifying.`);
};

const parseDate = (value: unknown): Date | undefined | 'invalid' => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return 'invalid';
  const time = Date.parse(value);
  return Number.isNaN(time) ? 'invalid' : new Date(time);
};

const day = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

/** Not before `validFrom` (VC 1.1 `issuanceDate`), not after `validUntil` (`expirationDate`), at `now`. */
export const validityCheck = (credential: JsonObject, now: Date): Check => {
  const fromKey = credential['validFrom'] !== undefined ? 'validFrom' : 'issuanceDate';
  const untilKey = credential['validUntil'] !== undefined ? 'validUntil' : 'expirationDate';
  const from = parseDate(credential[fromKey]);
  const until = parseDate(credential[untilKey]);
  if (from === 'invalid')
    return failed('validity', `The credential's start date (${fromKey}: ${quote(credential[fromKey], 60)}) is not a date and time.`);
  if (until === 'invalid')
    return failed('validity', `The credential's end date (${untilKey}: ${quote(credential[untilKey], 60)}) is not a date and time.`);
  if (from && now < from) return failed('validity', `The credential is not valid yet: it is valid from ${day(from)}.`);
  if (until && now > until) return failed('validity', `The credential has expired: it was valid until ${day(until)}.`);
  const since = from ? `It is valid since ${day(from)}` : 'It has no start date';
  return passed('validity', `${since}${until ? ` and until ${day(until)}.` : ', with no expiry date.'}`);
};

/**
 * The optional recipient check: the e-mail or identifier the verifier knows, against the hashed IdentityObjects.
 * `identifierPseudonym` is the identifier's district pseudonym (DESIGN §2), which this deployment's credentials
 * hash; the bare identifier is tried too (credentials issued before that rule, and other issuers').
 */
export const recipientCheck = (credential: JsonObject, query: RecipientQuery, identifierPseudonym?: string): Check => {
  const known: { forms: KnownIdentifier[]; what: string }[] = [];
  if (typeof query.email === 'string' && query.email.trim() !== '')
    known.push({ forms: [{ value: query.email, identityType: 'emailAddress' }], what: 'e-mail address' });
  if (typeof query.identifier === 'string' && query.identifier.trim() !== '') {
    const pseudonym: KnownIdentifier[] = identifierPseudonym ? [{ value: identifierPseudonym, identityType: 'identifier' }] : [];
    known.push({ forms: [...pseudonym, { value: query.identifier }], what: 'identifier' });
  }
  if (known.length === 0) return failed('recipient', 'No e-mail address or identifier was given to compare with the recipient.');
  const what = known.map((entry) => entry.what).join(' and ');
  const matches = known.every((entry) => entry.forms.some((form) => recipientMatches(credential, form)));
  return matches
    ? passed('recipient', `The credential was issued to the person with this ${what}.`)
    : failed('recipient', `The credential was not issued to the person with this ${what}.`);
};
