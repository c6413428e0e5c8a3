import { describe, expect, it } from 'vitest';
import { findCycle, isSatisfied, leavesOf, type PathwayLink, progressOf, type Requirement, structuralProblems } from '#domain/pathways';
import { createPathwaySchema } from '#http/schemas/pathways';

const leaf = (achievementId: string): Requirement => ({ achievementId });
const held = (...ids: string[]) => new Map(ids.map((id) => [id, `cred-${id}`]));

/** allOf[A, nOf 2 of [B, allOf[C, D], E]]: three levels. */
const tree: Requirement = { allOf: [leaf('A'), { nOf: { n: 2, of: [leaf('B'), { allOf: [leaf('C'), leaf('D')] }, leaf('E')] } }] };

describe('pathway requirement schema', () => {
  it('accepts a nested tree', () => {
    // Act
    const parsed = createPathwaySchema.safeParse({ issuerId: 'i', name: 'Welding', capstoneAchievementId: 'CAP', requirement: tree });

    // Assess
    expect(parsed.success).toBe(true);
  });

  it.each([
    [0, 'requirement.nOf.n'],
    [4, 'requirement.nOf.n'],
  ])('refuses n = %i for three requirements, naming the field', (n, field) => {
    // Prepare
    const body = {
      issuerId: 'i',
      name: 'x',
      capstoneAchievementId: 'CAP',
      requirement: { nOf: { n, of: [leaf('A'), leaf('B'), leaf('C')] } },
    };

    // Act
    const parsed = createPathwaySchema.safeParse(body);

    // Assess
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues.find((candidate) => candidate.path.join('.') === field);
    expect(issue?.message).toMatch(/n must be between 1 and the number of requirements/);
  });

  it('refuses unknown node shapes and empty lists', () => {
    // Act
    const mixed = createPathwaySchema.safeParse({
      issuerId: 'i',
      name: 'x',
      capstoneAchievementId: 'C',
      requirement: { achievementId: 'A', allOf: [] },
    });
    const empty = createPathwaySchema.safeParse({ issuerId: 'i', name: 'x', capstoneAchievementId: 'C', requirement: { allOf: [] } });

    // Assess
    expect(mixed.success).toBe(false);
    expect(empty.success).toBe(false);
  });
});

describe('pathway tree evaluation', () => {
  it('lists the distinct leaves in tree order', () => {
    expect(leavesOf({ allOf: [leaf('A'), { allOf: [leaf('B'), leaf('A')] }] })).toEqual(['A', 'B']);
  });

  it.each([
    [['A', 'B'], false],
    [['A', 'B', 'C'], false],
    [['A', 'B', 'C', 'D'], true],
    [['A', 'B', 'E'], true],
    [['B', 'C', 'D', 'E'], false],
  ])('holding %j satisfies the tree: %s', (ids, expected) => {
    expect(isSatisfied(tree, held(...ids))).toBe(expected);
  });

  it('reports earned, missing, next and a percentage', () => {
    // Act
    const start = progressOf(tree, held());
    const partway = progressOf(tree, held('A', 'B'));
    const branchDone = progressOf(tree, held('B', 'E'));
    const done = progressOf(tree, held('A', 'B', 'E'));

    // Assess
    expect(start).toMatchObject({
      complete: false,
      percent: 0,
      earned: [],
      missing: ['A', 'B', 'C', 'D', 'E'],
      next: ['A', 'B', 'C', 'D', 'E'],
    });
    // allOf(A=1, nOf(best 2 of [1, 0, 0]) = 0.5) = 0.75
    expect(partway).toEqual({
      complete: false,
      percent: 75,
      earned: [
        { achievementId: 'A', credentialId: 'cred-A' },
        { achievementId: 'B', credentialId: 'cred-B' },
      ],
      missing: ['C', 'D', 'E'],
      next: ['C', 'D', 'E'],
    });
    // The nOf branch is satisfied: only A still advances the tree.
    expect(branchDone).toMatchObject({ complete: false, percent: 50, missing: ['A', 'C', 'D'], next: ['A'] });
    expect(done).toMatchObject({ complete: true, percent: 100, next: [] });
  });

  it('flags a capstone inside its own tree', () => {
    // Act
    const problems = structuralProblems({ capstoneAchievementId: 'D', requirement: tree });

    // Assess
    expect(problems).toEqual([
      { field: 'capstoneAchievementId', message: expect.stringMatching(/D is also a step of its own requirement tree/) },
    ]);
  });
});

describe('pathway cycle search', () => {
  /** Existing pathways as links: step → capstone. */
  const graph =
    (links: Array<[pathwayId: string, step: string, capstone: string]>) =>
    async (achievementId: string): Promise<PathwayLink[]> =>
      links
        .filter(([, step]) => step === achievementId)
        .map(([pathwayId, step, capstone]) => ({ pathwayId, achievementId: step, capstoneAchievementId: capstone }));

  it('finds a cycle through two other pathways', async () => {
    // Prepare: X → Y (p1), Y → Z (p2); a new pathway with capstone X needing Z closes Z → X.
    const lookup = graph([
      ['p1', 'X', 'Y'],
      ['p2', 'Y', 'Z'],
    ]);

    // Act
    const cycle = await findCycle({ capstoneAchievementId: 'X', steps: ['Z', 'Q'] }, lookup);

    // Assess
    expect(cycle).toEqual(['X', 'Y', 'Z']);
  });

  it('accepts a chain that is not a cycle, and ignores the edges of the pathway being replaced', async () => {
    // Prepare
    const lookup = graph([
      ['p1', 'X', 'Y'],
      ['p2', 'Y', 'Z'],
    ]);

    // Act
    const chain = await findCycle({ capstoneAchievementId: 'W', steps: ['Z'] }, lookup);
    const replaced = await findCycle({ capstoneAchievementId: 'X', steps: ['Z'], ignorePathwayId: 'p2' }, lookup);

    // Assess
    expect(chain).toBeUndefined();
    expect(replaced).toBeUndefined();
  });
});
