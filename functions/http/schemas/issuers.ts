import { z } from 'zod';
import type { CreateIssuer, Issuer, UpdateIssuer } from '#domain/issuers';
import type { DidDocument } from '#domain/proof/multikey';
import { type SchoolReferenceKind, schoolReferenceKey } from '#domain/schools';
import { type Assert, type Equals, type OperationSchemaMap, pageOf, pageQuerySchema, patchOf, profileSchema, type Same } from './common';

/** A list of SIS codes or names for one school: each non-empty, at most 20, none twice. */
export const schoolReferencesSchema = (kind: SchoolReferenceKind, maxLength: number) =>
  z
    .array(z.string().trim().min(1).max(maxLength))
    .max(20)
    .refine(
      (values) => new Set(values.map((value) => schoolReferenceKey(kind, value))).size === values.length,
      `Each SIS school ${kind} may be listed once.`,
    );

const issuerFields = {
  name: z.string().trim().min(1).max(200),
  url: z.url({ protocol: /^https?$/ }).optional(),
  email: z.email().optional(),
  image: z.url({ protocol: /^https$/ }).optional(),
  /** The school this issuer speaks for; absent for the district-level issuer. */
  schoolId: z.string().trim().min(1).max(64).optional(),
  /** The district issuer, for a school's profile (`parentOrg` in the credential). */
  parentIssuerId: z.string().trim().min(1).max(128).optional(),
  /** The SIS's own numbers for this school (PowerSchool `SchoolID`): a drop row's `school_id` maps through them. */
  sisSchoolCodes: schoolReferencesSchema('code', 64).optional(),
  /** The names SIS exports give the school (Infinite Campus `schoolName`), matched ignoring case and spaces. */
  sisSchoolNames: schoolReferencesSchema('name', 200).optional(),
};

export const createIssuerSchema = z.object(issuerFields).strict().meta({ id: 'CreateIssuer' });

/** The profile and the SIS codes and names; not the school id nor the parent. */
export const updateIssuerSchema = patchOf(z.object(issuerFields).omit({ schoolId: true, parentIssuerId: true })).meta({
  id: 'UpdateIssuer',
});

const issuerRecordFields = {
  id: z.string(),
  name: z.string(),
  url: z.string().optional(),
  email: z.string().optional(),
  image: z.string().optional(),
  schoolId: z.string().optional(),
  parentIssuerId: z.string().optional(),
  sisSchoolCodes: z.array(z.string()).optional(),
  sisSchoolNames: z.array(z.string()).optional(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
};

export const issuerSchema = z.object(issuerRecordFields).meta({ id: 'Issuer' });

/** A created or changed issuer, with the did:web its credentials are signed under. */
export const issuerWithDidSchema = z.object({ ...issuerRecordFields, did: z.string() }).meta({ id: 'IssuerWithDid' });

/** The issuer's Profile as JSON-LD. */
export const issuerProfileDocumentSchema = profileSchema.extend({ '@context': z.array(z.string()) }).meta({ id: 'IssuerProfileDocument' });

export const didDocumentSchema = z
  .object({
    '@context': z.tuple([z.literal('https://www.w3.org/ns/did/v1'), z.literal('https://w3id.org/security/multikey/v1')]),
    id: z.string(),
    verificationMethod: z.array(
      z.object({ id: z.string(), type: z.literal('Multikey'), controller: z.string(), publicKeyMultibase: z.string() }),
    ),
    assertionMethod: z.array(z.string()),
  })
  .meta({ id: 'DidDocument' });

export const issuerSchemas = {
  createIssuer: {
    body: { required: true, content: { 'application/json': createIssuerSchema } },
    responses: { 201: { description: 'The new issuer', content: { 'application/json': issuerWithDidSchema } } },
  },
  updateIssuer: {
    body: { required: true, content: { 'application/json': updateIssuerSchema } },
    responses: { 200: { description: 'The changed issuer', content: { 'application/json': issuerWithDidSchema } } },
  },
  listIssuers: {
    query: [pageQuerySchema],
    responses: { 200: { description: 'A page of issuers', content: { 'application/json': pageOf(issuerSchema) } } },
  },
  getIssuerProfile: {
    responses: { 200: { description: 'The OB 3.0 Profile', content: { 'application/ld+json': issuerProfileDocumentSchema } } },
  },
  getIssuerDidDocument: {
    responses: { 200: { description: 'The did:web DID document', content: { 'application/did+json': didDocumentSchema } } },
  },
} as const satisfies OperationSchemaMap;

export type IssuerSchemaChecks = [
  Assert<Equals<z.output<typeof createIssuerSchema>, CreateIssuer>>,
  Assert<Equals<z.output<typeof updateIssuerSchema>, UpdateIssuer>>,
  Assert<Equals<z.output<typeof issuerSchema>, Issuer>>,
  Assert<Same<z.output<typeof issuerWithDidSchema>, Issuer & { did: string }>>,
  Assert<Equals<z.output<typeof didDocumentSchema>, DidDocument>>,
];
