/**
 * Every key of the single table, one small function per key (DESIGN §5): adapters build keys only through these, so
 * a key is spelled once. `keyMap` below is the table's key documentation as data; a unit test renders each family
 * with these very functions and compares it with what the map says, and checks that every function is in the map.
 * Every access pattern is a GetItem or a Query (never a Scan).
 */

/** The primary key of an item. */
export interface ItemKey {
  pk: string;
  sk: string;
}

// ---- the learner's partition: their profile and every item erased with them -------------------------------------

/** The learner's partition: profile, membership links, share references and pathway steps (erased together). */
export const learnerPartition = (learnerId: string): string => `LEARNER#${learnerId}`;

/** A learner's profile; the id derives from a keyed hash of the SIS id (learnerIdFor). */
export const learnerKey = (learnerId: string): ItemKey => ({ pk: learnerPartition(learnerId), sk: 'PROFILE' });

/** The school index's partition: a school's learners. */
export const schoolLearnersPk = (schoolId: string): string => `SCHOOL#${schoolId}`;
/** The sort-key prefix of learners in the school index. */
export const schoolLearnerPrefix = 'LEARNER#';
export const learnerSchoolIndexKey = (schoolId: string, sourcedId: string) => ({
  gsi1pk: schoolLearnersPk(schoolId),
  gsi1sk: `${schoolLearnerPrefix}${sourcedId}`,
});

/** The retention index is sharded by the due date's year (`yyyy`); the retention job reads the years up to today. */
export const retentionShardPk = (year: number | string): string => `RETENTION#${year}`;
export const retentionSortKey = (retentionDueOn: string, learnerId: string): string => `${retentionDueOn}#${learnerId}`;
export const retentionIndexKey = (learnerId: string, retentionDueOn: string) => ({
  gsi3pk: retentionShardPk(retentionDueOn.slice(0, 4)),
  gsi3sk: retentionSortKey(retentionDueOn, learnerId),
});

// ---- memberships -------------------------------------------------------------------------------------------------

/** A membership's partition, by IdP subject. */
export const membershipSubjectPk = (subject: string): string => `MEMBER#SUB#${subject}`;
/** A membership's partition, by e-mail (case-insensitive). */
export const membershipEmailPk = (email: string): string => `MEMBER#EMAIL#${email.toLowerCase()}`;
/** A membership at one of the two partitions above. */
export const membershipKey = (membershipPk: string): ItemKey => ({ pk: membershipPk, sk: 'MEMBER' });
/** One index item per (learner, membership) in the learner's partition: a deletion finds every link by Query. */
export const membershipLinkKey = (learnerId: string, membershipPk: string): ItemKey => ({
  pk: learnerPartition(learnerId),
  sk: membershipPk,
});
/** The sort-key prefix of membership links in a learner's partition (every membership partition starts with it). */
export const membershipLinkPrefix = 'MEMBER#';

// ---- audit -------------------------------------------------------------------------------------------------------

/** Partitions that hold audit entries only (one per learner): the public function may write into these alone. */
export const auditPartitionPrefix = 'AUDIT#';
export const auditPartition = (learnerId: string): string => `${auditPartitionPrefix}${learnerId}`;
/** The sort-key prefix of audit entries. */
export const auditEntryPrefix = 'AUDIT#';
/** Time-ordered within the partition; the entry id keeps two entries of one millisecond apart. */
export const auditEntryKey = (learnerId: string, at: string, entryId: string): ItemKey => ({
  pk: auditPartition(learnerId),
  sk: `${auditEntryPrefix}${at}#${entryId}`,
});

// ---- issuers (schools) and achievements --------------------------------------------------------------------------

export const issuerKey = (issuerId: string): ItemKey => ({ pk: `ISSUER#${issuerId}`, sk: 'ISSUER' });
/** The issuers index's one partition: every school. */
export const allIssuersPk = 'ISSUERS';
export const issuersIndexKey = (issuerId: string, createdAt: string) => ({ gsi1pk: allIssuersPk, gsi1sk: `${createdAt}#${issuerId}` });
/** One guard item per SIS school code or name: unique in the district, and it finds its school by GetItem. */
export const schoolReferenceKey = (kind: string, key: string): ItemKey => ({ pk: `SISSCHOOL#${kind}#${key}`, sk: 'SISSCHOOL' });

