import { z } from 'zod';
import { AppError, type ErrorDetail, type ErrorKind } from '#domain/errors';

const statusByKind: Record<ErrorKind, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
}

export const errorBody = (code: string, message: string, details?: ErrorDetail[]): ErrorBody => ({
  error: { code, message, ...(details && details.length > 0 ? { details } : {}) },
});

/** Zod issues as `details` a person (and a form) can use: which field, what is wrong. */
export const zodDetails = (error: z.ZodError): ErrorDetail[] =>
  error.issues.map((issue) => ({
    ...(issue.path.length > 0 ? { field: issue.path.map(String).join('.') } : {}),
    message: issue.message,
  }));

/** Maps any failure to the DESIGN §3 error shape. Unknown failures become a 500 that reveals nothing. */
export const toErrorResponse = (error: unknown): { statusCode: number; body: ErrorBody } => {
  if (error instanceof AppError) {
    return { statusCode: statusByKind[error.kind], body: errorBody(error.kind, error.message, error.details) };
  }
  if (error instanceof z.ZodError) {
    return { statusCode: 400, body: errorBody('invalid_request', 'Some fields are missing or not valid.', zodDetails(error)) };
  }
  return { statusCode: 500, body: errorBody('internal_error', 'Something went wrong on our side. Please try again.') };
};

/** Parses input with a zod schema, failing with a 400 that lists the fields. */
export const parseWith = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> => {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('invalid_request', 'Some fields are missing or not valid.', zodDetails(result.error));
  }
  return result.data;
};
