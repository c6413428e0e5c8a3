import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import type { Principal } from '#domain/access';
import { statusListSize } from '#domain/status-list';
import { createAchievement } from '#features/achievements/manage';
import { issueCredential } from '#features/credentials/issue';
import { listLearnerCredentials } from '#features/credentials/read';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner, findLearnerBySourcedId } from '#features/learners/learners';
import { steppingClock } from '#ports/clock';
import { type ConnectedDependencies, connectedDependencies, localEndpoints } from '#test/connected';

const admin: Principal = { subject: 'admin', role: 'admin', schoolIds: [], learnerIds: [] };

describe('issuing credentials against DynamoDB Local', () => {
  let deps: ConnectedDependencies;
  let achievementIds: string[];

  beforeAll(async () => {
    deps = await connectedDependencies({ clock: steppingClock('2026-09-01T12:00:00Z') });
    const issuer = await createIssuer(deps, { name: 'Lincoln Elementary', schoolId: 'lincoln' });
    achievementIds = [];
    for (const name of ['Reading', 'Math', 'Science']) {
      const achievement = await createAchievement(deps, admin, {
        issuerId: issuer.id,
        name,
        description: `${name} badge`,
        criteria: { narrative: `Shows ${name.toLowerCase()} skills.` },
      });
      achievementIds.push(achievement.id);
    }
  });

  it('registers an SIS id once: concurrent registrations make one learner, found again by that SIS id', async () => {
    // Prepare
    const input = {
      sourcedId: 'S-ONCE',
      schoolId: 'lincoln',
      givenName: 'Mary',
      familyName: 'Jackson',
      birthDate: '2009-04-04',
      role: 'student' as const,
    };

    // Act
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => createLearner(deps, admin, input)));

    // Assess
    const created = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(created).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason)).toEqual(
      Array.from({ length: 4 }, () =>
        expect.objectContaining({ kind: 'conflict', message: 'A learner with this SIS id (sourcedId) already exists.' }),
      ),
    );
    expect(await findLearnerBySourcedId(deps, admin, 'S-ONCE')).toEqual(created);
    expect(await findLearnerBySourcedId(deps, admin, 'S-NEVER')).toEqual([]);
  });

  it('issues exactly one credential for 20 concurrent identical requests', async () => {
    // Prepare
    const learner = await createLearner(deps, admin, {
      sourcedId: 'S-CONCURRENT',
      schoolId: 'lincoln',
      givenName: 'Ada',
      familyName: 'Lovelace',
      birthDate: '2009-04-04',
      role: 'student',
    });
    const request = { learnerId: learner.id, achievementId: achievementIds[0]!, source: 'spring-showcase' };

    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, () => issueCredential(deps, admin, request)));

    // Assess
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    expect(answers.every((answer) => answer.state === 'issued')).toBe(true);
    const listed = await listLearnerCredentials(deps, admin, learner.id, { limit: 100 });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]?.credential).toEqual(answers[0]?.credential);
  });

  it('issues a second credential for the same achievement from another source', async () => {
    // Prepare
    const learner = await createLearner(deps, admin, {
      sourcedId: 'S-SOURCES',
      schoolId: 'lincoln',
      givenName: 'Grace',
      familyName: 'Hopper',
      birthDate: '2009-04-04',
      role: 'student',
    });

    // Act
    const first = await issueCredential(deps, admin, { learnerId: learner.id, achievementId: achievementIds[0]!, source: 'fall' });
    const again = await issueCredential(deps, admin, { learnerId: learner.id, achievementId: achievementIds[0]!, source: 'fall' });
    const other = await issueCredential(deps, admin, { learnerId: learner.id, achievementId: achievementIds[0]!, source: 'spring' });

    // Assess
    expect(again).toEqual(first);
    expect(other.id).not.toBe(first.id);
  });

  it("lists a learner's credentials in issue order", async () => {
    // Prepare
    const learner = await createLearner(deps, admin, {
      sourcedId: 'S-ORDER',
      schoolId: 'lincoln',
      givenName: 'Katherine',
      familyName: 'Johnson',
      birthDate: '2009-04-04',
      role: 'student',
    });
    const issued: string[] = [];
    for (const achievementId of [achievementIds[2]!, achievementIds[0]!, achievementIds[1]!]) {
      issued.push((await issueCredential(deps, admin, { learnerId: learner.id, achievementId, source: 'api' })).id);
    }

    // Act: two pages of two, to prove the cursor keeps the order too
    const first = await listLearnerCredentials(deps, admin, learner.id, { limit: 2 });
    const second = await listLearnerCredentials(deps, admin, learner.id, {
      limit: 2,
      ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
    });

    // Assess
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual(issued);
  });

  it('allocates 10,000 status indices at random positions without a collision', { timeout: 240_000 }, async () => {
    // Prepare
    const fresh = await connectedDependencies();
    const ids = Array.from({ length: 10_000 }, (_, i) => `credential-${i}`);

    // Act: 50 writers at once, as concurrent issuances would
    const slots: Array<{ listId: string; index: number }> = [];
    for (let start = 0; start < ids.length; start += 50) {
      slots.push(...(await Promise.all(ids.slice(start, start + 50).map(() => fresh.store.statusLists.allocate('issuer-1')))));
    }

    // Assess: all in one list, all distinct, spread over the list rather than handed out in sequence
    const listIds = new Set(slots.map((slot) => slot.listId));
    expect(listIds.size).toBe(1);
    const indices = slots.map((slot) => slot.index);
    expect(new Set(indices).size).toBe(10_000);
    expect(Math.max(...indices)).toBeGreaterThan(statusListSize * 0.9);
    expect(Math.min(...indices)).toBeLessThan(statusListSize * 0.1);
    const ascendingSteps = indices.slice(1).filter((index, i) => index > indices[i]!).length;
    expect(ascendingSteps).toBeGreaterThan(4_000);
    expect(ascendingSteps).toBeLessThan(6_000);

    // …claimed with one conditional write per block of 64, not one per index
    const client = toDocumentClient(createDynamoClient({ region: 'local', endpoint: localEndpoints().dynamoEndpoint }));
    let claimed = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: fresh.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :block)',
          ExpressionAttributeValues: { ':pk': `STATUSLIST#${[...listIds][0]}`, ':block': 'BLOCK#' },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      claimed += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    expect(claimed).toBe(Math.ceil(10_000 / 64));
  });

  it('never gives one index twice across processes allocating from the same list at once', async () => {
    // Prepare: three stores over one table, as three Lambda instances would have
    const fresh = await connectedDependencies();
    const { dynamoStatusLists } = await import('#adapters/dynamodb/status-lists');
    const { Table } = await import('#adapters/dynamodb/table');
    const client = toDocumentClient(createDynamoClient({ region: 'local', endpoint: localEndpoints().dynamoEndpoint }));
    const processes = Array.from({ length: 3 }, () => dynamoStatusLists(new Table(client, fresh.tableName)));

    // Act: 3 × 700 allocations, interleaved
    const slots = (
      await Promise.all(
        processes.map(async (store) => {
          const mine = [];
          for (let i = 0; i < 700; i++) mine.push(await store.allocate('issuer-4'));
          return mine;
        }),
      )
    ).flat();

    // Assess
    expect(new Set(slots.map((slot) => slot.listId)).size).toBe(1);
    expect(new Set(slots.map((slot) => slot.index)).size).toBe(2_100);
  });

  it('opens a new list when the current one reaches its fill target (half full)', async () => {
    // Prepare: a tiny list size, so rotation happens within the test
    const fresh = await connectedDependencies();
    const { dynamoStatusLists } = await import('#adapters/dynamodb/status-lists');
    const { Table } = await import('#adapters/dynamodb/table');
    const client = toDocumentClient(createDynamoClient({ region: 'local', endpoint: localEndpoints().dynamoEndpoint }));
    const tiny = dynamoStatusLists(new Table(client, fresh.tableName), 8);

    // Act
    const slots = [];
    for (let i = 0; i < 12; i++) slots.push(await tiny.allocate('issuer-1'));

    // Assess
    const byList = new Map<string, typeof slots>();
    for (const slot of slots) byList.set(slot.listId, [...(byList.get(slot.listId) ?? []), slot]);
    expect(byList.size).toBe(3);
    expect([...byList.values()].map((list) => list.length)).toEqual([4, 4, 4]);
    for (const list of byList.values()) expect(new Set(list.map((slot) => slot.index)).size).toBe(list.length);
  });

  it("opens one list, not one per caller, when an issuer's first credentials are issued all at once", async () => {
    // Prepare
    const fresh = await connectedDependencies();
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const client = toDocumentClient(createDynamoClient({ region: 'local', endpoint: localEndpoints().dynamoEndpoint }));

    // Act
    const slots = await Promise.all(Array.from({ length: 40 }, () => fresh.store.statusLists.allocate('issuer-2')));

    // Assess
    expect(new Set(slots.map((slot) => slot.listId)).size).toBe(1);
    const lists = await client.send(
      new ScanCommand({ TableName: fresh.tableName, FilterExpression: 'sk = :list', ExpressionAttributeValues: { ':list': 'LIST' } }),
    );
    expect(lists.Items).toHaveLength(1);
  });
});
