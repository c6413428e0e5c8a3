import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { globalIndexes, tableKeys } from '#adapters/dynamodb/table-schema';

export interface DataProps {
  /** Days results CSVs are kept in the reports bucket. */
  reportRetentionDays: number;
  /** Days SIS drops (student PII) are kept once dropped. */
  dropRetentionDays: number;
  /** Days S3 server access logs are kept. */
  accessLogRetentionDays: number;
}

/** Table actions a reader needs: GetItem and Query only (a Scan in a request path is a defect, DESIGN §1). */
const tableReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/** Item writes; TransactWriteItems is authorised through these per-item actions. */
const tableWriteActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * Where Merit keeps its state (DESIGN §1, §5.7): the one DynamoDB table and the three private S3 buckets
 * (`images`: baked badges, `drops`: SIS CSV exports, `reports`: per-drop results), all encrypted with one
 * customer-managed KMS key, plus the bucket that receives their S3 server access logs.
 *
 * The table is built from `functions/adapters/dynamodb/table-schema.ts`, the same exports the local stack's
 * CreateTable uses, so the cloud and the laptop never drift; what its keys and indexes hold is `keyMap` in
 * `functions/adapters/dynamodb/keys.ts`. Everything here is RETAINed when the stack is deleted:
 * it holds student records.
 *
 * Access is granted per function with the `grant*` methods, which name exact actions and resources (never `*`).
 */
export class Data extends Construct {
  /** Customer-managed key (rotated yearly) for the table, the buckets and the bulk queue. */
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly imagesBucket: s3.Bucket;
  readonly dropsBucket: s3.Bucket;
  readonly reportsBucket: s3.Bucket;
  /** Receives S3 server access logs of the three buckets above. */
  readonly accessLogsBucket: s3.Bucket;
  /**
   * Secret key of the hashes of SIS ids: deleted learners' tombstones and receipts, and the district pseudonym
   * credentials carry (DESIGN §2), so no hash can be turned back into a student number by trying them all.
   * Generated at deploy time; nobody needs to know it.
   */
  readonly identifierPepper: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: 'Merit: encrypts the table, the S3 buckets and the bulk-issuance queue',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableKeys.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableKeys.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      // A backstop only: retention (DESIGN §5.4) deletes PII explicitly and leaves a receipt.
      timeToLiveAttribute: tableKeys.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.identifierPepper = new secretsmanager.Secret(this, 'IdentifierPepper', {
      description: "Merit: pepper of the hashes of deleted learners' SIS ids (tombstones and deletion receipts)",
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Rotating the pepper would orphan every tombstone: their hashes cannot be recomputed, the SIS ids are gone.
    Validations.of(this.identifierPepper).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The identifier pepper must never change: tombstones and deletion receipts hold hashes made with it, and the SIS ids they were made from are deleted, so a rotated pepper could never recognise them again.',
    });

    // S3 server access logging can only deliver to a bucket encrypted with SSE-S3 (not SSE-KMS), so this one
    // bucket uses S3-managed keys; it holds request metadata, never objects.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A log bucket that logged its own accesses would log forever; AWS advises against it.
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server access log bucket of the other buckets; logging its own accesses into itself would loop, and AWS advises against it.',
    });

    const privateBucket = (bucketId: string, logPrefix: string, extra: Partial<s3.BucketProps> = {}) =>
      new s3.Bucket(this, bucketId, {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: logPrefix,
        removalPolicy: RemovalPolicy.RETAIN,
        ...extra,
      });

    this.imagesBucket = privateBucket('ImagesBucket', 'images/');
    this.dropsBucket = privateBucket('DropsBucket', 'drops/', {
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-processed-drops',
          expiration: Duration.days(props.dropRetentionDays),
          noncurrentVersionExpiration: Duration.days(props.dropRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    this.reportsBucket = privateBucket('ReportsBucket', 'reports/', {
      lifecycleRules: [{ id: 'expire-reports', expiration: Duration.days(props.reportRetentionDays) }],
    });
  }

  /** ARNs a table grant covers: the table and each of its GSIs by name (no `index/*` wildcard). */
  private tableResources(): string[] {
    return [this.table.tableArn, ...globalIndexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`)];
  }

  /** GetItem / Query on the table and its indexes, and decrypting with the data key. No Scan. */
  grantTableRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: tableReadActions, resources: this.tableResources() }));
    this.grantKey(grantee, ['kms:Decrypt', 'kms:DescribeKey']);
  }

  /**
   * Reads plus PutItem into the partitions `partitionPrefixes` name only (IAM's `dynamodb:LeadingKeys`): e.g. the
   * public function's record of disclosures, which may write audit entries and nothing else.
   */
  grantTableReadAppend(grantee: iam.IGrantable, partitionPrefixes: readonly string[]): void {
    this.grantTableRead(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitionPrefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
    this.grantKey(grantee, ['kms:Encrypt', 'kms:GenerateDataKey']);
  }

  /** Reads and item writes (Put, Update, Delete, batches, transactions). No Scan, no table administration. */
  grantTableReadWrite(grantee: iam.IGrantable): void {
    this.grantTableRead(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: tableWriteActions, resources: [this.table.tableArn] }));
    this.grantKey(grantee, ['kms:Encrypt', 'kms:GenerateDataKey']);
  }

  /**
   * Object-level actions on one bucket, limited to `keyPattern` (e.g. `drops/*`). Reading needs kms:Decrypt,
   * writing needs kms:GenerateDataKey on the data key; deleting needs no key.
   */
  grantObjects(grantee: iam.IGrantable, bucket: s3.Bucket, actions: ObjectAction[], keyPattern = '*'): void {
    const principal = grantee.grantPrincipal;
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: actions.map((action) => `s3:${action}`), resources: [bucket.arnForObjects(keyPattern)] }),
    );
    // Object-level actions can only be granted on an object ARN pattern: acknowledge exactly this one finding, on
    // this role only (cdk-nag names the bucket by its logical id).
    if (principal instanceof iam.Role) {
      const bucketLogicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
      Validations.of(principal).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${keyPattern}]`,
        reason: `S3 object actions (${actions.join(', ')}) need an object ARN pattern; this grant is limited to keys matching "${keyPattern}" in the ${bucket.node.id} only, for this one function.`,
      });
    }
    // Without s3:ListBucket, S3 answers a GET of a missing key with AccessDenied instead of NoSuchKey, and the
    // Blobs adapter could not tell "absent" from "forbidden".
    if (actions.includes('GetObject')) this.grantListBucket(grantee, bucket);
    const keyActions = new Set<string>();
    if (actions.includes('GetObject')) keyActions.add('kms:Decrypt');
    if (actions.includes('PutObject')) keyActions.add('kms:GenerateDataKey').add('kms:Decrypt'); // multipart uploads decrypt parts
    if (keyActions.size > 0) this.grantKey(grantee, [...keyActions]);
  }

  /** Reading the identifier pepper (secretsmanager:GetSecretValue on that secret, kms:Decrypt through Secrets Manager). */
  grantIdentifierPepper(grantee: iam.IGrantable): void {
    this.identifierPepper.grantRead(grantee);
  }

  /** s3:ListBucket on one bucket (lists keys; the Blobs adapter's `list`, and NoSuchKey on a missing key). */
  grantListBucket(grantee: iam.IGrantable, bucket: s3.IBucket): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  }

  private grantKey(grantee: iam.IGrantable, actions: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [this.key.keyArn] }));
  }
}

export type ObjectAction = 'GetObject' | 'PutObject' | 'DeleteObject';