export const achievementKey = (achievementId: string): ItemKey => ({ pk: `ACH#${achievementId}`, sk: 'ACH' });
/** The guard of an achievement's unique code. */
export const achievementCodeKey = (code: string): ItemKey => ({ pk: `ACHCODE#${code}`, sk: 'ACHCODE' });
/** The achievements index's partition of one issuer (gsi1). */
export const issuerAchievementsPk = (issuerId: string): string => `ISSUER#${issuerId}#ACH`;
/** The district-wide achievements list (gsi2; achievements use gsi2 for nothing else). */
export const allAchievementsPk = 'ACHIEVEMENTS';
export const achievementIndexKeys = (achievementId: string, issuerId: string, createdAt: string) => ({
  gsi1pk: issuerAchievementsPk(issuerId),
  gsi1sk: `${createdAt}#${achievementId}`,
  gsi2pk: allAchievementsPk,
  gsi2sk: `${createdAt}#${achievementId}`,
});

// ---- credentials, their public documents and alerts --------------------------------------------------------------

/** A credential; its id derives from (learner, achievement, source) (ids.ts idFromKey), so the key is its guard. */
export const credentialKey = (credentialId: string): ItemKey => ({ pk: `CRED#${credentialId}`, sk: 'CRED' });
/** The learner index's partition (gsi1): a learner's credentials in issue order. */
export const learnerCredentialsPk = (learnerId: string): string => `LEARNER#${learnerId}#CREDS`;
export const learnerCredentialsIndexKey = (learnerId: string, issuedAt: string, credentialId: string) => ({
  gsi1pk: learnerCredentialsPk(learnerId),
  gsi1sk: `${issuedAt}#${credentialId}`,
});
/** The expiry index is sharded by month (`yyyy-mm`) of validUntil. */
export const expiryMonthPk = (month: string): string => `EXPIRES#${month}`;
/** The expiry index's sort key: by instant, then id (so a paged run can say exactly where it stopped). */
export const expirySortKey = (validUntil: string, credentialId: string): string => `${validUntil}#${credentialId}`;
export const expiryIndexKey = (validUntil: string, credentialId: string) => ({
  gsi2pk: expiryMonthPk(validUntil.slice(0, 7)),
  gsi2sk: expirySortKey(validUntil, credentialId),
});
/** The issuer profile and achievement of credentials, content-addressed (immutable, shared by many credentials). */
export const publicDocumentKey = (sha256: string): ItemKey => ({ pk: `DOC#${sha256}`, sk: 'DOC' });
/** An expiry alert sent (or claimed) for a credential at one threshold, in the credential's partition. */
export const expiryAlertKey = (credentialId: string, thresholdDays: number): ItemKey => ({
  pk: credentialKey(credentialId).pk,
  sk: `ALERT#${thresholdDays}`,
});

// ---- status lists ------------------------------------------------------------------------------------------------

/** Which list an issuer's new credentials take their status index from. */
export const currentStatusListKey = (issuerId: string): ItemKey => ({ pk: `STATUSLIST#CURRENT#${issuerId}`, sk: 'CURRENT' });
/** A status list's bitstring and version (and its signed credential). */
export const statusListKey = (listId: string): ItemKey => ({ pk: `STATUSLIST#${listId}`, sk: 'LIST' });
/** The list's secret permutation key and count of claimed blocks, apart from the 16 KiB bits (writes bill by size). */
export const statusListCounterKey = (listId: string): ItemKey => ({ pk: statusListKey(listId).pk, sk: 'COUNTER' });
/** A block of slots of a list, claimed once by one process. */
export const statusBlockKey = (listId: string, block: number): ItemKey => ({ pk: statusListKey(listId).pk, sk: `BLOCK#${block}` });

// ---- shares ------------------------------------------------------------------------------------------------------

export const shareKey = (token: string): ItemKey => ({ pk: `SHARE#${token}`, sk: 'SHARE' });
/** The sort-key prefix of share references in a learner's partition. */
export const shareRefPrefix = 'SHARE#';
/** A copy in the learner's partition, so withdrawing consent or deleting the learner finds every link. */
export const shareRefKey = (learnerId: string, token: string): ItemKey => ({
  pk: learnerPartition(learnerId),
  sk: `${shareRefPrefix}${token}`,
});

// ---- pathways ----------------------------------------------------------------------------------------------------

