import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { envNames } from '#config/env';
import { routeKey, routes } from '#http/routes';
import { readConfig } from '#lib/config';
import { type Synthesized, synthMerit } from './synth';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });

const publicRouteKeys = routes
  .filter((route) => route.access === 'public')
  .map(routeKey)
  .sort();

describe('deployment hardening, with the context set', () => {
  let synth: Synthesized;
  let resources: Record<string, Resource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

  beforeAll(() => {
    synth = synthMerit({
      bundle: false,
      context: {
        apiThrottleRate: 60,
        apiThrottleBurst: 120,
        publicThrottleRate: 7,
        publicThrottleBurst: 14,
        publicReservedConcurrency: 35,
        apiReservedConcurrency: 0,
        alarmEmail: 'it-alerts@district.example',
      },
    });
    resources = synth.template.toJSON()['Resources'];
  });

  it('throttles public routes apart from staff routes, on the one stage, after the routes exist', () => {
    // Act
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    const [, stage] = stages[0]!;
    const routeIds = ofType('AWS::ApiGatewayV2::Route')
      .filter(([, route]) => publicRouteKeys.includes(route.Properties['RouteKey']))
      .map(([id]) => id);

    // Assess
    expect(stages).toHaveLength(1);
    expect(stage.Properties['DefaultRouteSettings']).toEqual({ ThrottlingRateLimit: 60, ThrottlingBurstLimit: 120 });
    expect(Object.keys(stage.Properties['RouteSettings']).sort()).toEqual(publicRouteKeys);
    for (const key of publicRouteKeys)
      expect(stage.Properties['RouteSettings'][key]).toEqual({ ThrottlingRateLimit: 7, ThrottlingBurstLimit: 14 });
    expect(routeIds).toHaveLength(publicRouteKeys.length);
    expect(stage.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('reserves concurrency for the public function from context, and bounds every other function', () => {
    // Act
    const reserved = Object.fromEntries(
      Object.entries(synth.stack.functions.all()).map(([name, fn]) => [
        name,
        resources[synth.logicalId(fn)]!.Properties['ReservedConcurrentExecutions'],
      ]),
    );

    // Assess: apiReservedConcurrency 0 leaves the api function unreserved
    expect(reserved).toEqual({ public: 35, api: undefined, 'bulk-start': 5, 'bulk-issue': 20, 'expiry-alerts': 2, retention: 2 });
  });

  it('sends the S3 events bulk-start fails after two retries to a TLS-only queue with an alarm', () => {
    // Prepare
    const failures = synth.logicalId(synth.stack.bulk.startFailures);

    // Act
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, config]) => config.Properties);

    // Assess
    expect(configs).toEqual([
      expect.objectContaining({
        FunctionName: { Ref: synth.logicalId(synth.stack.functions.bulkStart) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: getAtt(failures) } },
      }),
    ]);
    const policy = ofType('AWS::SQS::QueuePolicy').find(([, candidate]) =>
      JSON.stringify(candidate.Properties['Queues']).includes(failures),
    );
    expect(JSON.stringify(policy?.[1].Properties['PolicyDocument'])).toContain('"aws:SecureTransport":"false"');
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(failures, 'QueueName') }],
      Threshold: 1,
    });
  });

  it('has every alarm notify one KMS-encrypted, TLS-only SNS topic with the e-mail subscription of the context', () => {
    // Prepare
    const topic = synth.logicalId(synth.stack.alarms.topic);
    const key = synth.logicalId(synth.stack.alarms.key);

    // Act
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const [topicPolicy] = ofType('AWS::SNS::TopicPolicy').map(([, policy]) => policy.Properties);
    const keyPolicy = JSON.stringify(resources[key]!.Properties['KeyPolicy']);

    // Assess
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) expect(alarm['AlarmActions']).toEqual([{ Ref: topic }]);
    expect(resources[topic]!.Properties['KmsMasterKeyId']).toEqual(getAtt(key));
    expect(resources[key]!.Properties['EnableKeyRotation']).toBe(true);
    expect(keyPolicy).toContain('cloudwatch.amazonaws.com');
    expect(JSON.stringify(topicPolicy?.['PolicyDocument'])).toContain('"aws:SecureTransport":"false"');
    expect(topicPolicy?.['Topics']).toEqual([{ Ref: topic }]);
    synth.template.resourcePropertiesCountIs(
      'AWS::SNS::Subscription',
      { Protocol: 'email', Endpoint: 'it-alerts@district.example', TopicArn: { Ref: topic } },
      1,
    );
  });

  it('lets each daily job carry a run on through its own queue: send to it, consume it one message at a time', () => {
    for (const [fn, queue] of [
      [synth.stack.functions.retention, synth.stack.schedules.retentionContinuations],
      [synth.stack.functions.expiryAlerts, synth.stack.schedules.expiryAlertsContinuations],
    ] as const) {
      // Prepare
      const fnId = synth.logicalId(fn);
      const queueId = synth.logicalId(queue);
      const roleId = synth.logicalId(fn.role!);

      // Act
      const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, mapping]) => mapping.Properties['FunctionName'].Ref === fnId);
      const sends = ofType('AWS::IAM::Policy')
        .filter(([, policy]) => JSON.stringify(policy.Properties['Roles']).includes(roleId))
        .flatMap(([, policy]) => policy.Properties['PolicyDocument'].Statement as Array<{ Action: string | string[]; Resource: unknown }>)
        .filter((statement) => [statement.Action].flat().includes('sqs:SendMessage'));
      const properties = resources[queueId]!.Properties;

      // Assess
      expect(mappings.map(([, mapping]) => mapping.Properties)).toEqual([
        expect.objectContaining({ EventSourceArn: getAtt(queueId), BatchSize: 1 }),
      ]);
      expect(sends.map((statement) => statement.Resource)).toEqual([getAtt(queueId)]);
      expect(resources[fnId]!.Properties['Environment'].Variables[envNames.continuationQueueUrl]).toEqual({ Ref: queueId });
      expect(properties['RedrivePolicy']).toEqual({
        deadLetterTargetArn: getAtt(synth.logicalId(synth.stack.schedules.deadLetterQueue)),
        maxReceiveCount: 5,
      });
      expect(properties['VisibilityTimeout']).toBeGreaterThanOrEqual(resources[fnId]!.Properties['Timeout']);
    }
  });
});

describe('without an alarm e-mail', () => {
  it('has the alarms topic and no subscription', () => {
    // Act
    const synth = synthMerit({ bundle: false });

    // Assess
    synth.template.resourceCountIs('AWS::SNS::Topic', 1);
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(
      synth.template.toJSON()['Resources'][synth.logicalId(synth.stack.functions.public)].Properties['ReservedConcurrentExecutions'],
    ).toBe(20);
  });
});

describe('the hardening context values', () => {
  it.each([
    [{ alarmEmail: 'it-alerts' }, /alarmEmail/],
    [{ alarmEmail: 'a@district.example,b@district.example' }, /alarmEmail/],
    [{ publicReservedConcurrency: -1 }, /publicReservedConcurrency/],
    [{ apiReservedConcurrency: 1.5 }, /apiReservedConcurrency/],
    [{ publicThrottleRate: 0 }, /publicThrottleRate/],
    [{ publicThrottleBurst: 'many' }, /publicThrottleBurst/],
  ])('refuses %o with a message naming the setting', (context, message) => {
    // Act
    const read = () => readConfig(new App({ context }).node);

    // Assess
    expect(read).toThrow(message);
  });
});
