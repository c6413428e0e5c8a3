import { AsyncLocalStorage } from 'node:async_hooks';
import { sendMessageBatches } from '#adapters/sqs/bulk-queue';
import type { FunctionName } from '#config/topology';
import type { BucketRole } from '#ports/blobs';
import type { BulkQueue } from '#ports/bulk-queue';
import type { Events } from '#ports/events';
import type { Mailer } from '#ports/mailer';
import type { Signer } from '#ports/signer';

/**
 * What a call touched, in the local stack's own terms; the IAM parity check (test/support/iam-parity.ts) maps each
 * to the ARN of the same resource in the synthesized template.
 */
export type AwsResource =
  | { kind: 'table'; index?: string }
  | { kind: 'bucket'; bucket: BucketRole }
  | { kind: 'object'; bucket: BucketRole; key: string }
  | { kind: 'signingKey' }
  | { kind: 'bulkQueue' }
  | { kind: 'sesIdentity' }
  | { kind: 'defaultEventBus' }
  | { kind: 'identifierPepper' }
  /** The function itself: its invocations are marked, so a function that ran but recorded no call is seen. */
  | { kind: 'function' };

/** Not an AWS call of the function's role: marks that the function ran (API Gateway, S3, SQS or Scheduler invoked it). */
export const invocationAction = 'local:Invoke';

/** One AWS call, as IAM authorises it. */
export interface AwsCall {
  function: FunctionName;
  /** What made the function run: `GET /status/{listId}`, `S3 drop`, `SQS bulk chunk`, `job retention`. */
  trigger: string;
  /** The IAM action, e.g. `dynamodb:PutItem`. */
  action: string;
  resource: AwsResource;
  /** DynamoDB: the partition key of each item the call touches (IAM's `dynamodb:LeadingKeys`). */
  leadingKeys?: string[];
  /** Condition keys the call carries, e.g. `ses:FromAddress`. */
  context?: Record<string, string>;
}

export type AwsCallSink = (call: AwsCall) => void;

const triggers = new AsyncLocalStorage<string>();

/** Runs `work` as caused by `trigger` (a route, a drop, a job): calls made inside are recorded with it. */
export const withTrigger = <T>(trigger: string, work: () => T): T => triggers.run(trigger, work);

/** Runs one invocation of a function, caused by `trigger`. */
export const invoke = <T>(recorder: CallRecorder, trigger: string, work: () => T): T =>
  withTrigger(trigger, () => {
    recorder.record({ action: invocationAction, resource: { kind: 'function' } });
    return work();
  });

/** Records calls of one function, each with the trigger it runs under. */
export interface CallRecorder {
  readonly function: FunctionName;
  record(call: Omit<AwsCall, 'function' | 'trigger'>): void;
}

export const callRecorder = (fn: FunctionName, sink: AwsCallSink | undefined): CallRecorder => ({
  function: fn,
  record: (call) => sink?.({ function: fn, trigger: triggers.getStore() ?? 'unknown', ...call }),
});

// ---- SDK clients: a middleware on the client's stack sees every command with its input ----

interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: 'build'; name: string; override?: boolean }): void;
}

type Input = Record<string, unknown>;

/** A DynamoDB key attribute as the document client marshals it (`{ S: '…' }`), or plain. */
const stringOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { S?: unknown }).S === 'string') return (value as { S: string }).S;
  return undefined;
};

const pkOf = (itemOrKey: unknown): string[] => {
  const pk = stringOf((itemOrKey as Input | undefined)?.['pk']);
  return pk === undefined ? [] : [pk];
};

/** IAM's view of a DynamoDB command: transactions and batches are authorised per item action. */
const dynamoCalls = (command: string, input: Input): Array<Omit<AwsCall, 'function' | 'trigger'>> => {
  const table = (index?: unknown): AwsResource => (typeof index === 'string' ? { kind: 'table', index } : { kind: 'table' });
  switch (command) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [{ action: `dynamodb:${command}`, resource: table(), leadingKeys: pkOf(input['Key']) }];
    case 'PutItem':
      return [{ action: 'dynamodb:PutItem', resource: table(), leadingKeys: pkOf(input['Item']) }];
    case 'Query':
      return [{ action: 'dynamodb:Query', resource: table(input['IndexName']) }];
    case 'BatchGetItem': {
      const requests = Object.values((input['RequestItems'] ?? {}) as Record<string, { Keys?: unknown[] }>);
      return [
        {
          action: 'dynamodb:BatchGetItem',
          resource: table(),
          leadingKeys: requests.flatMap((request) => (request.Keys ?? []).flatMap(pkOf)),
        },
      ];
    }
    case 'BatchWriteItem': {
      const requests = Object.values(
        (input['RequestItems'] ?? {}) as Record<string, Array<{ PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }>>,
      ).flat();
      return [
        {
          action: 'dynamodb:BatchWriteItem',
          resource: table(),
          leadingKeys: requests.flatMap((request) => pkOf(request.PutRequest?.Item ?? request.DeleteRequest?.Key)),
        },
      ];
    }
    case 'TransactWriteItems':
      return ((input['TransactItems'] ?? []) as Array<Record<string, Input>>).flatMap((item) => {
        if (item['Put']) return [{ action: 'dynamodb:PutItem', resource: table(), leadingKeys: pkOf(item['Put']['Item']) }];
        if (item['Update']) return [{ action: 'dynamodb:UpdateItem', resource: table(), leadingKeys: pkOf(item['Update']['Key']) }];
        if (item['Delete']) return [{ action: 'dynamodb:DeleteItem', resource: table(), leadingKeys: pkOf(item['Delete']['Key']) }];
        if (item['ConditionCheck'])
          return [{ action: 'dynamodb:ConditionCheckItem', resource: table(), leadingKeys: pkOf(item['ConditionCheck']['Key']) }];
        return [];
      });
    case 'TransactGetItems':
      return ((input['TransactItems'] ?? []) as Array<{ Get?: { Key: unknown } }>).map((item) => ({
        action: 'dynamodb:GetItem',
        resource: table(),
        leadingKeys: pkOf(item.Get?.Key),
      }));
    default:
      // Anything else (Scan, CreateTable…) is recorded under its own name: a role that lacks it fails the check.
      return [{ action: `dynamodb:${command}`, resource: table() }];
  }
};