export const pathwayKey = (pathwayId: string): ItemKey => ({ pk: `PATHWAY#${pathwayId}`, sk: 'PATHWAY' });
/** The sort-key prefix of pathway links in an achievement's partition. */
export const pathwayLinkPrefix = 'PATHWAY#';
/** One link per achievement of a pathway, in the achievement's partition: "pathways holding it" is one Query. */
export const pathwayLinkKey = (achievementId: string, pathwayId: string): ItemKey => ({
  pk: achievementKey(achievementId).pk,
  sk: `${pathwayLinkPrefix}${pathwayId}`,
});
/** The sort-key prefix of a learner's pathway steps. */
export const pathwayStepPrefix = 'PATHSTEP#';
export const pathwayStepKey = (learnerId: string, achievementId: string, credentialId: string): ItemKey => ({
  pk: learnerPartition(learnerId),
  sk: `${pathwayStepPrefix}${achievementId}#${credentialId}`,
});

// ---- bulk jobs ---------------------------------------------------------------------------------------------------

export const bulkJobKey = (jobId: string): ItemKey => ({ pk: `JOB#${jobId}`, sk: 'JOB' });
/** The live counters beside the job item (kept out of the jobs index: a row's count is one small write). */
export const bulkJobCountsKey = (jobId: string): ItemKey => ({ pk: bulkJobKey(jobId).pk, sk: 'COUNTS' });
/** The sort-key prefix of a job's chunks of line outcomes. */
export const bulkJobLinesPrefix = 'ROW#';
/** A chunk's lines, keyed by its first line (zero-padded: chunks sort in file order, and never overlap). */
export const bulkJobLinesKey = (jobId: string, firstLine: number): ItemKey => ({
  pk: bulkJobKey(jobId).pk,
  sk: `${bulkJobLinesPrefix}${String(firstLine).padStart(9, '0')}`,
});
/** The jobs index's one partition: every job by recency. */
export const allBulkJobsPk = 'JOBS';
const bulkJobRecencyKey = (jobId: string, createdAt: string): string => `${createdAt}#${jobId}`;
export const bulkJobsIndexKey = (jobId: string, createdAt: string) => ({
  gsi1pk: allBulkJobsPk,
  gsi1sk: bulkJobRecencyKey(jobId, createdAt),
});
/** The partitions of jobs one person may see besides admins (DESIGN §4): their own, and their schools'. */
export const bulkJobsOfSubjectPk = (subject: string): string => `JOBSFOR#SUB#${subject}`;
export const bulkJobsOfSchoolPk = (schoolId: string): string => `JOBSFOR#SCHOOL#${schoolId}`;
/** One small item per audience of a job, by recency. */
export const bulkJobAudienceKey = (audiencePk: string, jobId: string, createdAt: string): ItemKey => ({
  pk: audiencePk,
  sk: bulkJobRecencyKey(jobId, createdAt),
});
/** The upload a drop key was handed out for. */
export const uploadKey = (dropKey: string): ItemKey => ({ pk: `UPLOAD#${dropKey}`, sk: 'UPLOAD' });

// ---- learner deletion --------------------------------------------------------------------------------------------

/** What stops a deleted learner from being brought back: keyed by the learner hash, never by a readable id. */
export const tombstoneKey = (learnerHash: string): ItemKey => ({ pk: `DELETED#${learnerHash}`, sk: 'TOMBSTONE' });
export const deletionReceiptKey = (receiptId: string): ItemKey => ({ pk: `RECEIPT#${receiptId}`, sk: 'RECEIPT' });

// ---- the key map -------------------------------------------------------------------------------------------------

/** One family of items: what it is for, its key as documented, and an example of it built by the functions above. */
export interface KeyFamily {
  accessPattern: string;
  /** `attribute=value` pairs, `, `-separated; `<name>` stands for a value (`<yyyy>`: a year, `<yyyy-mm>`: a month…). */
  key: string;
  /** The key attributes of one such item, built by the key functions from example values. */
  example: () => Record<string, string>;
  /** The prefixes (and constant partitions) queries use on these attributes. */
  prefixes?: Record<string, string>;
}

const at = '2026-05-04T10:20:30.000Z';

/**
 * The table's key map, as data (the documentation of every key). A unit test checks that each family's example reads
 * as its `key` says, that every key function and prefix above is in the map, and that adapters use every one.
 */
