/**
 * The one route table. The deployed HTTP API (lib/api.ts), the local server and the Lambda dispatchers all read
 * it, so no route can exist in one and not the other. Plain data: importing it pulls in no handler code.
 */
import type { Role } from '#domain/access';

export type { Role };

/** Which Lambda serves the route: `public` is the small unauthenticated bundle, `api` the staff/learner one. */
export type LambdaName = 'public' | 'api';

export interface RouteDefinition {
  /** Unique, camelCase; the OpenAPI operationId and the key of the implementation. */
  operationId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** API Gateway path syntax: `/achievements/{id}`. */
  path: string;
  lambda: LambdaName;
  /** `public`: no token. Otherwise the roles that may call the route (scope checks happen in the operation). */
  access: 'public' | readonly Role[];
  summary: string;
}

const staff = ['admin', 'issuer', 'viewer'] as const satisfies readonly Role[];
const everyone = ['admin', 'issuer', 'viewer', 'learner', 'guardian'] as const satisfies readonly Role[];

export const routes: readonly RouteDefinition[] = [
  // Public, no token.
  { operationId: 'health', method: 'GET', path: '/health', lambda: 'public', access: 'public', summary: 'Liveness check' },
  {
    operationId: 'openApi',
    method: 'GET',
    path: '/openapi.json',
    lambda: 'public',
    access: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
  },
  {
    operationId: 'getIssuerProfile',
    method: 'GET',
    path: '/issuers/{id}',
    lambda: 'public',
    access: 'public',
    summary: 'An issuer Profile (JSON-LD)',
  },
  {
    operationId: 'getIssuerDidDocument',
    method: 'GET',
    path: '/issuers/{id}/did.json',
    lambda: 'public',
    access: 'public',
    summary: "An issuer's did:web DID document with its verification methods",
  },
  {
    operationId: 'getStatusList',
    method: 'GET',
    path: '/status/{listId}',
    lambda: 'public',
    access: 'public',
    summary: 'A signed BitstringStatusListCredential',
  },
  {
    operationId: 'getSharedCredential',
    method: 'GET',
    path: '/shared/{token}',
    lambda: 'public',
    access: 'public',
    summary: 'A credential its holder chose to share: HTML page, JSON (Accept or ?format=json) or baked image (?format=png|svg)',
  },
  {
    operationId: 'getAchievementPage',
    method: 'GET',
    path: '/achievements/{id}',
    lambda: 'public',
    access: 'public',
    summary: 'Public criteria page: HTML, or Achievement JSON-LD for Accept: application/json',
  },

  // Staff and learners, Bearer token.
  {
    operationId: 'createIssuer',
    method: 'POST',
    path: '/issuers',
    lambda: 'api',
    access: ['admin'],
    summary: 'Create a school or district issuer profile',
  },
  { operationId: 'listIssuers', method: 'GET', path: '/issuers', lambda: 'api', access: ['admin'], summary: 'List issuer profiles' },
  {
    operationId: 'updateIssuer',
    method: 'PATCH',
    path: '/issuers/{id}',
    lambda: 'api',
    access: ['admin'],
    summary: "Change a school's or the district's profile, or the SIS school codes and names that map drop rows to it",
  },
  {
    operationId: 'createAchievement',
    method: 'POST',
    path: '/achievements',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'Define an achievement (badge, industry credential, PD credit)',
  },
  {
    operationId: 'listAchievements',
    method: 'GET',
    path: '/achievements',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'List achievements, optionally by issuer',
  },
  {
    operationId: 'updateAchievement',
    method: 'PATCH',
    path: '/achievements/{id}',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'Change an achievement',
  },
  {
    operationId: 'createLearner',
    method: 'POST',
    path: '/learners',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'Register a student or staff member',
  },
  {
    operationId: 'findLearners',
    method: 'GET',
    path: '/learners',
    lambda: 'api',
    access: staff,
    summary: 'Find learners by SIS id (sourcedId)',
  },
  {
    operationId: 'getLearner',
    method: 'GET',
    path: '/learners/{id}',
    lambda: 'api',
    access: staff,
    summary: "A learner's record (audited read)",
  },
  {
    operationId: 'deleteLearner',
    method: 'DELETE',
    path: '/learners/{id}',
    lambda: 'api',
    access: ['admin', 'guardian', 'learner'],
    summary: 'Delete a learner: PII, credential copies and images are erased, credentials revoked, a receipt without PII kept',
  },
  {
    operationId: 'recordConsent',
    method: 'POST',
    path: '/learners/{id}/consent',
    lambda: 'api',
    access: ['admin', 'guardian'],
    summary: 'Record a parent’s consent decision (COPPA); granting issues pending credentials',
  },
  {
    operationId: 'issueCredential',
    method: 'POST',
    path: '/credentials',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'Issue a credential (idempotent per learner, achievement and source)',
  },
  {
    operationId: 'getCredential',
    method: 'GET',
    path: '/credentials/{id}',
    lambda: 'api',
    access: everyone,
    summary: 'A signed credential',
  },
  {
    operationId: 'revokeCredential',
    method: 'POST',
    path: '/credentials/{id}/revoke',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'Revoke a credential: its status bit is set and the list re-signed',
  },
  {
    operationId: 'createShare',
    method: 'POST',
    path: '/credentials/{id}/shares',
    lambda: 'api',
    access: ['admin', 'learner', 'guardian'],
    summary: 'Create an expiring share link (learner 13+, guardian, admin)',
  },
  {
    operationId: 'withdrawShare',
    method: 'DELETE',
    path: '/credentials/{id}/shares/{token}',
    lambda: 'api',
    access: ['admin', 'learner', 'guardian'],
    summary: 'Withdraw a share link',
  },
  {
    operationId: 'createClrShare',
    method: 'POST',
    path: '/learners/{id}/clr/shares',
    lambda: 'api',
    access: ['admin', 'learner', 'guardian'],
    summary: "Share the learner's CLR (all issued credentials, or those chosen) through an expiring link",
  },
  {
    operationId: 'withdrawClrShare',
    method: 'DELETE',
    path: '/learners/{id}/clr/shares/{token}',
    lambda: 'api',
    access: ['admin', 'learner', 'guardian'],
    summary: 'Withdraw a CLR share link',
  },
  {
    operationId: 'listLearnerCredentials',
    method: 'GET',
    path: '/learners/{id}/credentials',
    lambda: 'api',
    access: everyone,
    summary: "A learner's credentials in issue order",
  },
  {
    operationId: 'createBulkUpload',
    method: 'POST',
    path: '/bulk-jobs/uploads',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'A pre-signed PUT URL into the drop bucket, for staff without S3 access',
  },
  {
    operationId: 'listBulkJobs',
    method: 'GET',
    path: '/bulk-jobs',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'Bulk jobs, newest first',
  },
  {
    operationId: 'getBulkJob',
    method: 'GET',
    path: '/bulk-jobs/{id}',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'A bulk job: status, counters, report key, error',
  },
  {
    operationId: 'getBulkJobReport',
    method: 'GET',
    path: '/bulk-jobs/{id}/report',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: "A bulk job's results CSV (line, status, reason, credential_id), once written",
  },
  {
    operationId: 'getPdReport',
    method: 'GET',
    path: '/reports/pd',
    lambda: 'api',
    access: everyone,
    summary: 'Professional-development credits of a staff member in a window (admins, or the staff member)',
  },
  {
    operationId: 'getAuditTrail',
    method: 'GET',
    path: '/audit',
    lambda: 'api',
    access: ['admin'],
    summary: "A learner's FERPA record of disclosures and changes",
  },
  {
    operationId: 'getPathwayPage',
    method: 'GET',
    path: '/pathways/{id}',
    lambda: 'public',
    access: 'public',
    summary: 'Public pathway page: HTML, or the pathway JSON for Accept: application/json',
  },
  {
    operationId: 'createPathway',
    method: 'POST',
    path: '/pathways',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'Define a pathway: a requirement tree of achievements whose capstone is issued automatically',
  },
  {
    operationId: 'updatePathway',
    method: 'PATCH',
    path: '/pathways/{id}',
    lambda: 'api',
    access: ['admin', 'issuer'],
    summary: 'Change a pathway (validated and cycle-checked again)',
  },
  {
    operationId: 'getLearnerPathways',
    method: 'GET',
    path: '/learners/{id}/pathways',
    lambda: 'api',
    access: everyone,
    summary: "A learner's progress through the pathways touching their achievements",
  },
  {
    operationId: 'getLearnerClr',
    method: 'GET',
    path: '/learners/{id}/clr',
    lambda: 'api',
    access: everyone,
    summary: "A signed CLR 2.0 ClrCredential of the learner's issued credentials (?credentialIds=a,b to choose)",
  },
  {
    operationId: 'verify',
    method: 'POST',
    path: '/verify',
    lambda: 'public',
    access: 'public',
    summary:
      'Verify a credential. Body: the credential JSON; or {"credential": <object|JWT>, "recipient"?: {"email"?, "identifier"?}}; or {"jwt": "…", "recipient"?}; or {"image": "data:image/png|svg+xml;base64,…", "recipient"?}; or a JWT as text/plain; or a baked badge as image/png or image/svg+xml. Answers 200 {verified, checks: [{check: parse|schema|proof|status|validity|recipient, ok, message, warning?}], credential?: {id, name, issuer, validFrom, validUntil}}',
  },
  {
    operationId: 'verifyCredentialVcApi',
    method: 'POST',
    path: '/credentials/verify',
    lambda: 'public',
    access: 'public',
    summary:
      'W3C VC-API verifier: {"verifiableCredential": <object|JWT>, "options"?: {}} → 200 {checks, warnings, errors: []} when verified, 400 {checks, warnings, errors} when not',
  },
];

/** `"GET /achievements/{id}"`: the API Gateway v2 route key. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/**
 * The authorizer in front of a route: API Gateway's JWT authorizer (lib/api.ts) and the local server's token check
 * (functions/local/server.ts) both ask this, so a route is protected in both or in neither.
 */
export const routeAuthorizer = (route: Pick<RouteDefinition, 'access'>): 'none' | 'jwt' => (route.access === 'public' ? 'none' : 'jwt');