/** IAM's view of an S3 command. */
const s3Calls = (
  command: string,
  input: Input,
  bucketRoles: ReadonlyMap<string, BucketRole>,
): Array<Omit<AwsCall, 'function' | 'trigger'>> => {
  const bucket = bucketRoles.get(String(input['Bucket']));
  if (!bucket)
    return [
      { action: `s3:${command}`, resource: { kind: 'bucket', bucket: 'images' }, context: { unknownBucket: String(input['Bucket']) } },
    ];
  const object = (key: unknown): AwsResource => ({ kind: 'object', bucket, key: String(key) });
  switch (command) {
    case 'GetObject':
    case 'HeadObject':
      return [{ action: 's3:GetObject', resource: object(input['Key']) }];
    case 'PutObject':
    case 'DeleteObject':
      return [{ action: `s3:${command}`, resource: object(input['Key']) }];
    case 'ListObjectsV2':
    case 'ListObjects':
      return [
        {
          action: 's3:ListBucket',
          resource: { kind: 'bucket', bucket },
          ...(typeof input['Prefix'] === 'string' ? { context: { 's3:prefix': input['Prefix'] } } : {}),
        },
      ];
    case 'DeleteObjects':
      return ((input['Delete'] as { Objects?: Array<{ Key: string }> } | undefined)?.Objects ?? []).map(({ Key }) => ({
        action: 's3:DeleteObject',
        resource: object(Key),
      }));
    default:
      return [{ action: `s3:${command}`, resource: { kind: 'bucket', bucket } }];
  }
};

/**
 * Records every command sent through an AWS SDK client (DynamoDB or S3), as the IAM action and resource AWS would
 * authorise it against. Added at the build step, after the document client has marshalled its input.
 */
export const recordSdkCalls = (
  client: { middlewareStack: MiddlewareStackLike },
  service: 'dynamodb' | 's3',
  recorder: CallRecorder,
  bucketRoles: ReadonlyMap<string, BucketRole> = new Map(),
): void => {
  client.middlewareStack.add(
    (next: (args: { input: Input }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Input }) => {
      const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const calls = service === 'dynamodb' ? dynamoCalls(command, args.input) : s3Calls(command, args.input, bucketRoles);
      for (const call of calls) recorder.record(call);
      return next(args);
    },
    { step: 'build', name: 'meritAwsCallRecorder', override: true },
  );
};

// ---- The local stand-ins for KMS, SES, EventBridge: record the call the AWS adapter would make ----

/** The local signer stands in for KMS: Sign and GetPublicKey on the signing key. */
export const recordedSigner = (signer: Signer, recorder: CallRecorder): Signer => ({
  keyId: signer.keyId,
  sign: (message) => {
    recorder.record({ action: 'kms:Sign', resource: { kind: 'signingKey' } });
    return signer.sign(message);
  },
  publicKey: () => {
    recorder.record({ action: 'kms:GetPublicKey', resource: { kind: 'signingKey' } });
    return signer.publicKey();
  },
});

/** The outbox stands in for SES v2 SendEmail, from the district's address. */
export const recordedMailer = (mailer: Mailer, recorder: CallRecorder): Mailer => ({
  send: (mail) => {
    recorder.record({ action: 'ses:SendEmail', resource: { kind: 'sesIdentity' } });
    return mailer.send(mail);
  },
});

/** The events file stands in for EventBridge PutEvents on the default bus. */
export const recordedEvents = (events: Events, recorder: CallRecorder): Events => ({
  publish: (batch) => {
    if (batch.length > 0) recorder.record({ action: 'events:PutEvents', resource: { kind: 'defaultEventBus' } });
    return events.publish(batch);
  },
});

/** The local pepper stands in for Secrets Manager GetSecretValue on the identifier pepper secret. */
export const recordedSecret =
  (read: () => Promise<string>, recorder: CallRecorder): (() => Promise<string>) =>
  () => {
    recorder.record({ action: 'secretsmanager:GetSecretValue', resource: { kind: 'identifierPepper' } });
    return read();
  };

/**
 * The in-process queue stands in for SQS: SendMessage (SendMessageBatch is authorised as it) on the bulk queue, once
 * for each request the SQS adapter would send (the bench counts them).
 */
export const recordedBulkQueue = (queue: BulkQueue, recorder: CallRecorder): BulkQueue => ({
  send: (messages) => {
    for (const _request of sendMessageBatches(messages)) recorder.record({ action: 'sqs:SendMessage', resource: { kind: 'bulkQueue' } });
    return queue.send(messages);
  },
});

/** What the SQS event source does with the consumer's role for each batch it hands over: receive, then delete. */
export const recordQueueConsumption = (recorder: CallRecorder): void => {
  recorder.record({ action: 'sqs:ReceiveMessage', resource: { kind: 'bulkQueue' } });
  recorder.record({ action: 'sqs:DeleteMessage', resource: { kind: 'bulkQueue' } });
};
