import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { createDynamoStore } from '#adapters/dynamodb/store';
import { createS3Blobs, createS3Client } from '#adapters/s3/blobs';
import type { Dependencies } from '#config/dependencies';
import { createLogger } from '#config/logger';
import type { BucketRole } from '#ports/blobs';
import {
  type CallRecorder,
  recordedBulkQueue,
  recordedEvents,
  recordedMailer,
  recordedSecret,
  recordedSigner,
  recordSdkCalls,
} from './aws-calls';

/** What every local function shares: the local services' endpoints, and the stand-ins for KMS, SES, EventBridge, SQS. */
export type LocalWiring = Omit<Dependencies, 'store' | 'blobs' | 'logger'> & {
  region: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  buckets: Record<BucketRole, string>;
};

/**
 * One function's dependencies over the local services, with clients of its own, as each Lambda has its own role.
 * With a recorder, every AWS call it makes (SDK commands, and the stand-ins' Sign, SendEmail, PutEvents,
 * SendMessage, GetSecretValue) is recorded under that function, for the IAM parity check. `destroy` closes its clients.
 */
export const localFunctionDependencies = (
  wiring: LocalWiring,
  recorder: CallRecorder | undefined,
  serviceName: string,
): Dependencies & { destroy(): void } => {
  const { region, dynamoEndpoint, s3Endpoint, tableName, buckets, ...shared } = wiring;
  const dynamoClient = createDynamoClient({ region, endpoint: dynamoEndpoint });
  const s3Client = createS3Client({ region, endpoint: s3Endpoint });
  const destroy = () => {
    dynamoClient.destroy();
    s3Client.destroy();
  };
  const own = {
    store: createDynamoStore(toDocumentClient(dynamoClient), tableName),
    blobs: createS3Blobs(s3Client, buckets),
    logger: createLogger(serviceName),
    destroy,
  };
  if (!recorder) return { ...shared, ...own };
  recordSdkCalls(dynamoClient, 'dynamodb', recorder);
  recordSdkCalls(s3Client, 's3', recorder, new Map(Object.entries(buckets).map(([role, name]) => [name, role as BucketRole])));
  const signer = recordedSigner(shared.signer, recorder);
  // Read once per function, as a Lambda execution environment reads it once (config/aws-dependencies.ts): the
  // recorded calls are the calls AWS would see, so the bench can count them.
  const readPepper = recordedSecret(shared.district.identifierPepper, recorder);
  let pepper: Promise<string> | undefined;
  return {
    ...shared,
    ...own,
    signer,
    verificationKeys: [signer],
    mailer: recordedMailer(shared.mailer, recorder),
    events: recordedEvents(shared.events, recorder),
    bulkQueue: recordedBulkQueue(shared.bulkQueue, recorder),
    district: { ...shared.district, identifierPepper: () => (pepper ??= readPepper()) },
  };
};
