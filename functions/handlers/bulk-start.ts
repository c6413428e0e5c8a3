import type { S3Event } from 'aws-lambda';
import { createAwsFunction, observedHandler } from '#config/lambda-handler';
import { startBulkJob } from '#features/bulk/start';

const fn = createAwsFunction();

/** S3 ObjectCreated under drops/: one job per object version (key + ETag); a redelivered event starts nothing new. */
export const handler = observedHandler(fn, async (event: S3Event): Promise<void> => {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    await startBulkJob(fn.deps, { key, etag: record.s3.object.eTag ?? record.s3.object.sequencer });
  }
});