export const keyMap: readonly KeyFamily[] = [
  {
    accessPattern: 'membership by IdP subject',
    key: 'pk=MEMBER#SUB#<sub>, sk=MEMBER',
    example: () => ({ ...membershipKey(membershipSubjectPk('idp-sub-1')) }),
  },
  {
    accessPattern: 'membership by e-mail',
    key: 'pk=MEMBER#EMAIL#<email>, sk=MEMBER',
    example: () => ({ ...membershipKey(membershipEmailPk('ana@example.org')) }),
  },
  {
    accessPattern: 'memberships linking to a learner (deletion)',
    key: 'pk=LEARNER#<learnerId>, sk=MEMBER#EMAIL#<email>',
    example: () => ({ ...membershipLinkKey('learner-1', membershipEmailPk('ana@example.org')) }),
    prefixes: { sk: membershipLinkPrefix },
  },
  { accessPattern: 'issuer (school) by id', key: 'pk=ISSUER#<issuerId>, sk=ISSUER', example: () => ({ ...issuerKey('lincoln-high') }) },
  {
    accessPattern: 'all issuers by creation',
    key: 'gsi1pk=ISSUERS, gsi1sk=<createdAt>#<issuerId>',
    example: () => issuersIndexKey('lincoln-high', at),
    prefixes: { gsi1pk: allIssuersPk },
  },
  {
    accessPattern: 'school by SIS code or name (unique; guard)',
    key: 'pk=SISSCHOOL#<kind>#<code>, sk=SISSCHOOL',
    example: () => ({ ...schoolReferenceKey('code', '0421') }),
  },
  { accessPattern: 'achievement by id', key: 'pk=ACH#<achievementId>, sk=ACH', example: () => ({ ...achievementKey('ach-1') }) },
  {
    accessPattern: 'achievement by unique code (guard)',
    key: 'pk=ACHCODE#<code>, sk=ACHCODE',
    example: () => ({ ...achievementCodeKey('CS-PYTHON-1') }),
  },
  {
    accessPattern: "an issuer's achievements (gsi1); all achievements (gsi2)",
    key: 'gsi1pk=ISSUER#<issuerId>#ACH, gsi1sk=<createdAt>#<achievementId>, gsi2pk=ACHIEVEMENTS, gsi2sk=<createdAt>#<achievementId>',
    example: () => achievementIndexKeys('ach-1', 'lincoln-high', at),
    prefixes: { gsi2pk: allAchievementsPk },
  },
  {
    accessPattern: 'learner by id (a keyed hash of the SIS id)',
    key: 'pk=LEARNER#<learnerId>, sk=PROFILE',
    example: () => ({ ...learnerKey('learner-1') }),
  },
  {
    accessPattern: "a school's learners",
    key: 'gsi1pk=SCHOOL#<schoolId>, gsi1sk=LEARNER#<sourcedId>',
    example: () => learnerSchoolIndexKey('lincoln-high', 'S1001'),
    prefixes: { gsi1sk: schoolLearnerPrefix },
  },
  {
    accessPattern: 'learners due for retention, sharded by the year of the due date',
    key: 'gsi3pk=RETENTION#<yyyy>, gsi3sk=<yyyy-mm-dd>#<learnerId>',
    example: () => retentionIndexKey('learner-1', '2031-08-31'),
  },
  {
    accessPattern: "a learner's audit trail in time order",
    key: 'pk=AUDIT#<learnerId>, sk=AUDIT#<at>#<entryId>',
    example: () => ({ ...auditEntryKey('learner-1', at, 'entry-1') }),
    prefixes: { pk: auditPartitionPrefix, sk: auditEntryPrefix },
  },
  {
    accessPattern: 'credential by id (derived from learner, achievement, source)',
    key: 'pk=CRED#<credentialId>, sk=CRED',
    example: () => ({ ...credentialKey('cred-1') }),
  },
  {
    accessPattern: "a learner's credentials in issue order",
    key: 'gsi1pk=LEARNER#<learnerId>#CREDS, gsi1sk=<issuedAt>#<credentialId>',
    example: () => learnerCredentialsIndexKey('learner-1', at, 'cred-1'),
  },
  {
    accessPattern: 'credentials expiring in a range, sharded by the month of validUntil',
    key: 'gsi2pk=EXPIRES#<yyyy-mm>, gsi2sk=<validUntil>#<credentialId>',
    example: () => expiryIndexKey(at, 'cred-1'),
  },
  {
    accessPattern: 'issuer profile + achievement of credentials (content-addressed)',
    key: 'pk=DOC#<sha256>, sk=DOC',
    example: () => ({ ...publicDocumentKey('n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg') }),
  },
  {
    accessPattern: 'alert per (credential, threshold)',
    key: 'pk=CRED#<credentialId>, sk=ALERT#<days>',
    example: () => ({ ...expiryAlertKey('cred-1', 30) }),
  },
  {
    accessPattern: "an issuer's current status list",
    key: 'pk=STATUSLIST#CURRENT#<issuerId>, sk=CURRENT',
    example: () => ({ ...currentStatusListKey('lincoln-high') }),
  },
  {
    accessPattern: 'status list (bitstring + version)',
    key: 'pk=STATUSLIST#<listId>, sk=LIST',
    example: () => ({ ...statusListKey('list-1') }),
  },
  {
    accessPattern: "a status list's permutation key and claimed blocks",
    key: 'pk=STATUSLIST#<listId>, sk=COUNTER',
    example: () => ({ ...statusListCounterKey('list-1') }),
  },
  {
    accessPattern: 'status list block of slots (claimed once)',
    key: 'pk=STATUSLIST#<listId>, sk=BLOCK#<n>',
    example: () => ({ ...statusBlockKey('list-1', 17) }),
  },
  { accessPattern: 'share token → credential', key: 'pk=SHARE#<token>, sk=SHARE', example: () => ({ ...shareKey('tok-1') }) },
  {
    accessPattern: "a learner's share links (consent, deletion)",
    key: 'pk=LEARNER#<learnerId>, sk=SHARE#<token>',
    example: () => ({ ...shareRefKey('learner-1', 'tok-1') }),
    prefixes: { sk: shareRefPrefix },
  },
  { accessPattern: 'pathway by id', key: 'pk=PATHWAY#<pathwayId>, sk=PATHWAY', example: () => ({ ...pathwayKey('path-1') }) },
  {
    accessPattern: 'pathways holding an achievement',
    key: 'pk=ACH#<achievementId>, sk=PATHWAY#<pathwayId>',
    example: () => ({ ...pathwayLinkKey('ach-1', 'path-1') }),
    prefixes: { sk: pathwayLinkPrefix },
  },
  {
    accessPattern: "a learner's pathway steps",
    key: 'pk=LEARNER#<learnerId>, sk=PATHSTEP#<achievementId>#<credentialId>',
    example: () => ({ ...pathwayStepKey('learner-1', 'ach-1', 'cred-1') }),
    prefixes: { sk: pathwayStepPrefix },
  },
  { accessPattern: 'bulk job by id', key: 'pk=JOB#<jobId>, sk=JOB', example: () => ({ ...bulkJobKey('job-1') }) },
  { accessPattern: "a bulk job's live counters", key: 'pk=JOB#<jobId>, sk=COUNTS', example: () => ({ ...bulkJobCountsKey('job-1') }) },
  {
    accessPattern: "a bulk job's line outcomes, one item per chunk, in file order",
    key: 'pk=JOB#<jobId>, sk=ROW#<9 digits>',
    example: () => ({ ...bulkJobLinesKey('job-1', 251) }),
    prefixes: { sk: bulkJobLinesPrefix },
  },
  {
    accessPattern: 'all bulk jobs by recency',
    key: 'gsi1pk=JOBS, gsi1sk=<createdAt>#<jobId>',
    example: () => bulkJobsIndexKey('job-1', at),
    prefixes: { gsi1pk: allBulkJobsPk },
  },
  {
    accessPattern: 'bulk jobs their uploader may see, by recency',
    key: 'pk=JOBSFOR#SUB#<sub>, sk=<createdAt>#<jobId>',
    example: () => ({ ...bulkJobAudienceKey(bulkJobsOfSubjectPk('idp-sub-1'), 'job-1', at) }),
  },
  {
    accessPattern: "bulk jobs a school's staff may see, by recency",
    key: 'pk=JOBSFOR#SCHOOL#<schoolId>, sk=<createdAt>#<jobId>',
    example: () => ({ ...bulkJobAudienceKey(bulkJobsOfSchoolPk('lincoln-high'), 'job-1', at) }),
  },
  {
    accessPattern: 'the upload a drop key was handed out for',
    key: 'pk=UPLOAD#<dropKey>, sk=UPLOAD',
    example: () => ({ ...uploadKey('drops/2026/abc.csv') }),
  },
  {
    accessPattern: "a deleted learner's tombstone (by learner hash)",
    key: 'pk=DELETED#<learnerHash>, sk=TOMBSTONE',
    example: () => ({ ...tombstoneKey('hash-1') }),
  },
  {
    accessPattern: 'deletion receipt by id',
    key: 'pk=RECEIPT#<receiptId>, sk=RECEIPT',
    example: () => ({ ...deletionReceiptKey('receipt-1') }),
  },
];
