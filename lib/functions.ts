import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { auditPartitionPrefix } from '#adapters/dynamodb/keys';
import { type EnvName, envNames } from '#config/env';
import { bulkQueueSettings, bulkStartSettings, type FunctionName } from '#config/topology';
import type { MeritConfig } from './config';
import type { Data } from './data';
import type { Signing } from './signing';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export type { FunctionName };

interface FunctionSpec {
  /** Construct id. */
  id: string;
  description: string;
  memorySize: number;
  timeout: Duration;
}

/** Exported for the bench, which prices Lambda GB-s at the configured memory. */
export const specs: Record<FunctionName, FunctionSpec> = {
  // HTTP API integrations time out at 30 s.
  api: { id: 'ApiFunction', description: 'Merit staff and learner API (JWT)', memorySize: 1024, timeout: Duration.seconds(29) },
  public: {
    id: 'PublicFunction',
    description: 'Merit public routes: verify, issuers, achievements, status lists, shared credentials',
    memorySize: 1024,
    timeout: Duration.seconds(29),
  },
  'bulk-start': {
    id: 'BulkStartFunction',
    description: 'Merit bulk issuance: reads an SIS drop and queues its rows',
    memorySize: 1024,
    timeout: Duration.seconds(bulkStartSettings.timeoutSeconds),
  },
  'bulk-issue': {
    id: 'BulkIssueFunction',
    description: 'Merit bulk issuance: issues one batch of rows',
    memorySize: 1024,
    timeout: Duration.seconds(bulkQueueSettings.consumerTimeoutSeconds),
  },
  'expiry-alerts': {
    id: 'ExpiryAlertsFunction',
    description: 'Merit daily job: e-mails and events for credentials about to expire',
    memorySize: 512,
    timeout: Duration.minutes(10),
  },
  retention: {
    id: 'RetentionFunction',
    description: 'Merit daily job: deletes learner PII past the retention date',
    memorySize: 512,
    timeout: Duration.minutes(15),
  },
};

/**
 * Packages replaced in every bundle. jsonld.js's Node document loader pulls @digitalbazaar/http-client and undici
 * into every cold start that loads jsonld (~35 ms of bulk-issue's cold import on the bench machine), though Merit
 * never lets jsonld.js fetch: see lib/bundling/no-http-client.ts.
 */
export const functionBundleAliases: Record<string, string> = {
  '@digitalbazaar/http-client': join(projectRoot, 'lib', 'bundling', 'no-http-client.ts'),
};

/**
 * How every function is bundled; exported so the cold-start bench (bench/sections/cold-start.ts) builds exactly
 * what is deployed.
 */
export const functionBundling = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node22',
  platform: 'node',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // The AWS SDK versions are pinned in package-lock.json (DESIGN §9): bundle them rather than use whatever
  // version the runtime happens to carry.
  bundleAwsSDK: true,
  mainFields: ['module', 'main'],
  esbuildArgs: { '--alias': Object.entries(functionBundleAliases).map(([name, path]) => `${name}=${path}`) },
  // CommonJS dependencies bundled into an ES module still call require(); give them one.
  banner: "import { createRequire as __merit_createRequire } from 'node:module'; const require = __merit_createRequire(import.meta.url);",
} satisfies BundlingOptions;

/**
 * Whether Node maps stack traces at run time (NODE_OPTIONS=--enable-source-maps). No: each asset still carries its
 * index.mjs.map (without sources content), but with the flag Node reads and parses that 3 MB map during every cold
 * start, before the first request (`npm run bench -- --only=cold-start` prints the cost: roughly a third more on the
 * public function's cold import). Turning it on later (process.setSourceMapsEnabled) does not map a module loaded
 * before, so there is no "only when an error is logged". A logged stack names index.mjs:line:column, which the
 * shipped map resolves offline (node:module's SourceMap#findEntry).
 */
export const functionSourceMapsAtRuntime = false;

