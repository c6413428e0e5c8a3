/**
 * What every feature's schemas share: the operation descriptor the OpenAPI generator reads, paging, errors, the
 * JSON-LD documents Merit serves, and the type-level checks that tie each schema to the type the code uses.
 */
import { z } from 'zod';

/** A response body that is not JSON: pages, images, CSV files. */
export type NonJsonBody = { kind: 'html' } | { kind: 'csv' } | { kind: 'binary' } | { kind: 'text' };

export const htmlBody: NonJsonBody = { kind: 'html' };
export const csvBody: NonJsonBody = { kind: 'csv' };
export const imageBody: NonJsonBody = { kind: 'binary' };
export const textBody: NonJsonBody = { kind: 'text' };

/** Media type → what the body is: a zod schema for JSON (of any `+json` flavour), or a non-JSON body. */
export type Content = Readonly<Record<string, z.ZodType | NonJsonBody>>;

export interface ResponseDescription {
  description: string;
  /** Absent: no body (204). */
  content?: Content;
}

/** What the generator documents of one operation; the operation validates its input with the same schemas. */
export interface OperationSchemas {
  /**
   * Query parameters: every property of every object listed. A nested list holds alternatives (`?learnerId=` or
   * `?schoolId=`): a parameter of theirs is required only when every alternative requires it.
   */
  query?: ReadonlyArray<z.ZodType | readonly z.ZodType[]>;
  body?: { required: boolean; content: Content };
  /** Success responses by status code. */
  responses: Readonly<Record<number, ResponseDescription>>;
}

export type OperationSchemaMap = Readonly<Record<string, OperationSchemas>>;

/** A PATCH body: any of the object's fields, at least one, nothing else. */
export const patchOf = <Shape extends z.ZodRawShape>(object: z.ZodObject<Shape>) =>
  object
    .partial()
    .strict()
    .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change.');

/** `?limit=&cursor=` of every list route. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

/** One page of a list, as `Page<T>` in `#ports/store`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().optional().describe('Pass as `cursor` for the next page; absent on the last one'),
  });

/** `{ items: [...] }` without paging. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** `?format=csv`: a link cannot set `Accept: text/csv`. */
export const csvFormatQuerySchema = z.object({ format: z.enum(['csv']).optional().describe('csv: the same as Accept: text/csv') });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ field: z.string().optional(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

/** An OB 3.0 Profile (`Profile` in `#domain/profiles`). */
const profileFields = {
  id: z.string(),
  type: z.tuple([z.literal('Profile')]),
  name: z.string(),
  url: z.string().optional(),
  email: z.string().optional(),
  image: z.object({ id: z.string(), type: z.literal('Image') }).optional(),
};
export const profileSchema = z.object({ ...profileFields, parentOrg: z.object(profileFields).optional() }).meta({ id: 'Profile' });

/**
 * A signed JSON-LD credential (OB 3.0 AchievementCredential, CLR 2.0 ClrCredential, BitstringStatusListCredential):
 * the envelope is described, the rest is the W3C and 1EdTech vocabularies' (more properties are allowed).
 */
export const verifiableCredentialSchema = z
  .looseObject({
    '@context': z.array(z.union([z.string(), z.record(z.string(), z.unknown())])),
    id: z.string().optional(),
    type: z.array(z.string()),
    issuer: z.union([z.string(), z.looseObject({ id: z.string() })]),
    validFrom: z.string().optional(),
    validUntil: z.string().optional(),
    credentialSubject: z.record(z.string(), z.unknown()),
    proof: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .meta({ id: 'VerifiableCredential' });

/** True when A and B are the same type (not merely assignable one way). */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Each assignable to the other (for intersections, which `Equals` tells apart from the flattened type). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** What the code returns fits the schema (for JSON-LD documents the schema describes only in part). */
export type Fits<Actual, Schema> = [Actual] extends [Schema] ? true : false;

/** Compiles only with `true`: `const _ = check<Equals<…>>(true)` fails `tsc` when a schema and its type drift apart. */
export type Assert<T extends true> = T;
