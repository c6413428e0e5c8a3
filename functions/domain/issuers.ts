/** A school or the district itself as an issuer of credentials (an OB 3.0 Profile); `createIssuerSchema` in `#http/schemas/issuers`. */
export interface CreateIssuer {
  name: string;
  url?: string;
  email?: string;
  image?: string;
  /** The school this issuer speaks for; absent for the district-level issuer. */
  schoolId?: string;
  /** The district issuer, for a school's profile (`parentOrg` in the credential). */
  parentIssuerId?: string;
  /**
   * The SIS's own numbers for this school (PowerSchool `SchoolID`, e.g. `2041`): a drop row's `school_id` maps
   * through them. Unique in the district; the school's own `schoolId` always counts as one of them.
   */
  sisSchoolCodes?: string[];
  /** The names SIS exports give the school (Infinite Campus `schoolName`), matched ignoring case and spaces. */
  sisSchoolNames?: string[];
}

/**
 * What an admin may change: the profile and the SIS codes and names. Not the school id (learners, memberships and
 * credentials are filed under it) nor the parent.
 */
export type UpdateIssuer = Partial<Omit<CreateIssuer, 'schoolId' | 'parentIssuerId'>>;

export interface Issuer extends CreateIssuer {
  id: string;
  createdAt: string;
  /** Absent until the first change. */
  updatedAt?: string;
}
