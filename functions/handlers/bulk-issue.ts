import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createAwsDependencies } from '#config/aws-dependencies';
import { processBulkBatch } from '#features/bulk/process-batch';

const deps = createAwsDependencies();

/** SQS batches of rows, with partial batch responses: only the rows that failed come back. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { failedMessageIds } = await processBulkBatch(deps, event.Records);
  return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
};
