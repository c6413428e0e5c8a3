import { z } from 'zod';

/** A school or the district itself as an issuer of credentials (an OB 3.0 Profile). */
export const createIssuerSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    url: z.url({ protocol: /^https?$/ }).optional(),
    email: z.email().optional(),
    image: z.url({ protocol: /^https$/ }).optional(),
    /** The school this issuer speaks for; absent for the district-level issuer. */
    schoolId: z.string().trim().min(1).max(64).optional(),
    /** The district issuer, for a school's profile (`parentOrg` in the credential). */
    parentIssuerId: z.string().trim().min(1).max(128).optional(),
  })
  .strict()
  .meta({ id: 'CreateIssuer' });
export type CreateIssuer = z.infer<typeof createIssuerSchema>;

export interface Issuer extends CreateIssuer {
  id: string;
  createdAt: string;
}
