import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envNames } from '#config/env';
import { queueNotEmptyAlarm } from './alarms';

export interface SchedulesProps {
  expiryAlerts: lambda.Function;
  retention: lambda.Function;
  /** The district's IANA time zone, e.g. `America/Chicago`. */
  timeZone: string;
}

/**
 * The daily jobs (DESIGN §6), on EventBridge Scheduler (not legacy rules) in the district's time zone:
 * `expiry-alerts` at 06:00 (e-mails arrive before the school day) and `retention` at 02:00 (quiet hours).
 * Failed invocations are retried with backoff for up to six hours, then land in a dead-letter queue with an alarm.
 * Both jobs are idempotent (an alert is sent once per credential and threshold), so a retry is safe.
 *
 * A run too long for one invocation (a district of 100,000 learners) stops before the function's timeout and sends
 * the rest to the job's continuation queue, which the same function consumes (features/scheduled/scheduled-runs.ts). A queue
 * rather than the function invoking itself: a role that names its own function's ARN is a circular dependency, and
 * the queue gives the parts retries and a dead-letter queue (the schedules' one) for free.
 */
export class Schedules extends Construct {
  readonly expiryAlerts: scheduler.Schedule;
  readonly retention: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly expiryAlertsContinuations: sqs.Queue;
  readonly retentionContinuations: sqs.Queue;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const timeZone = TimeZone.of(props.timeZone);

    // Holds the scheduler's failed invocation requests (job name and time, no learner data) and continuations that
    // failed repeatedly (job, instant and the last id handled): SQS-managed keys.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // This queue is the dead-letter queue of the two schedules; SQS3 only recognises queues named in another
    // queue's redrive policy as dead-letter queues.
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the one EventBridge Scheduler sends failed expiry-alerts and retention invocations to. A dead-letter queue needs no dead-letter queue of its own.',
    });
    this.deadLetterAlarm = queueNotEmptyAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'Merit schedules: a daily job (expiry-alerts or retention) could not be invoked, or a part of a run could not finish, after all retries.',
    );

    this.expiryAlertsContinuations = this.continuationQueue('ExpiryAlertsContinuations', props.expiryAlerts);
    this.retentionContinuations = this.continuationQueue('RetentionContinuations', props.retention);

    const target = (fn: lambda.IFunction) =>
      new InvokeFunction(fn, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 5,
        maxEventAge: Duration.hours(6),
      });

    const prefix = Stack.of(this).stackName;
    this.expiryAlerts = new scheduler.Schedule(this, 'ExpiryAlerts', {
      scheduleName: `${prefix}-expiry-alerts`,
      description: 'Merit: daily expiry alerts (90/30/7 days) by e-mail and EventBridge event',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '6', timeZone }),
      target: target(props.expiryAlerts),
    });
    this.retention = new scheduler.Schedule(this, 'Retention', {
      scheduleName: `${prefix}-retention`,
      description: 'Merit: daily retention run (hard-deletes learner PII past the district policy, leaves receipts)',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '2', timeZone }),
      target: target(props.retention),
    });
  }

  /** The queue a job's function sends the rest of a run to, and consumes one message per invocation from. */
  private continuationQueue(id: string, fn: lambda.Function): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda requires at least the function's timeout; six times it, as AWS advises, so a part is never redelivered while it runs.
      visibilityTimeout: Duration.seconds((fn.timeout?.toSeconds() ?? 900) * 6),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    fn.addEnvironment(envNames.continuationQueueUrl, queue.queueUrl);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    fn.addEventSource(new SqsEventSource(queue, { batchSize: 1 }));
    return queue;
  }
}

/**
 * Invokes a Lambda function from a schedule. Same as `LambdaInvoke` from aws-scheduler-targets (CDK builds the
 * role, retry policy and dead-letter configuration), except that the role may invoke the function's unqualified
 * ARN only, instead of the function and all of its versions and aliases (`<arn>:*`).
 */
class InvokeFunction extends ScheduleTargetBase implements scheduler.IScheduleTarget {
  private readonly fn: lambda.IFunction;

  constructor(fn: lambda.IFunction, props: ScheduleTargetBaseProps) {
    super(props, fn.functionArn);
    this.fn = fn;
  }

  protected addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
  }
}
