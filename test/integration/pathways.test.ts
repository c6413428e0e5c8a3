import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/access';
import type { Requirement } from '#domain/pathways';
import { createAchievement } from '#features/achievements/manage';
import { startBulkJob } from '#features/bulk/start';
import { issueCredential } from '#features/credentials/issue';
import { listLearnerCredentials } from '#features/credentials/read';
import { revokeCredential } from '#features/credentials/revoke';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner } from '#features/learners/learners';
import { createPathway, updatePathway } from '#features/pathways/manage';
import { learnerPathways } from '#features/pathways/progress';
import { publicPathway } from '#features/pathways/public';
import { steppingClock } from '#ports/clock';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';
import { refusal } from '#test/refusal';

const admin: Principal = { subject: 'admin', role: 'admin', schoolIds: [], learnerIds: [] };
const hsIssuerStaff: Principal = { subject: 'hs-teacher', role: 'issuer', schoolIds: ['hs'], learnerIds: [] };
const otherSchoolStaff: Principal = { subject: 'ms-teacher', role: 'issuer', schoolIds: ['ms'], learnerIds: [] };

const leaf = (achievementId: string): Requirement => ({ achievementId });

describe('pathways against DynamoDB Local', () => {
  let deps: ConnectedDependencies;
  let issuerId: string;
  let sequence = 0;

  /** A fresh achievement of the high school (with a code, so CSV drops can name it). */
  const achievement = async (name: string): Promise<string> => {
    sequence += 1;
    const created = await createAchievement(deps, admin, {
      issuerId,
      name,
      description: `${name}.`,
      criteria: { narrative: `Shows ${name}.` },
      code: `PW-${sequence}-${name
        .replace(/[^A-Za-z0-9]/g, '')
        .toUpperCase()
        .slice(0, 20)}`,
    });
    return created.id;
  };

  const learner = async (sourcedId: string) =>
    createLearner(deps, admin, {
      sourcedId,
      schoolId: 'hs',
      givenName: 'Test',
      familyName: sourcedId,
      birthDate: '2009-04-04',
      role: 'student',
    });

  const issue = (learnerId: string, achievementId: string, source = 'api') =>
    issueCredential(deps, admin, { learnerId, achievementId, source });

  /** The learner's credentials of one achievement (any state). */
  const credentialsOf = async (learnerId: string, achievementId: string) => {
    const all = await listLearnerCredentials(deps, admin, learnerId, { limit: 100 });
    const url = `https://credentials.example.org/achievements/${achievementId}`;
    return all.items.filter((item) => (item.credential!['credentialSubject'] as { achievement: { id: string } }).achievement.id === url);
  };

  beforeAll(async () => {
    deps = await connectedDependencies({ clock: steppingClock('2026-09-01T12:00:00Z') });
    const district = await createIssuer(deps, { name: 'Riverside Unified' });
    issuerId = (await createIssuer(deps, { name: 'Riverside High School', schoolId: 'hs', parentIssuerId: district.id })).id;
  });

  it('completes a three-level pathway through single issues and a CSV drop, awards the capstone once and cascades', async () => {
    // Prepare: CAP needs A and 2 of [B, (C and D), E]; NEXT needs CAP and F.
    const [a, b, c, d, e, f, cap, next] = await Promise.all(
      ['Safety', 'Tools', 'Framing', 'Roofing', 'Wiring', 'Blueprints', 'Construction I', 'Construction II'].map(achievement),
    );
    const capPathway = await createPathway(deps, hsIssuerStaff, {
      issuerId,
      name: 'Construction I pathway',
      capstoneAchievementId: cap!,
      requirement: { allOf: [leaf(a!), { nOf: { n: 2, of: [leaf(b!), { allOf: [leaf(c!), leaf(d!)] }, leaf(e!)] } }] },
    });
    const nextPathway = await createPathway(deps, admin, {
      issuerId,
      name: 'Construction II pathway',
      capstoneAchievementId: next!,
      requirement: { allOf: [leaf(cap!), leaf(f!)] },
    });
    const student = await learner('PW-THREE-LEVEL');

    // Act: F and A singly, then B, C by a CSV drop, then D singly (the last step), then E (more than needed).
    await issue(student.id, f!);
    await issue(student.id, a!);
    const codes = await Promise.all([b!, c!].map(async (id) => (await deps.store.achievements.get(id))!.code!));
    const key = `drops/pathways-${Date.now()}.csv`;
    await deps.blobs.put(
      'drops',
      key,
      [
        'student_id,first_name,last_name,achievement,issued_on',
        ...codes.map((code) => `PW-THREE-LEVEL,Test,PW-THREE-LEVEL,${code},2026-08-30`),
      ].join('\r\n'),
      'text/csv',
    );
    await startBulkJob(deps, { key, etag: (await deps.blobs.get('drops', key))?.etag ?? '' });
    await deps.bulkQueue.drained();
    const beforeLast = await credentialsOf(student.id, cap!);
    const last = await issue(student.id, d!);
    await issue(student.id, e!);

    // Assess: nothing before the last step; exactly one capstone after, with the steps as evidence
    expect(beforeLast).toEqual([]);
    const capstones = await credentialsOf(student.id, cap!);
    expect(capstones).toHaveLength(1);
    const evidence = capstones[0]!.credential!['evidence'] as Array<{ id: string }>;
    expect(evidence.map((item) => item.id)).toContain(`urn:uuid:${last.id}`);
    expect(evidence).toHaveLength(4); // A, B, C, D (E came after)
    // …and CAP, a step of the next pathway, cascaded into NEXT (F was already held)
    const cascaded = await credentialsOf(student.id, next!);
    expect(cascaded).toHaveLength(1);
    expect((cascaded[0]!.credential!['evidence'] as Array<{ id: string }>).map((item) => item.id)).toContain(
      `urn:uuid:${capstones[0]!.id}`,
    );
    const progress = await learnerPathways(deps, admin, student.id);
    expect(progress.items.map((item) => [item.pathwayId, item.complete, item.percent])).toEqual([
      [capPathway.id, true, 100],
      [nextPathway.id, true, 100],
    ]);
  });

  it('issues one capstone when the last two steps are issued at the same time', async () => {
    // Prepare
    const [x, y, cap] = await Promise.all(['Concurrent X', 'Concurrent Y', 'Concurrent capstone'].map(achievement));
    await createPathway(deps, admin, {
      issuerId,
      name: 'Concurrent pathway',
      capstoneAchievementId: cap!,
      requirement: { allOf: [leaf(x!), leaf(y!)] },
    });
    const students = await Promise.all(['PW-RACE-1', 'PW-RACE-2', 'PW-RACE-3'].map(learner));

    // Act
    await Promise.all(students.flatMap((student) => [issue(student.id, x!), issue(student.id, y!), issue(student.id, y!, 'again')]));

    // Assess
    for (const student of students) expect(await credentialsOf(student.id, cap!)).toHaveLength(1);
  });

  it('refuses a pathway cycle with a 400 that names the achievements', async () => {
    // Prepare: P needs Q; R needs P's capstone … a pathway with capstone Q needing R's capstone closes the loop.
    const [p, q, r] = await Promise.all(['Cycle P', 'Cycle Q', 'Cycle R'].map(achievement));
    await createPathway(deps, admin, { issuerId, name: 'P from Q', capstoneAchievementId: p!, requirement: leaf(q!) });
    await createPathway(deps, admin, { issuerId, name: 'R from P', capstoneAchievementId: r!, requirement: leaf(p!) });

    // Act
    const cycle = await refusal(
      createPathway(deps, admin, { issuerId, name: 'Q from R', capstoneAchievementId: q!, requirement: { allOf: [leaf(r!)] } }),
    );
    const own = await refusal(
      createPathway(deps, admin, { issuerId, name: 'Self', capstoneAchievementId: q!, requirement: { allOf: [leaf(p!), leaf(q!)] } }),
    );

    // Assess
    expect(cycle.statusCode).toBe(400);
    expect(cycle.body.error.message).toMatch(/would create a cycle: "Cycle Q" → "Cycle P" → "Cycle R" → "Cycle Q"/);
    expect(cycle.body.error.details?.[0]?.field).toBe('requirement');
    expect(own.statusCode).toBe(400);
    expect(own.body.error.details).toEqual([
      { field: 'capstoneAchievementId', message: expect.stringMatching(/step of its own requirement tree/) },
    ]);
  });

  it('refuses unknown achievements with a 400 that names them, and a change that would close a cycle', async () => {
    // Prepare
    const [known, cap, other] = await Promise.all(['Known', 'Known capstone', 'Other capstone'].map(achievement));
    const pathway = await createPathway(deps, admin, {
      issuerId,
      name: 'Editable',
      capstoneAchievementId: cap!,
      requirement: leaf(known!),
    });
    await createPathway(deps, admin, { issuerId, name: 'Depends on editable', capstoneAchievementId: other!, requirement: leaf(cap!) });

    // Act
    const unknown = await refusal(
      createPathway(deps, admin, {
        issuerId,
        name: 'Bad',
        capstoneAchievementId: cap!,
        requirement: { nOf: { n: 1, of: [leaf(known!), leaf('no-such-achievement')] } },
      }),
    );
    const closing = await refusal(updatePathway(deps, admin, pathway.id, { requirement: { allOf: [leaf(known!), leaf(other!)] } }));
    const fine = await updatePathway(deps, admin, pathway.id, { requirement: { allOf: [leaf(known!)] }, name: 'Edited' });

    // Assess
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.error.message).toBe('These achievements do not exist: no-such-achievement.');
    expect(unknown.body.error.details).toEqual([{ field: 'requirement', message: 'unknown achievement no-such-achievement' }]);
    expect(closing.statusCode).toBe(400);
    expect(closing.body.error.message).toMatch(/cycle/);
    expect(fine.name).toBe('Edited');
  });

  it('lets staff define pathways only for capstones of their own schools', async () => {
    // Prepare
    const [step, cap] = await Promise.all(['Scoped step', 'Scoped capstone'].map(achievement));

    // Act
    const refused = await refusal(
      createPathway(deps, otherSchoolStaff, { issuerId, name: 'Not mine', capstoneAchievementId: cap!, requirement: leaf(step!) }),
    );

    // Assess
    expect(refused.statusCode).toBe(403);
  });

  it('does not count a component revoked before completion', async () => {
    // Prepare
    const [x, y, cap] = await Promise.all(['Revoked X', 'Revoked Y', 'Revoked capstone'].map(achievement));
    await createPathway(deps, admin, {
      issuerId,
      name: 'Revocation pathway',
      capstoneAchievementId: cap!,
      requirement: { allOf: [leaf(x!), leaf(y!)] },
    });
    const student = await learner('PW-REVOKED');
    const first = await issue(student.id, x!);
    await revokeCredential(deps, admin, first.id, 'issued in error');

    // Act
    await issue(student.id, y!);
    const blocked = await credentialsOf(student.id, cap!);
    const progress = await learnerPathways(deps, admin, student.id);
    await issue(student.id, x!, 're-assessed');
    const awarded = await credentialsOf(student.id, cap!);

    // Assess
    expect(blocked).toEqual([]);
    expect(progress.items[0]).toMatchObject({ complete: false, percent: 50, missing: [x], next: [x] });
    expect(awarded).toHaveLength(1);
  });

  it('reports progress: earned, missing, next and percent for each pathway touching the learner', async () => {
    // Prepare: CAP needs A and 2 of [B, C, D]; the learner holds B and C.
    const [a, b, c, d, cap, unrelated] = await Promise.all(
      ['Prog A', 'Prog B', 'Prog C', 'Prog D', 'Prog capstone', 'Unrelated'].map(achievement),
    );
    const pathway = await createPathway(deps, admin, {
      issuerId,
      name: 'Progress pathway',
      capstoneAchievementId: cap!,
      requirement: { allOf: [leaf(a!), { nOf: { n: 2, of: [leaf(b!), leaf(c!), leaf(d!)] } }] },
    });
    await createPathway(deps, admin, { issuerId, name: 'Untouched', capstoneAchievementId: unrelated!, requirement: leaf(d!) });
    const student = await learner('PW-PROGRESS');
    const own: Principal = { subject: 'pw-progress', role: 'learner', schoolIds: [], learnerIds: [student.id] };
    const heldB = await issue(student.id, b!);
    const heldC = await issue(student.id, c!);

    // Act
    const progress = await learnerPathways(deps, own, student.id);
    const stranger = await refusal(learnerPathways(deps, { ...own, learnerIds: ['someone-else'] }, student.id));

    // Assess
    expect(progress).toEqual({
      items: [
        {
          pathwayId: pathway.id,
          name: 'Progress pathway',
          capstoneAchievementId: cap,
          complete: false,
          percent: 50,
          earned: [
            { achievementId: b, credentialId: heldB.id },
            { achievementId: c, credentialId: heldC.id },
          ],
          missing: [a, d],
          next: [a],
        },
      ],
    });
    expect(stranger.statusCode).toBe(403);
  });

  it('describes a pathway publicly without any learner data', async () => {
    // Prepare
    const [a, cap] = await Promise.all(['Public step', 'Public capstone'].map(achievement));
    const pathway = await createPathway(deps, admin, {
      issuerId,
      name: 'Public pathway',
      description: 'For everyone.',
      capstoneAchievementId: cap!,
      requirement: { allOf: [leaf(a!)] },
    });

    // Act
    const described = await publicPathway(deps, pathway.id);

    // Assess
    expect(described).toMatchObject({
      id: pathway.id,
      url: `https://credentials.example.org/pathways/${pathway.id}`,
      name: 'Public pathway',
      issuer: { name: 'Riverside High School', parentOrg: { name: 'Riverside Unified' } },
      capstone: { achievementId: cap, name: 'Public capstone' },
      requirement: { allOf: [{ achievementId: a, name: 'Public step', url: `https://credentials.example.org/achievements/${a}` }] },
    });
  });
});
