import { z } from 'zod';

export const alignmentSchema = z
  .object({
    targetName: z.string().trim().min(1).max(300),
    targetUrl: z.url({ protocol: /^https?$/ }),
    targetFramework: z.string().trim().min(1).max(200).optional(),
    targetCode: z.string().trim().min(1).max(100).optional(),
    targetDescription: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

/** Codes are what SIS exports name (`OSHA-10-CONSTRUCTION`): upper-case letters, digits and dashes. */
export const achievementCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, dot, dash and underscore only')
  .transform((code) => code.toUpperCase());

export const achievementTypes = [
  'Achievement', 'ApprenticeshipCertificate', 'Assessment', 'Assignment', 'AssociateDegree', 'Award', 'Badge',
  'BachelorDegree', 'Certificate', 'CertificateOfCompletion', 'Certification', 'CommunityService', 'Competency',
  'Course', 'CoCurricular', 'Degree', 'Diploma', 'DoctoralDegree', 'Fieldwork', 'GeneralEducationDevelopment',
  'JourneymanCertificate', 'LearningProgram', 'License', 'Membership', 'ProfessionalDoctorate',
  'QualityAssuranceCredential', 'MasterCertificate', 'MasterDegree', 'MicroCredential', 'ResearchDoctorate',
  'SecondarySchoolDiploma',
] as const;

const achievementFields = {
  issuerId: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(4000),
  criteria: z.object({ narrative: z.string().trim().min(1).max(8000) }).strict(),
  code: achievementCodeSchema.optional(),
  image: z.url({ protocol: /^https$/ }).optional(),
  achievementType: z.enum(achievementTypes).optional(),
  alignment: z.array(alignmentSchema).min(1).max(50).optional(),
  tags: z.array(z.string().trim().min(1).max(60)).min(1).max(30).optional(),
  /** Professional-development hours (or PDUs) a teacher earns with it. */
  creditsAvailable: z.number().nonnegative().max(10_000).optional(),
  /** How long a credential stays valid (CPR, OSHA, licence cycles); absent = does not expire. */
  validForDays: z.number().int().positive().max(36_500).optional(),
  gradeBand: z.string().trim().min(1).max(40).optional(),
};

export const createAchievementSchema = z.object(achievementFields).strict().meta({ id: 'CreateAchievement' });
export type CreateAchievement = z.infer<typeof createAchievementSchema>;

/** Everything but the issuer can change; the code may be set once (SIS exports depend on it). */
export const updateAchievementSchema = z
  .object(achievementFields)
  .omit({ issuerId: true })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change.')
  .meta({ id: 'UpdateAchievement' });
export type UpdateAchievement = z.infer<typeof updateAchievementSchema>;

export interface Achievement extends CreateAchievement {
  id: string;
  createdAt: string;
  updatedAt: string;
}
