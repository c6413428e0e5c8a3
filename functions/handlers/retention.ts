import { SQSClient } from '@aws-sdk/client-sqs';
import { sqsContinuations } from '#adapters/sqs/continuations';
import { envNames, requireEnv } from '#config/env';
import { createAwsFunction, observedHandler } from '#config/lambda-handler';
import { retentionJob } from '#features/deletion/retention';
import { scheduledJobHandler } from '#features/scheduled/scheduled-runs';

const fn = createAwsFunction();
const continuations = sqsContinuations(new SQSClient({}), requireEnv(envNames.continuationQueueUrl));

/**
 * Daily, from EventBridge Scheduler: deletes learners past the district's retention date. A run too long for one
 * invocation carries on through the function's continuation queue (features/scheduled/scheduled-runs.ts); resumable.
 */
export const handler = observedHandler(fn, scheduledJobHandler(retentionJob, fn.deps, continuations));
