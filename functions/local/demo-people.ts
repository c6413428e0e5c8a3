import type { Dependencies } from '#config/dependencies';
import type { Principal, Role } from '#domain/access';
import type { CreateLearner } from '#domain/learners';
import { createLearner, learnerBySourcedId } from '#features/learners/learners';

/** One sign-in link per person `npm start` prints; the local OpenID provider signs them in by `login_hint`. */
export interface DemoPerson {
  subject: string;
  role: Role;
  /** Shown on the local provider's pick form (a demo name, not a real person). */
  label: string;
  schoolIds: string[];
  /** The SIS id of the learner this person is, or is a guardian of. */
  learnerSourcedId?: string;
}

const demoStudent: CreateLearner = {
  sourcedId: 'DEMO-STUDENT-13',
  schoolId: 'hs',
  givenName: 'Maya',
  familyName: 'Ortiz',
  birthDate: '2009-04-12',
  role: 'student',
};
const demoChild: CreateLearner = {
  sourcedId: 'DEMO-CHILD-8',
  schoolId: 'lincoln',
  givenName: 'Leo',
  familyName: 'Ortiz',
  birthDate: '2018-02-03',
  role: 'student',
};

export const demoPeople: readonly DemoPerson[] = [
  { subject: 'demo-admin', role: 'admin', label: 'District admin', schoolIds: [] },
  { subject: 'demo-teacher', role: 'issuer', label: 'Teacher, Riverside High School', schoolIds: ['hs'] },
  { subject: 'demo-student', role: 'learner', label: 'Student (13+), Maya Ortiz', schoolIds: [], learnerSourcedId: demoStudent.sourcedId },
  {
    subject: 'demo-guardian',
    role: 'guardian',
    label: 'Guardian of Leo Ortiz (under 13)',
    schoolIds: [],
    learnerSourcedId: demoChild.sourcedId,
  },
];

const seedAdmin: Principal = { subject: 'seed', role: 'admin', schoolIds: [], learnerIds: [] };

/** Registers the demo learners (once) and each demo person's membership; safe to run at every start. */
export const seedDemoPeople = async (deps: Dependencies): Promise<void> => {
  const learnerIds = new Map<string, string>();
  for (const learner of [demoStudent, demoChild]) {
    const existing = await learnerBySourcedId(deps, learner.sourcedId);
    learnerIds.set(learner.sourcedId, (existing ?? (await createLearner(deps, seedAdmin, learner))).id);
  }
  for (const person of demoPeople) {
    const learnerId = person.learnerSourcedId ? learnerIds.get(person.learnerSourcedId) : undefined;
    await deps.store.memberships.put(
      { subject: person.subject },
      { role: person.role, schoolIds: person.schoolIds, learnerIds: learnerId ? [learnerId] : [] },
    );
  }
};
