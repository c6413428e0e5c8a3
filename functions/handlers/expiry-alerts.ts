import { SQSClient } from '@aws-sdk/client-sqs';
import { sqsContinuations } from '#adapters/sqs/continuations';
import { envNames, requireEnv } from '#config/env';
import { createAwsFunction, observedHandler } from '#config/lambda-handler';
import { expiryAlertsJob } from '#features/expiry/expiry-alerts';
import { scheduledJobHandler } from '#features/scheduled/scheduled-runs';

const fn = createAwsFunction();
const continuations = sqsContinuations(new SQSClient({}), requireEnv(envNames.continuationQueueUrl));

/**
 * Daily, from EventBridge Scheduler in the district's time zone, and from its continuation queue when a run needs
 * more than one invocation (features/scheduled/scheduled-runs.ts). Safe to rerun: alerts go out once.
 */
export const handler = observedHandler(fn, scheduledJobHandler(expiryAlertsJob, fn.deps, continuations));
