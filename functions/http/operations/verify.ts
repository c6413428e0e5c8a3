/**
 * `POST /verify` (Merit's answer with named checks) and `POST /credentials/verify` (W3C VC-API). Bad input is a
 * `verified: false` answer with the reason (or a 4xx for a request that is not a verification request at all),
 * never a 500.
 */
import { createHttpsKeyResolver } from '#adapters/key-resolution/https';
import { AppError } from '#domain/errors';
import { verifyBounds } from '#domain/verify/bounds';
import type { Presented } from '#domain/verify/parse';
import { presentedFromJson, presentedFromRequest } from '#domain/verify/parse';
import { isObject, type VerificationReport } from '#domain/verify/types';
import { type VerifyDependencies, verifyPresented } from '#features/verify/verify';
import type { VerificationOutcome } from '#ports/metrics';
import type { OperationContext, Operations } from '../types';

/** Others' DID documents and status lists, through the guarded fetcher, cached for the execution environment. */
const defaultKeyResolver = createHttpsKeyResolver();

/** Verification answers depend on the moment (revocation, expiry): never cached. */
const noStore = { 'cache-control': 'no-store' };

/** The resolver the dependencies carry (tests inject documents), else the HTTPS one with its timeout and cache. */
const verifyDeps = (context: OperationContext): VerifyDependencies => {
  const injected = context.deps.keyResolver;
  return { ...context.deps, keyResolver: injected ?? defaultKeyResolver };
};

/** A verification's outcome for the metric: unreadable when the presented thing did not parse as a credential. */
export const verificationOutcome = (report: VerificationReport): VerificationOutcome =>
  report.verified ? 'verified' : report.checks.some((check) => check.check === 'parse' && !check.ok) ? 'unreadable' : 'not_verified';

/** Verifies, and counts the verification by outcome (both routes). */
const verifyCounted = async (context: OperationContext, presented: Presented): Promise<VerificationReport> => {
  const report = await verifyPresented(verifyDeps(context), presented);
  context.deps.metrics.verification(verificationOutcome(report));
  return report;
};

const isImage = (contentType: string | undefined) => /^image\//i.test(contentType ?? '');

/** The VC-API VerificationResult of a report: passed check names, warnings, and the failures as errors. */
export const vcApiResult = (report: VerificationReport) => ({
  checks: report.checks.filter((check) => check.ok && check.check !== 'parse').map((check) => check.check),
  warnings: report.checks.filter((check) => !check.ok && check.warning).map((check) => check.message),
  errors: report.checks.filter((check) => !check.ok && !check.warning).map((check) => check.message),
});

export const verifyOperations: Operations = {
  verify: async (context) => {
    if (context.rawBody && !isImage(context.contentType) && context.rawBody.length > verifyBounds.maxClrBytes) {
      throw new AppError('payload_too_large', 'A credential is at most 2 MiB; only baked images may be larger (up to 10 MiB).');
    }
    const presented = presentedFromRequest(context);
    if (!presented) {
      throw new AppError(
        'unsupported_media_type',
        'Send the credential as application/json, a JWT as text/plain, or a baked badge as image/png or image/svg+xml.',
      );
    }
    return { statusCode: 200, body: await verifyCounted(context, presented), headers: noStore };
  },

  verifyCredentialVcApi: async (context) => {
    const bad = (message: string) => ({ statusCode: 400, body: { checks: [], warnings: [], errors: [message] }, headers: noStore });
    if (context.rawBody && context.json === undefined)
      throw new AppError('unsupported_media_type', 'Send the request as application/json.');
    if (context.rawBody && context.rawBody.length > verifyBounds.maxClrBytes)
      throw new AppError('payload_too_large', 'A credential is at most 2 MiB.');
    const body = context.json;
    if (!isObject(body) || body['verifiableCredential'] === undefined)
      return bad('The request must be {"verifiableCredential": …, "options"?: {…}}.');
    if (body['options'] !== undefined && !isObject(body['options'])) return bad('"options" must be an object.');
    const report = await verifyCounted(context, presentedFromJson({ verifiableCredential: body['verifiableCredential'] }));
    return { statusCode: report.verified ? 200 : 400, body: vcApiResult(report), headers: noStore };
  },
};
