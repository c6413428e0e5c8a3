import { expect } from 'vitest';
import { AppError } from '#domain/errors';
import { toErrorResponse } from '#http/errors';

/** What a refused call answers over HTTP (status and error body), through the same mapping the handlers use. */
export const refusal = async (action: Promise<unknown>) => {
  const error = await action.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return toErrorResponse(error);
};
