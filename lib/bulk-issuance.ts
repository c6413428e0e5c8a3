import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envNames } from '#config/env';
import { bulkQueueSettings, dropNotification } from '#config/topology';
import { queueNotEmptyAlarm } from './alarms';

export interface BulkIssuanceProps {
  /** The bucket SIS exports are dropped into (under `drops/`). */
  dropsBucket: s3.IBucket;
  /** Encrypts the queues: batches carry rows of SIS exports (student PII). */
  key: kms.IKey;
  bulkStart: lambda.Function;
  bulkIssue: lambda.Function;
  /** Upper bound of concurrent bulk-issue invocations, sized against the KMS Sign quota (DESIGN §4). */
  maxConcurrency: number;
  /** Messages per bulk-issue invocation. */
  batchSize: number;
}

/**
 * Bulk issuance from SIS drops (DESIGN §4): a `.csv`, `.tsv` or `.txt` put under `drops/` in the drops bucket (the
 * filters of functions/config/topology.ts, which the local stack applies too) invokes `bulk-start`,
 * which records the job and sends its rows, in batches, to the queue; `bulk-issue` consumes the queue with bounded
 * concurrency (so KMS Sign throttling never loses a row) and reports per-message failures, so only the failed
 * batches of an invocation are retried. After `bulkQueueSettings.maxReceiveCount` tries a batch goes to the dead-letter queue, and an
 * alarm fires as soon as that queue is not empty.
 */
export class BulkIssuance extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** S3 events bulk-start could not handle after Lambda's retries (its on-failure destination). */
  readonly startFailures: sqs.Queue;
  readonly startFailureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: BulkIssuanceProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      // Six times the consumer's timeout (see bulkQueueSettings), so a batch is not redelivered while it still runs.
      visibilityTimeout: Duration.seconds(bulkQueueSettings.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: bulkQueueSettings.maxReceiveCount },
    });

    this.deadLetterAlarm = queueNotEmptyAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'Merit bulk issuance: batches failed repeatedly and are in the dead-letter queue; their rows were not issued.',
    );

    // bulk-start: sends batches. Explicit actions: the queue grant helpers would add kms:GenerateDataKey* and
    // kms:ReEncrypt* wildcards.
    props.bulkStart.addEnvironment(envNames.bulkQueueUrl, this.queue.queueUrl);
    props.bulkStart.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], resources: [this.queue.queueArn] }),
    );
    props.bulkStart.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.key.keyArn] }),
    );

    // bulk-issue: consumes batches (the event source grants receive/delete and kms:Decrypt on the queue's key).
    props.bulkIssue.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );

    // bulk-start is invoked asynchronously by S3: an event it still fails after Lambda's two retries lands here,
    // with an alarm, instead of being dropped (the drop would otherwise never become a job). The record holds the
    // bucket, key and ETag (no rows): SQS-managed keys, and no KMS grant for the function.
    this.startFailures = new sqs.Queue(this, 'StartFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.startFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: bulk-start's on-failure destination for S3 events it could not handle. A dead-letter queue needs no dead-letter queue of its own.",
    });
    props.bulkStart.configureAsyncInvoke({ onFailure: new SqsDestination(this.startFailures), retryAttempts: 2 });
    this.startFailureAlarm = queueNotEmptyAlarm(
      this,
      'StartFailureAlarm',
      this.startFailures,
      'Merit bulk issuance: bulk-start failed an SIS drop after all retries; the drop did not become a job (its S3 event is in the StartFailures queue).',
    );

    // One filter per suffix (S3 allows one suffix per filter), all to the same function.
    const startJob = new s3n.LambdaDestination(props.bulkStart);
    for (const suffix of dropNotification.suffixes) {
      props.dropsBucket.addEventNotification(s3.EventType.OBJECT_CREATED, startJob, { prefix: dropNotification.prefix, suffix });
    }
    acknowledgeBucketNotificationsHandler(Stack.of(this));
  }
}

/**
 * `addEventNotification` makes CDK add one stack-wide helper Lambda (`BucketNotificationsHandler…`) that writes
 * the bucket's notification configuration at deploy time. Its role and runtime are CDK's, not ours.
 */
const acknowledgeBucketNotificationsHandler = (stack: Stack): void => {
  const handler = stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  if (!handler) return;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'CDK-internal deploy-time helper that sets the drops bucket notification; CDK gives its role the AWS managed AWSLambdaBasicExecutionRole (CloudWatch Logs only) and offers no way to replace it.',
  });
};
