import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createAwsFunction, observedHandler } from '#config/lambda-handler';
import { processBulkBatch } from '#features/bulk/process-batch';

const fn = createAwsFunction();

/** SQS batches of rows, with partial batch responses: only the rows that failed come back. */
export const handler = observedHandler(fn, async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { failedMessageIds } = await processBulkBatch(fn.deps, event.Records);
  return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
});
