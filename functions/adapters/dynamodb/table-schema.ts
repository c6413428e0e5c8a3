/**
 * The single table's key schema, shared by the CDK Data construct and the local stack's CreateTable so the two
 * can never drift. Every access pattern is a GetItem or a Query (never a Scan):
 *
 * | access pattern                              | key                                                         |
 * | ------------------------------------------- | ----------------------------------------------------------- |
 * | membership by IdP subject / by e-mail       | pk=MEMBER#SUB#<sub> / pk=MEMBER#EMAIL#<email>, sk=MEMBER     |
 * | memberships linking to a learner (deletion) | pk=LEARNER#<id>, sk=MEMBER#SUB#<sub> / MEMBER#EMAIL#<email> (an index item per link) |
 * | issuer by id; all issuers                   | pk=ISSUER#<id>, sk=ISSUER; gsi1pk=ISSUERS                   |
 * | school by SIS code / name (unique; guard)   | pk=SISSCHOOL#code#<code> / SISSCHOOL#name#<name>, sk=SISSCHOOL → issuerId |
 * | achievement by id; by unique code; by issuer| pk=ACH#<id>; pk=ACHCODE#<code> (guard); gsi1pk=ISSUER#<id>#ACH |
 * | learner by id; by sourcedId; by school      | pk=LEARNER#<id>, sk=PROFILE, id = learnerIdFor(keyed hash of sourcedId); gsi1pk=SCHOOL#<id>, gsi1sk=LEARNER#<sourcedId> |
 * | learner's audit trail in time order         | pk=AUDIT#<id>, sk=AUDIT#<iso time>#<uuid>                   |
 * | credential by id; by learner in issue order | pk=CRED#<id>, sk=CRED; gsi1pk=LEARNER#<id>#CREDS, gsi1sk=<issuedAt>#<id> |
 * | credential by (learner, achievement, source)| its id derives from them (ids.ts idFromKey): pk=CRED#<id>     |
 * | issuer profile + achievement of credentials | pk=DOC#<sha256 of their JSON>, sk=DOC (content-addressed: immutable, shared) |
 * | credentials expiring in a date range        | gsi2pk=EXPIRES#<yyyy-mm>, gsi2sk=<validUntil>#<id>          |
 * | learners due for retention by date          | gsi3pk=RETENTION#<yyyy-mm>, gsi3sk=<due date>#<learnerId>   |
 * | status list (bitstring + version); slots    | pk=STATUSLIST#<id>, sk=LIST / sk=BLOCK#<n> (a block of 64 slots, claimed once) |
 * | share token → credential                    | pk=SHARE#<token>                                            |
 * | bulk job; jobs by recency; a job's rows     | pk=JOB#<id>, sk=JOB / sk=ROW#<n>; gsi1pk=JOBS, gsi1sk=<createdAt> |
 * | pathway by id; pathways holding achievement | pk=PATHWAY#<id>; pk=ACH#<id>, sk=PATHWAY#<pathwayId>        |
 * | alerts sent per (credential, threshold)     | pk=CRED#<id>, sk=ALERT#<days>                               |
 */
export const tableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Attribute holding the epoch-seconds TTL; a backstop only, never the deletion mechanism (DESIGN §5.4). */
  ttlAttribute: 'expiresAtEpoch',
} as const;

export interface GlobalIndex {
  indexName: string;
  partitionKey: string;
  sortKey: string;
}

export const globalIndexes: readonly GlobalIndex[] = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
];

/** Partitions that hold audit entries only (one per learner): the public function may write into these alone. */
export const auditPartitionPrefix = 'AUDIT#';
