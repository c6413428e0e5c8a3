import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import { type FunctionName, functionNames } from '#config/topology';
import { type AwsCall, type AwsResource, invocationAction } from '#local/aws-calls';
import { cdkJsonContext, type Synthesized, synthMerit } from '../infra/synth';

/** The fake account and region the template's tokens resolve to. */
export const fakeAccount = '111122223333';
export const fakeRegion = 'us-east-1';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
type PolicyDocument = { Version: string; Statement: unknown[] };

/**
 * Resolves CloudFormation intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split, Fn::Sub) into concrete
 * values, as CloudFormation would in the fake account: a resource's physical name is its logical id.
 */
const resolver = (template: Template) => {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': fakeRegion,
    'AWS::AccountId': fakeAccount,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'Merit',
  };
  const name = (id: string) => id.toLowerCase();
  const ref = (id: string): string => {
    if (pseudo[id]) return pseudo[id];
    const type = template.Resources[id]?.Type;
    switch (type) {
      case 'AWS::S3::Bucket':
        return name(id);
      case 'AWS::SQS::Queue':
        return `https://sqs.${fakeRegion}.amazonaws.com/${fakeAccount}/${id}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${fakeRegion}:${fakeAccount}:secret:${id}-AbCdEf`;
      default:
        return id;
    }
  };
  const getAtt = (id: string, attribute: string): string => {
    const type = template.Resources[id]?.Type;
    const arn = (service: string, resource: string) => `arn:aws:${service}:${fakeRegion}:${fakeAccount}:${resource}`;
    if (attribute === 'Arn') {
      switch (type) {
        case 'AWS::DynamoDB::Table':
          return arn('dynamodb', `table/${id}`);
        case 'AWS::S3::Bucket':
          return `arn:aws:s3:::${name(id)}`;
        case 'AWS::KMS::Key':
          return arn('kms', `key/${id}`);
        case 'AWS::SQS::Queue':
          return arn('sqs', id);
        case 'AWS::Lambda::Function':
          return arn('lambda', `function:${id}`);
        case 'AWS::IAM::Role':
          return `arn:aws:iam::${fakeAccount}:role/${id}`;
        case 'AWS::Logs::LogGroup':
          return arn('logs', `log-group:${id}:*`);
        default:
          return arn('unknown', `${type}/${id}`);
      }
    }
    if (attribute === 'QueueName') return id;
    return `${id}.${attribute}`;
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (!value || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const [key] = Object.keys(object);
    const argument = object[key ?? ''];
    if (Object.keys(object).length === 1) {
      if (key === 'Ref') return ref(argument as string);
      if (key === 'Fn::GetAtt') {
        const [id, attribute] = typeof argument === 'string' ? (argument.split('.') as [string, string]) : (argument as [string, string]);
        return getAtt(id, attribute);
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = argument as [string, unknown[]];
        return (resolve(parts) as unknown[]).join(separator);
      }
      if (key === 'Fn::Select') {
        const [index, list] = argument as [number, unknown];
        return (resolve(list) as unknown[])[Number(index)];
      }
      if (key === 'Fn::Split') {
        const [separator, text] = argument as [string, unknown];
        return String(resolve(text)).split(separator);
      }
      if (key === 'Fn::Sub') {
        const text = typeof argument === 'string' ? argument : (argument as [string])[0];
        return text.replace(/\$\{([^}]+)\}/g, (_match, expression: string) =>
          expression.includes('.') ? getAtt(...(expression.split('.') as [string, string])) : ref(expression),
        );
      }
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolve(v)]));
  };
  return resolve;
};

export interface FunctionRole {
  roleArn: string;
  policies: Array<{ name: string; policy: PolicyDocument }>;
}

export interface ParityModel {
  roles: Record<FunctionName, FunctionRole>;
  arnOf(resource: AwsResource): string;
  /** The resource's own policy (KMS key policy, bucket policy, queue policy), when it has one. */
  resourcePolicyOf(resource: AwsResource): PolicyDocument | undefined;
  /** Condition keys AWS adds to a call by itself (ses:FromAddress is the sender the function is configured with). */
  contextOf(call: AwsCall): Record<string, string | string[]>;
}