export interface FunctionsProps {
  config: MeritConfig;
  data: Data;
  signing: Signing;
  /** Name of the SSM parameter holding the API's URL (set when no custom domain is configured). */
  publicBaseUrlParameterName: string;
}

/**
 * The six Lambda functions (DESIGN §1), bundled from TypeScript by the local esbuild (no Docker): Node.js 22 on
 * arm64, ESM, minified with source map files (not loaded at run time: see functionSourceMapsAtRuntime), each with its
 * own log group and its own role.
 *
 * Least privilege, function by function (the whole IAM story is in `grantAccess` below):
 *
 * | function      | table                 | S3                                              | KMS signing key   | other                          |
 * | ------------- | --------------------- | ----------------------------------------------- | ----------------- | ------------------------------ |
 * | api           | read/write            | images get/put/delete/list; drops put `drops/*` (pre-signed uploads); reports get | Sign, GetPublicKey | SSM parameter      |
 * | public        | read + PutItem `AUDIT#*` partitions only | images get/list              | GetPublicKey      | SSM parameter; identifier pepper |
 * | bulk-start    | read/write            | drops get/delete `drops/*`; reports put          | —                 | queue send; on-failure queue send (BulkIssuance) |
 * | bulk-issue    | read/write            | images put; reports put; drops delete `drops/*`  | Sign, GetPublicKey | SSM parameter; queue consume  |
 * | expiry-alerts | read/write            | —                                               | —                 | ses:SendEmail on the identity; events:PutEvents on the default bus; SSM parameter; its continuation queue (send, consume; Schedules) |
 * | retention     | read/write            | images delete/list                              | Sign, GetPublicKey | SSM parameter; its continuation queue (send, consume; Schedules) |
 *
 * Whoever writes a job's report deletes its drop (DESIGN §4: nothing personal is kept once the report is written).
 * "list" is s3:ListBucket on the bucket: the Blobs adapter lists a credential's images by prefix, and S3 only answers
 * NoSuchKey (rather than AccessDenied) for a missing key to a caller that may list.
 * The identifier pepper secret is readable by api, bulk-issue and retention (tombstones of deleted learners; district
 * pseudonyms in the credentials they issue) and by public (the pseudonym of the student id `/verify`'s recipient
 * check is given); by no other function.
 * Retention signs because deleting a learner revokes their credentials, which re-signs the status list (§5.4).
 * No function may Scan, administer the table, or touch another key.
 */
