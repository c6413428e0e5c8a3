import { z } from 'zod';
import { schoolReferencesSchema } from './schools';

const issuerFields = {
  name: z.string().trim().min(1).max(200),
  url: z.url({ protocol: /^https?$/ }).optional(),
  email: z.email().optional(),
  image: z.url({ protocol: /^https$/ }).optional(),
  /** The school this issuer speaks for; absent for the district-level issuer. */
  schoolId: z.string().trim().min(1).max(64).optional(),
  /** The district issuer, for a school's profile (`parentOrg` in the credential). */
  parentIssuerId: z.string().trim().min(1).max(128).optional(),
  /**
   * The SIS's own numbers for this school (PowerSchool `SchoolID`, e.g. `2041`): a drop row's `school_id` maps
   * through them. Unique in the district; the school's own `schoolId` always counts as one of them.
   */
  sisSchoolCodes: schoolReferencesSchema('code', 64).optional(),
  /** The names SIS exports give the school (Infinite Campus `schoolName`), matched ignoring case and spaces. */
  sisSchoolNames: schoolReferencesSchema('name', 200).optional(),
};

/** A school or the district itself as an issuer of credentials (an OB 3.0 Profile). */
export const createIssuerSchema = z.object(issuerFields).strict().meta({ id: 'CreateIssuer' });
export type CreateIssuer = z.infer<typeof createIssuerSchema>;

/**
 * What an admin may change: the profile and the SIS codes and names. Not the school id (learners, memberships and
 * credentials are filed under it) nor the parent.
 */
export const updateIssuerSchema = z
  .object(issuerFields)
  .omit({ schoolId: true, parentIssuerId: true })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change.')
  .meta({ id: 'UpdateIssuer' });
export type UpdateIssuer = z.infer<typeof updateIssuerSchema>;

export interface Issuer extends CreateIssuer {
  id: string;
  createdAt: string;
  /** Absent until the first change. */
  updatedAt?: string;
}
