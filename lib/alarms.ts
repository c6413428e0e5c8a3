import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** An alarm that fires as soon as a dead-letter queue holds a message: something failed after all its retries. */
export const queueNotEmptyAlarm = (scope: Construct, id: string, queue: sqs.IQueue, alarmDescription: string): cloudwatch.Alarm =>
  new cloudwatch.Alarm(scope, id, {
    alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

export interface AlarmsProps {
  /** Every alarm of the stack; each notifies the topic when it fires. */
  alarms: cloudwatch.Alarm[];
  /** The address subscribed to the topic (it confirms by e-mail); none when absent. */
  email: string | undefined;
}

/**
 * Where the stack's alarms go (dead-letter queues that are not empty): one SNS topic, encrypted with its own KMS key
 * (CloudWatch cannot publish to a topic under the AWS-managed SNS key, so the key policy lets CloudWatch use this
 * one), TLS only, with the district's e-mail subscription when `alarmEmail` is set.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'Merit: encrypts the alarms topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'], // in a key policy, "*" is this key
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Merit alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    const action = new SnsAction(this.topic);
    for (const alarm of props.alarms) alarm.addAlarmAction(action);
  }
}
