import { randomUUID } from 'node:crypto';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { createDynamoStore } from '#adapters/dynamodb/store';
import type { Principal } from '#domain/access';
import type { CredentialRecord } from '#domain/records';
import { presentedFromJson } from '#domain/verify/parse';
import { recordConsent } from '#features/consent/record-consent';
import { issueCredential } from '#features/credentials/issue';
import { listLearnerCredentials } from '#features/credentials/read';
import { deleteLearner } from '#features/deletion/delete-learner';
import { createLearner } from '#features/learners/learners';
import { verifyPresented } from '#features/verify/verify';
import { seedDemoDistrict } from '#local/seed';
import { type ConnectedDependencies, connectedDependencies, localEndpoints } from '#test/connected';

/**
 * How credentials are stored (adapters/dynamodb/credentials.ts): the issuer profile and achievement once per
 * distinct pair in a content-addressed document item, the rest packed small enough for one write unit per copy.
 * Whatever the packing, a credential must read back exactly as signed, and still verify.
 */
const admin: Principal = { subject: 'admin', role: 'admin', schoolIds: [], learnerIds: [] };

describe('credential storage against DynamoDB Local', () => {
  let deps: ConnectedDependencies;
  let client: ReturnType<typeof toDocumentClient>;
  let pythonId: string;
  let speakingId: string;
  let schoolId: string;

  beforeAll(async () => {
    // The demo district of `npm start`, as the bench drop uses it.
    deps = await connectedDependencies({ clock: '2026-05-02T10:00:00Z', baseUrl: 'https://credentials.riverside.example.org' });
    await seedDemoDistrict(deps);
    const python = (await deps.store.achievements.getByCode('CS-PYTHON-1'))!;
    pythonId = python.id;
    speakingId = (await deps.store.achievements.getByCode('PUBLIC-SPEAKING-1'))!.id;
    schoolId = (await deps.store.issuers.get(python.issuerId))!.schoolId!;
    client = toDocumentClient(createDynamoClient({ region: 'local', endpoint: localEndpoints().dynamoEndpoint }));
  });

  /** The bench drop's row `B000001,Student1,Number1,CS-PYTHON-1,2026-05-01`, issued as the drop issues it. */
  const issueDropRow = async (sourcedId: string, achievementId = pythonId) => {
    const learner = await createLearner(deps, admin, {
      sourcedId,
      schoolId,
      givenName: 'Student1',
      familyName: 'Number1',
      birthDate: '2009-04-04',
      role: 'student',
    });
    const issued = await issueCredential(deps, admin, {
      learnerId: learner.id,
      achievementId,
      source: 'sis:2026-05-01',
      validFrom: '2026-05-01',
    });
    return { learner, issued };
  };

  const rawItem = async (pk: string, sk: string) =>
    (await client.send(new GetCommand({ TableName: deps.tableName, Key: { pk, sk } }))).Item!;

  const documentItems = async () => {
    const { Items = [] } = await client.send(
      new ScanCommand({
        TableName: deps.tableName,
        FilterExpression: 'begins_with(pk, :doc)',
        ExpressionAttributeValues: { ':doc': 'DOC#' },
      }),
    );
    return Items;
  };

  const verifies = async (credential: Record<string, unknown> | undefined) =>
    (await verifyPresented(deps, presentedFromJson(credential))).verified;

  /** A credential item as written before the public documents were split out: the whole JSON, Brotli-compressed. */
  const legacyItem = ({ credential, unsigned, ...fields }: CredentialRecord) => {
    const brotli = (json: Record<string, unknown>) =>
      brotliCompressSync(JSON.stringify(json), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6 } });
    return {
      pk: `CRED#${fields.id}`,
      sk: 'CRED',
      entity: 'credential',
      gsi1pk: `LEARNER#${fields.learnerId}#CREDS`,
      gsi1sk: `${fields.issuedAt}#${fields.id}`,
      ...fields,
      ...(credential ? { credentialZ: brotli(credential) } : {}),
      ...(unsigned ? { unsignedZ: brotli(unsigned) } : {}),
    };
  };

  it('reads a credential back exactly as it was signed, and it still verifies', async () => {
    // Prepare
    const { learner, issued } = await issueDropRow('B000001');

    // Act
    const got = await deps.store.credentials.get(issued.id);
    const listed = await listLearnerCredentials(deps, admin, learner.id, { limit: 50 });

    // Assess: the same JSON, keys in the same order (what was signed is what is served)
    expect(issued.state).toBe('issued');
    expect(got?.credential).toEqual(issued.credential);
    expect(JSON.stringify(got?.credential)).toBe(JSON.stringify(issued.credential));
    expect(JSON.stringify(listed.items[0]?.credential)).toBe(JSON.stringify(issued.credential));
    expect(await verifies(got?.credential)).toBe(true);
  });

  it('stores a typical credential in under 1 KiB: one write unit, and one for its learner-index copy', async () => {
    // Prepare: the stored item, copied to a scratch credential and learner with keys of the same lengths
    const { issued } = await issueDropRow('B000002');
    const item = await rawItem(`CRED#${issued.id}`, 'CRED');
    const scratch = randomUUID();
    const copy = { ...item, pk: `CRED#${scratch}`, gsi1pk: `LEARNER#${randomUUID()}#CREDS`, gsi1sk: `${item['issuedAt']}#${scratch}` };

    // Act
    const { ConsumedCapacity } = await client.send(
      new PutCommand({ TableName: deps.tableName, Item: copy, ReturnConsumedCapacity: 'INDEXES' }),
    );
    await client.send(new DeleteCommand({ TableName: deps.tableName, Key: { pk: copy.pk, sk: 'CRED' } }));

    // Assess
    expect(item).not.toHaveProperty('credentialZ');
    expect(ConsumedCapacity?.Table?.CapacityUnits).toBe(1);
    expect(ConsumedCapacity?.GlobalSecondaryIndexes?.['gsi1']?.CapacityUnits).toBe(1);
  });

  it('stores the issuer profile and the achievement once for all the credentials of the achievement', async () => {
    // Prepare
    const before = (await documentItems()).length;

    // Act: two learners, then a third through another store on the same table (another process: nothing remembered)
    const first = await issueDropRow('S-SPEAK-1', speakingId);
    await issueDropRow('S-SPEAK-2', speakingId);
    const otherProcess = { ...deps, store: createDynamoStore(client, deps.tableName) };
    const learner = await createLearner(otherProcess, admin, {
      sourcedId: 'S-SPEAK-3',
      schoolId,
      givenName: 'Ada',
      familyName: 'Byron',
      birthDate: '2009-04-04',
      role: 'student',
    });
    const third = await issueCredential(otherProcess, admin, { learnerId: learner.id, achievementId: speakingId, source: 'api' });

    // Assess: one document more, public (no learner in it), and both readers rebuild the credentials from it
    const documents = await documentItems();
    expect(documents).toHaveLength(before + 1);
    expect(JSON.stringify(documents)).not.toMatch(/Student1|Byron|S-SPEAK/);
    expect((await otherProcess.store.credentials.get(first.issued.id))?.credential).toEqual(first.issued.credential);
    expect((await deps.store.credentials.get(third.id))?.credential).toEqual(third.credential);
    expect(await verifies(third.credential)).toBe(true);
  });

  it('reads the document once for a page of credentials of one achievement', async () => {
    // Prepare: one learner with three credentials of one achievement; a fresh store (cold memory) counting reads
    const learner = await createLearner(deps, admin, {
      sourcedId: 'S-PAGE',
      schoolId,
      givenName: 'Grace',
      familyName: 'Hopper',
      birthDate: '2009-04-04',
      role: 'student',
    });
    for (const source of ['fall', 'winter', 'spring'])
      await issueCredential(deps, admin, { learnerId: learner.id, achievementId: pythonId, source });
    const raw = createDynamoClient({ region: 'local', endpoint: localEndpoints().dynamoEndpoint });
    const documentReads: string[] = [];
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        type Key = { pk?: string | { S?: string } } | undefined;
        const input = args.input as { Key?: Key; RequestItems?: Record<string, { Keys?: Key[] }> };
        const keys =
          context.commandName === 'GetItemCommand'
            ? [input.Key]
            : context.commandName === 'BatchGetItemCommand'
              ? Object.values(input.RequestItems ?? {}).flatMap((request) => request.Keys ?? [])
              : [];
        for (const key of keys) {
          const pk = typeof key?.pk === 'string' ? key.pk : key?.pk?.S;
          if (pk?.startsWith('DOC#')) documentReads.push(pk);
        }
        return next(args);
      },
      { step: 'initialize', name: 'countDocumentReads' },
    );
    const cold = createDynamoStore(toDocumentClient(raw), deps.tableName);

    // Act
    const page = await cold.credentials.listByLearner(learner.id, { limit: 50 });
    for (const record of page.items) await cold.credentials.get(record.id);
    const batch = await cold.credentials.getMany(page.items.map((record) => record.id));

    // Assess
    expect(page.items).toHaveLength(3);
    expect(page.items.map((record) => batch.get(record.id))).toEqual(page.items);
    expect(
      page.items.every(
        (record) =>
          record.credential?.['issuer'] && (record.credential['credentialSubject'] as { achievement: { id: string } }).achievement.id,
      ),
    ).toBe(true);
    expect(documentReads).toHaveLength(1);
  });

  it('still reads credentials stored before the documents were split out', async () => {
    // Prepare: an issued credential, rewritten in the old format
    const { learner, issued } = await issueDropRow('S-LEGACY');
    const record = (await deps.store.credentials.get(issued.id))!;
    await client.send(new PutCommand({ TableName: deps.tableName, Item: legacyItem(record) }));

    // Act
    const got = await deps.store.credentials.get(issued.id);
    const all = [];
    for await (const each of deps.store.credentials.allByLearner(learner.id)) all.push(each);

    // Assess
    expect((await rawItem(`CRED#${issued.id}`, 'CRED'))['credentialZ']).toBeDefined();
    expect(got).toEqual(record);
    expect(all).toEqual([record]);
    expect(await verifies(got?.credential)).toBe(true);
  });

  it('signs a credential that waited for consent (stored the new way or the old) into the same small form', async () => {
    // Prepare: two under-13 learners, one of whose pending credentials is rewritten in the old format
    const child = (sourcedId: string) =>
      createLearner(deps, admin, {
        sourcedId,
        schoolId,
        givenName: 'Zoë',
        familyName: 'Brontë',
        birthDate: '2017-06-19',
        guardianEmail: 'parent@families.example.org',
        role: 'student',
      });
    const [fresh, legacy] = [await child('C-NEW'), await child('C-OLD')];
    const pendingFresh = await issueCredential(deps, admin, { learnerId: fresh.id, achievementId: pythonId, source: 'api' });
    const pendingLegacy = await issueCredential(deps, admin, { learnerId: legacy.id, achievementId: pythonId, source: 'api' });
    await client.send(
      new PutCommand({ TableName: deps.tableName, Item: legacyItem((await deps.store.credentials.get(pendingLegacy.id))!) }),
    );
    const unsigned = {
      fresh: (await deps.store.credentials.get(pendingFresh.id))?.unsigned,
      legacy: (await deps.store.credentials.get(pendingLegacy.id))?.unsigned,
    };

    // Act
    for (const learner of [fresh, legacy])
      await recordConsent(deps, admin, learner.id, { granted: true, by: 'Parent', method: 'signed paper form' });

    // Assess: signed as it waited, verifiable, and nothing of the waiting form left on the item
    for (const [pending, waited] of [
      [pendingFresh, unsigned.fresh],
      [pendingLegacy, unsigned.legacy],
    ] as const) {
      expect(pending.state).toBe('pending_consent');
      expect(waited?.['issuer']).toMatchObject({ name: 'Riverside High School' });
      const after = await deps.store.credentials.get(pending.id);
      const { proof, ...signedContent } = after!.credential!;
      expect(after?.state).toBe('issued');
      expect(after).not.toHaveProperty('unsigned');
      expect(proof).toBeDefined();
      expect(signedContent).toEqual(waited);
      expect(await verifies(after?.credential)).toBe(true);
      const item = await rawItem(`CRED#${pending.id}`, 'CRED');
      expect(Object.keys(item).filter((name) => /^(credential|unsigned)[A-Z]/.test(name))).toEqual(['credentialD']);
    }
  });

  it('deletes a learner’s credential items and keeps the shared public documents the others need', async () => {
    // Prepare
    const { learner, issued } = await issueDropRow('S-GONE');
    const { issued: other } = await issueDropRow('S-STAYS');
    const documents = (await documentItems()).length;

    // Act
    await deleteLearner(deps, admin, learner.id);

    // Assess
    const { Item } = await client.send(new GetCommand({ TableName: deps.tableName, Key: { pk: `CRED#${issued.id}`, sk: 'CRED' } }));
    expect(Item).toBeUndefined();
    expect(await documentItems()).toHaveLength(documents);
    expect((await deps.store.credentials.get(other.id))?.credential).toEqual(other.credential);
  });
});
