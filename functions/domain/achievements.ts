export const achievementTypes = [
  'Achievement',
  'ApprenticeshipCertificate',
  'Assessment',
  'Assignment',
  'AssociateDegree',
  'Award',
  'Badge',
  'BachelorDegree',
  'Certificate',
  'CertificateOfCompletion',
  'Certification',
  'CommunityService',
  'Competency',
  'Course',
  'CoCurricular',
  'Degree',
  'Diploma',
  'DoctoralDegree',
  'Fieldwork',
  'GeneralEducationDevelopment',
  'JourneymanCertificate',
  'LearningProgram',
  'License',
  'Membership',
  'ProfessionalDoctorate',
  'QualityAssuranceCredential',
  'MasterCertificate',
  'MasterDegree',
  'MicroCredential',
  'ResearchDoctorate',
  'SecondarySchoolDiploma',
] as const;

export type AchievementType = (typeof achievementTypes)[number];

/** An alignment to a framework or standard (validated by `alignmentSchema` in `#http/schemas/achievements`). */
export interface Alignment {
  targetName: string;
  targetUrl: string;
  targetFramework?: string;
  targetCode?: string;
  targetDescription?: string;
}

/** A new achievement, as `POST /achievements` validates it (`createAchievementSchema` in `#http/schemas/achievements`). */
export interface CreateAchievement {
  issuerId: string;
  name: string;
  description: string;
  criteria: { narrative: string };
  /** Upper-cased: codes are what SIS exports name (`OSHA-10-CONSTRUCTION`). */
  code?: string;
  image?: string;
  achievementType?: AchievementType;
  alignment?: Alignment[];
  tags?: string[];
  /** Professional-development hours (or PDUs) a teacher earns with it. */
  creditsAvailable?: number;
  /** How long a credential stays valid (CPR, OSHA, licence cycles); absent = does not expire. */
  validForDays?: number;
  gradeBand?: string;
}

/** Everything but the issuer can change; the code may be set once (SIS exports depend on it). */
export type UpdateAchievement = Partial<Omit<CreateAchievement, 'issuerId'>>;

export interface Achievement extends CreateAchievement {
  id: string;
  createdAt: string;
  updatedAt: string;
}