export class Functions extends Construct {
  readonly api: NodejsFunction;
  readonly public: NodejsFunction;
  readonly bulkStart: NodejsFunction;
  readonly bulkIssue: NodejsFunction;
  readonly expiryAlerts: NodejsFunction;
  readonly retention: NodejsFunction;
  /** The SES identity ARN expiry alerts may send from. */
  readonly sesIdentityArn: string;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);

    const retention = config.logRetentionDays as logs.RetentionDays;
    if (!Object.values(logs.RetentionDays).includes(retention)) {
      throw new Error(
        `Context value "logRetentionDays" must be a CloudWatch Logs retention (e.g. 30, 90, 365), got ${config.logRetentionDays}.`,
      );
    }

    // Only variables of functions/config/env.ts. Added below per function: IDENTIFIER_PEPPER_SECRET_ARN (the functions
    // granted the secret), ALERT_THRESHOLDS and ADMIN_DIGEST_EMAILS (expiry-alerts); BULK_QUEUE_URL (bulk-start, by
    // BulkIssuance).
    const environment: Partial<Record<EnvName, string>> = {
      [envNames.tableName]: props.data.table.tableName,
      [envNames.imagesBucket]: props.data.imagesBucket.bucketName,
      [envNames.dropsBucket]: props.data.dropsBucket.bucketName,
      [envNames.reportsBucket]: props.data.reportsBucket.bucketName,
      [envNames.signingKeyId]: props.signing.key.keyArn,
      [envNames.districtName]: config.districtName,
      [envNames.sesFromAddress]: config.sesFromAddress,
      [envNames.timeZone]: config.timeZone,
      // Every function that creates or touches a learner computes their retention date from this.
      [envNames.retentionYears]: String(config.retentionYears),
      [envNames.consentPolicy]: config.consentPolicy,
      ...(props.signing.retiredKeyArns.length > 0 ? { [envNames.retiredSigningKeyIds]: props.signing.retiredKeyArns.join(',') } : {}),
      // The custom domain when the district has one; else the *name* of the parameter the API's URL is published
      // in after deploy (the URL itself would make each function depend on the API that depends on it).
      ...(config.publicBaseUrl
        ? { [envNames.publicBaseUrl]: config.publicBaseUrl }
        : { [envNames.publicBaseUrlParameter]: props.publicBaseUrlParameterName }),
    };

    const make = (name: FunctionName): NodejsFunction => {
      const spec = specs[name];
      const logGroup = new logs.LogGroup(this, `${spec.id}Logs`, { retention });
      // Our own role instead of the default one, so no AWS managed policy (AWSLambdaBasicExecutionRole allows
      // writing to every log group): this function may write to its own log group only.
      const role = new iam.Role(this, `${spec.id}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Merit ${name} function`,
      });
      logGroup.grantWrite(role);

      const fn = new NodejsFunction(this, spec.id, {
        entry: join(projectRoot, 'functions', 'handlers', `${name}.ts`),
        handler: 'handler',
        projectRoot,
        depsLockFilePath: join(projectRoot, 'package-lock.json'),
        description: spec.description,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: spec.memorySize,
        timeout: spec.timeout,
        role,
        logGroup,
        environment: {
          ...environment,
          POWERTOOLS_SERVICE_NAME: `merit-${name}`,
          POWERTOOLS_LOG_LEVEL: config.logLevel,
          ...(functionSourceMapsAtRuntime ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        },
        bundling: functionBundling,
      });
      // DESIGN §9 fixes the Lambda runtime at nodejs22.x (the toolchain and the local stack are tested against it).
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'The runtime is pinned to nodejs22.x by the design (DESIGN §9): the code, its dependencies and tests target Node 22; moving to a newer runtime is a deliberate upgrade, not a drift.',
      });
      return fn;
    };

    this.api = make('api');
    this.public = make('public');
    this.bulkStart = make('bulk-start');
    this.bulkIssue = make('bulk-issue');
    this.expiryAlerts = make('expiry-alerts');
    this.retention = make('retention');

    this.sesIdentityArn = config.sesIdentity.startsWith('arn:')
      ? config.sesIdentity
      : stack.formatArn({ service: 'ses', resource: 'identity', resourceName: config.sesIdentity });

    this.grantAccess(props);
    this.reserveConcurrency(config);
  }

  // ---- Reserved concurrency (deployment hardening) ----------------------------------------------------------------

  /**
   * Each function's most concurrent executions, reserved out of the account's pool: a verify flood on the public
   * routes (or a runaway staff script) is throttled at its own function and never takes the account's concurrency
   * from the others. bulk-issue gets what its queue's maximum concurrency asks; the daily jobs run one part at a
   * time (two leave room for a schedule retry beside a continuation, so SQS deliveries are not throttled into the
   * dead-letter queue). 0 in the context leaves a function unreserved.
   */
  private reserveConcurrency(config: MeritConfig): void {
    const reserved: Record<FunctionName, number> = {
      public: config.publicReservedConcurrency,
      api: config.apiReservedConcurrency,
      'bulk-start': 5,
      'bulk-issue': config.bulkMaxConcurrency,
      'expiry-alerts': 2,
      retention: 2,
    };
    for (const [name, fn] of Object.entries(this.all()) as Array<[FunctionName, NodejsFunction]>) {
      if (reserved[name] > 0) (fn.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = reserved[name];
    }
  }

  /**
   * Who may do what: see the table in the class comment. The suites check every AWS call each function makes on
   * the local stack against these grants (test/support/iam-parity.ts): a new call fails `npm test`, naming the
   * function, route and call, until its grant is added here.
   */
  private grantAccess({ data, signing, config, publicBaseUrlParameterName }: FunctionsProps): void {
    const stack = Stack.of(this);
    const { imagesBucket, dropsBucket, reportsBucket } = data;

    // api: the staff and learner routes.
    data.grantTableReadWrite(this.api);
    data.grantObjects(this.api, imagesBucket, ['GetObject', 'PutObject', 'DeleteObject']);
    data.grantObjects(this.api, dropsBucket, ['PutObject'], 'drops/*'); // signs pre-signed upload URLs
    data.grantObjects(this.api, reportsBucket, ['GetObject']); // GET /bulk-jobs/{id}/report
    signing.grantSign(this.api);

    // public: read-only except appending disclosure records (DESIGN §5.5: each view of a shared credential).
    data.grantTableReadAppend(this.public, [auditPartitionPrefix]);
    data.grantObjects(this.public, imagesBucket, ['GetObject']);
    signing.grantGetPublicKey(this.public);

    // bulk-start: reads the drop, records the job, writes the report of a file that fails as a whole (or whose
    // lines were all settled on reading) and then deletes the drop.
    data.grantTableReadWrite(this.bulkStart);
    data.grantObjects(this.bulkStart, dropsBucket, ['GetObject', 'DeleteObject'], 'drops/*');
    data.grantObjects(this.bulkStart, reportsBucket, ['PutObject']);

    // bulk-issue: issues and signs, bakes images, writes the results CSV, then deletes the drop it came from.
    data.grantTableReadWrite(this.bulkIssue);
    data.grantObjects(this.bulkIssue, imagesBucket, ['PutObject']);
    data.grantObjects(this.bulkIssue, reportsBucket, ['PutObject']);
    data.grantObjects(this.bulkIssue, dropsBucket, ['DeleteObject'], 'drops/*');
    signing.grantSign(this.bulkIssue);

    // expiry-alerts: records alerts sent, e-mails holders and admins, publishes credential.expiring events.
    this.expiryAlerts.addEnvironment(envNames.alertThresholds, config.alertThresholds.join(','));
    if (config.adminDigestEmails.length > 0)
      this.expiryAlerts.addEnvironment(envNames.adminDigestEmails, config.adminDigestEmails.join(','));
    data.grantTableReadWrite(this.expiryAlerts);
    this.expiryAlerts.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.sesIdentityArn],
        conditions: { StringEquals: { 'ses:FromAddress': config.sesFromAddress } },
      }),
    );
    events.EventBus.fromEventBusName(this, 'DefaultEventBus', 'default').grantPutEventsTo(this.expiryAlerts);

    // retention: deletes PII and images, revokes credentials (re-signing status lists).
    data.grantTableReadWrite(this.retention);
    data.grantObjects(this.retention, imagesBucket, ['DeleteObject']);
    data.grantListBucket(this.retention, imagesBucket); // finds a credential's images by prefix
    signing.grantSign(this.retention);

    // The identifier pepper, for the functions that create learners (tombstone check) or delete them, and those that
    // derive district pseudonyms (issuing; public: the recipient check and shared CLRs).
    for (const fn of [this.api, this.bulkIssue, this.retention, this.public]) {
      data.grantIdentifierPepper(fn);
      fn.addEnvironment(envNames.identifierPepperSecretArn, data.identifierPepper.secretArn);
    }

    // The public base URL parameter, by its name (not the resource: see PublicUrl).
    if (!config.publicBaseUrl) {
      const parameterArn = stack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: publicBaseUrlParameterName.replace(/^\//, ''),
      });
      for (const fn of [this.api, this.public, this.bulkIssue, this.expiryAlerts, this.retention]) {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }));
      }
    }
  }

  /** All six, for assertions and loops. */
  all(): Record<FunctionName, NodejsFunction> {
    return {
      api: this.api,
      public: this.public,
      'bulk-start': this.bulkStart,
      'bulk-issue': this.bulkIssue,
      'expiry-alerts': this.expiryAlerts,
      retention: this.retention,
    };
  }
}
