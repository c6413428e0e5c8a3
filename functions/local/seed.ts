import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import type { CreateAchievement } from '#domain/achievements';
import { createAchievement } from '#features/achievements/manage';
import { createIssuer } from '#features/issuers/issuers';
import { seedDemoPeople } from './demo-people';

/** The demo district's admin: `POST /local/token {"sub": "demo-admin", "role": "admin"}` signs in as them. */
export const demoAdminSubject = 'demo-admin';

type DemoAchievement = Omit<CreateAchievement, 'issuerId'> & { school: 'district' | 'lincoln' | 'roosevelt' | 'hs' };

/** Every code used in ../shared/samples, so that dropping a sample file issues credentials out of the box. */
const demoAchievements: DemoAchievement[] = [
  {
    school: 'lincoln',
    code: 'MATH-FLUENCY-3',
    name: 'Math Fluency — Grade 3',
    description: 'Fluent multiplication and division within 100.',
    criteria: { narrative: 'Solves 40 mixed facts within 100 in 5 minutes with 95% accuracy, twice.' },
    achievementType: 'Competency',
    alignment: [
      {
        targetName: 'CCSS.MATH.CONTENT.3.OA.C.7',
        targetUrl: 'https://www.thecorestandards.org/Math/Content/3/OA/C/7/',
        targetFramework: 'Common Core State Standards',
        targetCode: '3.OA.C.7',
      },
    ],
    tags: ['math', 'elementary'],
    gradeBand: '3',
  },
  {
    school: 'lincoln',
    code: 'READING-LEVEL-J',
    name: 'Reading Level J',
    description: 'Reads level J texts independently with comprehension.',
    criteria: { narrative: 'Reads a level J benchmark text at 95% accuracy and retells it with key details.' },
    achievementType: 'Achievement',
    tags: ['literacy'],
    gradeBand: 'K-2',
  },
  {
    school: 'roosevelt',
    code: 'KINDNESS-1',
    name: 'Kindness Champion',
    description: 'Recognised by peers and staff for acts of kindness.',
    criteria: { narrative: 'Nominated by two staff members for sustained kindness to classmates.' },
    achievementType: 'Award',
    tags: ['character'],
  },
  {
    school: 'hs',
    code: 'CS-PYTHON-1',
    name: 'Python Programming I',
    description: 'Writes and tests small Python programs.',
    criteria: { narrative: 'Completes the unit project: a tested program using functions, loops and lists.' },
    achievementType: 'Competency',
    tags: ['computer science', 'CTE'],
  },
  {
    school: 'hs',
    code: 'PUBLIC-SPEAKING-1',
    name: 'Public Speaking I',
    description: 'Delivers a structured five-minute talk.',
    criteria: { narrative: 'Presents to a panel of three teachers and scores proficient on the rubric.' },
    achievementType: 'Competency',
    tags: ['communication'],
  },
  {
    school: 'hs',
    code: 'OSHA-10-CONSTRUCTION',
    name: 'OSHA 10-Hour Construction',
    description: 'Completed the OSHA 10-hour construction safety course.',
    criteria: { narrative: 'Completes the 10-hour OSHA Outreach construction course with an authorised trainer.' },
    achievementType: 'Certification',
    alignment: [
      {
        targetName: 'OSHA Outreach Training Program — Construction',
        targetUrl: 'https://www.osha.gov/training/outreach',
        targetFramework: 'Industry-recognised credentials',
        targetCode: 'OSHA-10-CONST',
      },
    ],
    tags: ['CTE', 'industry credential'],
    validForDays: 1825,
  },
  {
    school: 'district',
    code: 'PD-CPR',
    name: 'CPR and First Aid',
    description: 'Adult and child CPR, AED and first aid.',
    criteria: { narrative: 'Completes the blended CPR/AED course and passes the skills check.' },
    achievementType: 'Certification',
    creditsAvailable: 6,
    validForDays: 730,
    tags: ['professional development'],
  },
  {
    school: 'district',
    code: 'PD-SCIENCE-OF-READING',
    name: 'Science of Reading',
    description: 'Structured literacy foundations for K-5 teachers.',
    criteria: { narrative: 'Completes the 30-hour course and a classroom observation.' },
    achievementType: 'Course',
    creditsAvailable: 30,
    tags: ['professional development', 'literacy'],
  },
  {
    school: 'district',
    code: 'PD-SPED-LAW',
    name: 'Special Education Law Update',
    description: 'IDEA and Section 504 obligations for classroom teachers.',
    criteria: { narrative: 'Attends the annual update and passes the knowledge check.' },
    achievementType: 'Course',
    creditsAvailable: 3,
    validForDays: 395,
    tags: ['professional development'],
  },
];

const seedAdmin: Principal = { subject: 'seed', role: 'admin', schoolIds: [], learnerIds: [] };

/** Seeds the demo district once (an empty table): issuers, achievements, and an admin membership. */
export const seedDemoDistrict = async (deps: Dependencies): Promise<{ seeded: boolean }> => {
  await deps.store.memberships.put({ subject: demoAdminSubject }, { role: 'admin', schoolIds: [], learnerIds: [] });
  if (await deps.store.achievements.getByCode('MATH-FLUENCY-3')) {
    await seedDemoPeople(deps);
    return { seeded: false };
  }
  const district = await createIssuer(deps, {
    name: 'Riverside Unified School District',
    url: 'https://www.riverside.example.org',
    email: 'credentials@riverside.example.org',
  });
  const schools = {
    district,
    // The SIS codes and names the sample exports use (PowerSchool SchoolID, Infinite Campus schoolName).
    lincoln: await createIssuer(deps, {
      name: 'Lincoln Elementary School',
      schoolId: 'lincoln',
      parentIssuerId: district.id,
      sisSchoolNames: ['Lincoln Elementary School', 'Lincoln Elementary'],
    }),
    roosevelt: await createIssuer(deps, {
      name: 'Roosevelt Middle School',
      schoolId: 'roosevelt',
      parentIssuerId: district.id,
      sisSchoolNames: ['Roosevelt Middle School', 'Roosevelt Middle'],
    }),
    hs: await createIssuer(deps, {
      name: 'Riverside High School',
      schoolId: 'hs',
      parentIssuerId: district.id,
      sisSchoolCodes: ['2041'],
      sisSchoolNames: ['Riverside High School', 'Riverside High'],
    }),
  };
  for (const { school, ...achievement } of demoAchievements) {
    await createAchievement(deps, seedAdmin, { ...achievement, issuerId: schools[school].id });
  }
  await seedDemoPeople(deps);
  return { seeded: true };
};
