import type { z } from 'zod';
import type { Principal } from '#domain/access';
import { AppError } from '#domain/errors';
import { idPattern } from '#domain/ids';
import type { PageRequest } from '#ports/store';
import { parseWith } from './errors';
import { pageQuerySchema } from './schemas/common';
import type { OperationContext } from './types';

/** The JSON body, validated by `schema`; 415 for another content type, 400 when absent or invalid. */
export const jsonBody = <S extends z.ZodType>(context: OperationContext, schema: S): z.output<S> => {
  if (context.rawBody && context.json === undefined) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json.');
  }
  if (context.json === undefined) throw new AppError('invalid_request', 'This route needs a JSON body.');
  return parseWith(schema, context.json);
};

/** A path id; anything that is not a plain token is simply not found. */
export const pathId = (context: OperationContext, name = 'id'): string => {
  const id = context.params[name];
  if (!id || !idPattern.test(id)) throw new AppError('not_found', 'There is no such resource.');
  return id;
};

export const principalOf = (context: OperationContext): Principal => {
  if (!context.principal) throw new AppError('unauthorized', 'Sign in to use this route.');
  return context.principal;
};

export const pageRequest = (context: OperationContext): PageRequest => {
  const { limit, cursor } = parseWith(pageQuerySchema, { limit: context.query['limit'], cursor: context.query['cursor'] });
  return cursor ? { limit, cursor } : { limit };
};

/** Does the client prefer JSON (API clients, verifiers) over HTML (browsers)? */
export const wantsJson = (context: OperationContext): boolean => {
  const accept = context.event.headers['accept'] ?? '';
  return /application\/(ld\+)?json/i.test(accept) && !/text\/html/i.test(accept.split(',')[0] ?? '');
};

/** CSV for spreadsheets: `Accept: text/csv` or `?format=csv` (a link cannot set a header). */
export const wantsCsv = (context: OperationContext): boolean =>
  context.query['format'] === 'csv' || /^text\/csv/i.test(context.event.headers['accept'] ?? '');