/** The functions' roles and the resources' ARNs, from the synthesized template (placeholders, no bundling). */
export const parityModel = (synth: Synthesized = synthMerit({ bundle: false })): ParityModel => {
  const template = synth.template.toJSON() as Template;
  const resolve = resolver(template);
  const { stack } = synth;
  const concrete = (token: string): string => String(resolve(Stack.of(stack).resolve(token)));

  const roles = {} as Record<FunctionName, FunctionRole>;
  const functions = stack.functions.all();
  for (const fn of functionNames) {
    const roleId = (template.Resources[synth.logicalId(functions[fn])]!.Properties!['Role'] as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const policies = Object.entries(template.Resources)
      .filter(
        ([, resource]) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties?.['Roles']).includes(`"${roleId}"`),
      )
      .map(([id, resource]) => ({ name: id, policy: resolve(resource.Properties?.['PolicyDocument']) as PolicyDocument }));
    const inline = (
      (template.Resources[roleId]?.Properties?.['Policies'] ?? []) as Array<{ PolicyName: string; PolicyDocument: unknown }>
    ).map((entry) => ({
      name: entry.PolicyName,
      policy: resolve(entry.PolicyDocument) as PolicyDocument,
    }));
    roles[fn] = { roleArn: `arn:aws:iam::${fakeAccount}:role/${roleId}`, policies: [...policies, ...inline] };
  }

  const tableArn = concrete(stack.data.table.tableArn);
  const buckets = { images: stack.data.imagesBucket, drops: stack.data.dropsBucket, reports: stack.data.reportsBucket };
  const arnOf = (resource: AwsResource): string => {
    switch (resource.kind) {
      case 'table':
        return resource.index ? `${tableArn}/index/${resource.index}` : tableArn;
      case 'bucket':
        return concrete(buckets[resource.bucket].bucketArn);
      case 'object':
        return `${concrete(buckets[resource.bucket].bucketArn)}/${resource.key}`;
      case 'signingKey':
        return concrete(stack.signing.key.keyArn);
      case 'bulkQueue':
        return concrete(stack.bulk.queue.queueArn);
      case 'sesIdentity':
        return concrete(stack.functions.sesIdentityArn);
      case 'defaultEventBus':
        return `arn:aws:events:${fakeRegion}:${fakeAccount}:event-bus/default`;
      case 'identifierPepper':
        return concrete(stack.data.identifierPepper.secretArn);
      case 'function':
        return `arn:aws:lambda:${fakeRegion}:${fakeAccount}:function:${synth.logicalId(functions.api)}`;
    }
  };
  const policyOfResource = (type: string, property: string, targets: string, id: string): PolicyDocument | undefined => {
    const found = Object.values(template.Resources).find(
      (resource) => resource.Type === type && JSON.stringify(resource.Properties?.[targets] ?? '').includes(`"${id}"`),
    );
    return found ? (resolve(found.Properties?.[property]) as PolicyDocument) : undefined;
  };
  const resourcePolicyOf = (resource: AwsResource): PolicyDocument | undefined => {
    switch (resource.kind) {
      case 'signingKey':
        return resolve(template.Resources[synth.logicalId(stack.signing.key)]?.Properties?.['KeyPolicy']) as PolicyDocument;
      case 'bucket':
      case 'object':
        return policyOfResource('AWS::S3::BucketPolicy', 'PolicyDocument', 'Bucket', synth.logicalId(buckets[resource.bucket]));
      case 'bulkQueue':
        return policyOfResource('AWS::SQS::QueuePolicy', 'PolicyDocument', 'Queues', synth.logicalId(stack.bulk.queue));
      default:
        return undefined;
    }
  };
  const contextOf = (call: AwsCall): Record<string, string | string[]> => ({
    // The SDK calls AWS over TLS only; the buckets' and queues' policies deny anything else.
    'aws:SecureTransport': 'true',
    ...(call.action === 'ses:SendEmail' ? { 'ses:FromAddress': String(cdkJsonContext['sesFromAddress']) } : {}),
    ...(call.leadingKeys && call.leadingKeys.length > 0 ? { 'dynamodb:LeadingKeys': call.leadingKeys } : {}),
    ...call.context,
  });
  return { roles, arnOf, resourcePolicyOf, contextOf };
};

export interface Denial {
  function: FunctionName;
  action: string;
  resource: string;
  leadingKeys?: string[];
  /** Routes or jobs that made the call. */
  triggers: string[];
  result: string;
}

/**
 * Simulates every recorded call against its function's role; answers the calls the role would not allow, and the
 * functions that ran but recorded no call (a recorder that is not wired would pass everything).
 */
export const checkParity = async (
  calls: readonly AwsCall[],
  model: ParityModel = parityModel(),
): Promise<{ denials: Denial[]; silent: FunctionName[]; checked: number }> => {
  const unique = new Map<
    string,
    {
      call: AwsCall;
      arn: string;
      context: Record<string, string | string[]>;
      resourcePolicy: PolicyDocument | undefined;
      triggers: Set<string>;
    }
  >();
  const invoked = new Set<FunctionName>();
  const calling = new Set<FunctionName>();
  for (const call of calls) {
    if (call.action === invocationAction) {
      invoked.add(call.function);
      continue;
    }
    calling.add(call.function);
    const arn = model.arnOf(call.resource);
    const context = model.contextOf(call);
    const key = JSON.stringify([call.function, call.action, arn, context]);
    const known = unique.get(key) ?? {
      call,
      arn,
      context,
      resourcePolicy: model.resourcePolicyOf(call.resource),
      triggers: new Set<string>(),
    };
    known.triggers.add(call.trigger);
    unique.set(key, known);
  }
  const denials: Denial[] = [];
  for (const { call, arn, context, resourcePolicy, triggers } of unique.values()) {
    const role = model.roles[call.function];
    const answer = await runSimulation(
      {
        identityPolicies: role.policies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy ? { resourcePolicy } : {}),
        request: {
          action: call.action,
          principal: role.roleArn,
          resource: { accountId: fakeAccount, resource: arn },
          contextVariables: context,
        },
      },
      {},
    );
    const result = answer.resultType === 'error' ? `invalid simulation: ${JSON.stringify(answer.errors)}` : answer.overallResult;
    if (result !== 'Allowed') {
      denials.push({
        function: call.function,
        action: call.action,
        resource: arn,
        ...(call.leadingKeys ? { leadingKeys: call.leadingKeys } : {}),
        triggers: [...triggers],
        result,
      });
    }
  }
  return { denials, silent: [...invoked].filter((fn) => !calling.has(fn)), checked: unique.size };
};

/** One line per denial: function, trigger, call. */
export const describeDenials = (denials: readonly Denial[]): string =>
  denials
    .map(
      (denial) =>
        `${denial.function} (${denial.triggers.join(', ')}): ${denial.action} on ${denial.resource}${denial.leadingKeys ? ` [LeadingKeys ${denial.leadingKeys.join(', ')}]` : ''} → ${denial.result}`,
    )
    .join('\n');
