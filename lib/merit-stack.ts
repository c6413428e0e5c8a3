import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Alarms } from './alarms';
import { Api } from './api';
import { BulkIssuance } from './bulk-issuance';
import type { MeritConfig } from './config';
import { Data } from './data';
import { Functions } from './functions';
import { PublicUrl } from './public-url';
import { Schedules } from './schedules';
import { Signing } from './signing';
import { WebApp } from './web-app';

export interface MeritStackProps extends StackProps {
  config: MeritConfig;
}

/**
 * One district's Merit deployment (DESIGN §1): data, signing key, functions, HTTP API, public URL parameter, bulk
 * issuance pipeline and daily schedules. Each piece is a construct in its own file in lib/.
 */
export class MeritStack extends Stack {
  readonly data: Data;
  readonly signing: Signing;
  readonly functions: Functions;
  readonly api: Api;
  readonly publicUrl: PublicUrl;
  readonly bulk: BulkIssuance;
  readonly schedules: Schedules;
  readonly alarms: Alarms;
  readonly webApp: WebApp;

  constructor(scope: Construct, id: string, props: MeritStackProps) {
    super(scope, id, props);
    const { config } = props;
    const slug = this.stackName.toLowerCase();
    const publicBaseUrlParameterName = `/merit/${this.stackName}/public-base-url`;

    this.data = new Data(this, 'Data', {
      reportRetentionDays: config.reportRetentionDays,
      dropRetentionDays: config.dropRetentionDays,
      accessLogRetentionDays: config.accessLogRetentionDays,
    });
    this.signing = new Signing(this, 'Signing', { aliasName: `alias/${slug}-signing`, retiredKeyIds: config.retiredSigningKeyIds });
    this.functions = new Functions(this, 'Functions', {
      config,
      data: this.data,
      signing: this.signing,
      publicBaseUrlParameterName,
    });
    this.api = new Api(this, 'Api', {
      publicFunction: this.functions.public,
      apiFunction: this.functions.api,
      oidcIssuer: config.oidcIssuer,
      oidcAudience: config.oidcAudience,
      throttle: { rateLimit: config.apiThrottleRate, burstLimit: config.apiThrottleBurst },
      publicThrottle: { rateLimit: config.publicThrottleRate, burstLimit: config.publicThrottleBurst },
      logRetention: config.logRetentionDays as logs.RetentionDays,
    });
    this.publicUrl = new PublicUrl(this, 'PublicUrl', {
      parameterName: publicBaseUrlParameterName,
      url: config.publicBaseUrl ?? this.api.url,
    });
    this.bulk = new BulkIssuance(this, 'BulkIssuance', {
      dropsBucket: this.data.dropsBucket,
      key: this.data.key,
      bulkStart: this.functions.bulkStart,
      bulkIssue: this.functions.bulkIssue,
      maxConcurrency: config.bulkMaxConcurrency,
      batchSize: config.bulkBatchSize,
    });
    this.schedules = new Schedules(this, 'Schedules', {
      expiryAlerts: this.functions.expiryAlerts,
      retention: this.functions.retention,
      timeZone: config.timeZone,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      alarms: [this.bulk.deadLetterAlarm, this.bulk.startFailureAlarm, this.schedules.deadLetterAlarm],
      email: config.alarmEmail,
    });

    this.webApp = new WebApp(this, 'WebApp', {
      httpApi: this.api.httpApi,
      accessLogsBucket: this.data.accessLogsBucket,
      oidcIssuer: config.oidcIssuer,
      clientId: config.oidcAudience[0]!,
      dropsBucket: this.data.dropsBucket,
    });
    new CfnOutput(this, 'AppBucketName', { value: this.webApp.bucket.bucketName, description: 'Upload web/dist here under app/ (README)' });
    new CfnOutput(this, 'AppUrl', { value: `${this.webApp.url}/app/`, description: 'The web app (and the API) on one CloudFront origin' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'The HTTP API URL' });
    new CfnOutput(this, 'PublicBaseUrl', {
      value: config.publicBaseUrl ?? this.api.url,
      description: 'The base URL in credentials and DID documents',
    });
    new CfnOutput(this, 'PublicBaseUrlParameter', {
      value: publicBaseUrlParameterName,
      description: 'SSM parameter holding the public base URL',
    });
    new CfnOutput(this, 'TableName', {
      value: this.data.table.tableName,
      description: 'The DynamoDB table (scripts/add-member.ts --table)',
    });
    new CfnOutput(this, 'DropsBucketName', {
      value: this.data.dropsBucket.bucketName,
      description: 'Put SIS exports under drops/ in this bucket',
    });
    new CfnOutput(this, 'ReportsBucketName', { value: this.data.reportsBucket.bucketName, description: 'Per-drop results CSVs' });
    new CfnOutput(this, 'AlarmsTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'SNS topic the alarms notify (subscribe more recipients here)',
    });
    new CfnOutput(this, 'SigningKeyArn', { value: this.signing.key.keyArn, description: 'The Ed25519 KMS signing key' });
  }
}
