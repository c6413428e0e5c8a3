/**
 * The answer of `POST /verify` (DESIGN §2 "Verification", §3): every step is a named check with a message a person
 * understands; the credential is verified only when no blocking check failed.
 */
export type JsonObject = Record<string, unknown>;

export type CheckName = 'parse' | 'schema' | 'proof' | 'status' | 'validity' | 'recipient';

export interface Check {
  check: CheckName;
  ok: boolean;
  message: string;
  /**
   * Present (true) on a failed check that does not stop verification — the schema check of a credential that does
   * not declare the Open Badges schema (e.g. the official signed test vector, whose `proof` is a single object).
   */
  warning?: true;
}

export interface CredentialSummary {
  id?: string;
  name?: string;
  issuer: { id?: string; name?: string };
  validFrom?: string;
  validUntil?: string;
}

export interface VerificationReport {
  verified: boolean;
  checks: Check[];
  credential?: CredentialSummary;
}

/** How the credential reached the verifier. */
export type InputFormat = 'json' | 'jwt' | 'png' | 'svg';

/** What the verifier knows about the recipient (request field `recipient`). */
export interface RecipientQuery {
  email?: string;
  identifier?: string;
}

export const passed = (check: CheckName, message: string): Check => ({ check, ok: true, message });
export const failed = (check: CheckName, message: string): Check => ({ check, ok: false, message });
export const warned = (check: CheckName, message: string): Check => ({ check, ok: false, message, warning: true });

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `[value]` for a single value, the array itself, `[]` for undefined. */
export const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The id of the credential's issuer (a string issuer or `issuer.id`). */
export const issuerIdOf = (credential: JsonObject): string | undefined => {
  const { issuer } = credential;
  if (typeof issuer === 'string') return issuer;
  if (isObject(issuer) && typeof issuer['id'] === 'string') return issuer['id'];
  return undefined;
};

/** Shortens untrusted text quoted back in a message (no megabyte messages, no control characters). */
export const quote = (value: unknown, max = 120): string => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are replaced before a value is quoted back
  const text = (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return text.length > max ? `${text.slice(0, max)}…` : text;
};
