import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { sqsContinuations } from '#adapters/sqs/continuations';
import type { Principal } from '#domain/access';
import { addDays } from '#domain/dates';
import { createAchievement } from '#features/achievements/manage';
import { issueCredential } from '#features/credentials/issue';
import { retentionJob } from '#features/deletion/retention';
import { expiryAlertsJob } from '#features/expiry/expiry-alerts';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner } from '#features/learners/learners';
import { scheduledJobHandler } from '#features/scheduled/scheduled-runs';
import { fixedClock } from '#ports/clock';
import { type ConnectedDependencies, connectedDependencies, localEndpoints, recordingEvents, recordingMailer } from '#test/connected';

const admin: Principal = { subject: 'admin', role: 'admin', schoolIds: [], learnerIds: [] };
const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/merit-continuations';

/**
 * A Lambda context whose remaining time drops by `stepMs` at every reading: the jobs read it once per item, so a
 * part handles a known number of items before it hands over (no wall clock involved).
 */
const invocationContext = (timeoutMs: number, stepMs: number) => {
  let remaining = timeoutMs;
  return { getRemainingTimeInMillis: () => (remaining -= stepMs) };
};

describe('scheduled jobs of any size run in parts that carry on through their queue (DynamoDB Local)', () => {
  const sqs = mockClient(SQSClient);
  let queued: string[];
  let deps: ConnectedDependencies;

  beforeEach(() => {
    queued = [];
    sqs.reset();
    sqs.on(SendMessageCommand).callsFake((input: { QueueUrl: string; MessageBody: string }) => {
      expect(input.QueueUrl).toBe(queueUrl);
      queued.push(input.MessageBody);
      return { MessageId: `m-${queued.length}` };
    });
  });
  afterEach(() => sqs.reset());

  /** The schedule's event, then each queued continuation as the SQS event source delivers it (one per invocation). */
  const runChain = async (
    handler: (event: unknown, context: ReturnType<typeof invocationContext>) => Promise<void>,
    context: () => ReturnType<typeof invocationContext>,
  ) => {
    const start = queued.length;
    await handler({ source: 'aws.scheduler' }, context());
    for (let next = start; next < queued.length; next++) {
      await handler({ Records: [{ messageId: `m-${next}`, body: queued[next], eventSource: 'aws:sqs' }] }, context());
    }
    return queued.slice(start).map((body) => JSON.parse(body) as { job: string; now: string; part: number; after: Record<string, string> });
  };

  const scan = async (entity: string) => {
    const client = toDocumentClient(createDynamoClient({ region: 'local', endpoint: localEndpoints().dynamoEndpoint }));
    const items: Array<Record<string, unknown>> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: deps.tableName,
          FilterExpression: 'entity = :e',
          ExpressionAttributeValues: { ':e': entity },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    client.destroy();
    return items;
  };

  it('retention: 240 learners over four year shards are deleted once each, over several invocations, and a rerun deletes none', async () => {
    // Prepare: retention is 3 years in the test deployment; 240 learners due in 2022–2025, 3 still active
    deps = await connectedDependencies({ clock: '2026-01-15T02:00:00Z' });
    const due: string[] = [];
    for (let i = 0; i < 240; i++) {
      const at = addDays(new Date('2019-03-01T09:00:00Z'), i * 5);
      due.push(
        (
          await createLearner({ ...deps, clock: fixedClock(at) }, admin, {
            sourcedId: `OLD-${i}`,
            givenName: 'Old',
            familyName: `Record ${i}`,
            role: 'student',
          })
        ).id,
      );
    }
    const active: string[] = [];
    for (let i = 0; i < 3; i++) {
      active.push(
        (
          await createLearner({ ...deps, clock: fixedClock('2025-06-01T09:00:00Z') }, admin, {
            sourcedId: `NEW-${i}`,
            givenName: 'New',
            familyName: 'Record',
            role: 'student',
          })
        ).id,
      );
    }
    const handler = scheduledJobHandler(retentionJob, deps, sqsContinuations(new SQSClient({ region: 'us-east-1' }), queueUrl));
    // 15 minutes, 25 s per learner, 2 minutes kept back: 32 learners per invocation
    const context = () => invocationContext(15 * 60_000, 25_000);

    // Act
    const continuations = await runChain(handler, context);
    const receiptsAfterRun = await scan('deletionReceipt');
    const rerun = await runChain(handler, context);

    // Assess
    expect(continuations.length).toBe(7); // 8 invocations in all
    expect(continuations.map((c) => c.part)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(continuations.map((c) => c.now))).toEqual(new Set(['2026-01-15T02:00:00.000Z']));
    for (const continuation of continuations) {
      expect(Object.keys(continuation).sort()).toEqual(['after', 'job', 'now', 'part']);
      expect(Object.keys(continuation.after).sort()).toEqual(['learnerId', 'retentionDueOn']); // ids only
    }
    expect(receiptsAfterRun).toHaveLength(240);
    expect(new Set(receiptsAfterRun.map((receipt) => receipt['learnerHash'])).size).toBe(240);
    for (const id of due) expect(await deps.store.learners.get(id)).toBeUndefined();
    for (const id of active) expect(await deps.store.learners.get(id)).toBeDefined();
    expect(rerun).toEqual([]);
    expect(await scan('deletionReceipt')).toHaveLength(240);
  });

  it('expiry alerts: 150 credentials, most expiring at the same instant, are alerted once each over several invocations, and a replayed part sends none', async () => {
    // Prepare: 120 credentials sharing one validUntil (a bulk drop), 30 more spread over the next months
    const mailer = recordingMailer();
    const events = recordingEvents();
    const today = new Date('2026-06-01T13:00:00Z');
    deps = await connectedDependencies({ clock: today.toISOString(), mailer, events, adminDigestEmails: ['admins@district.example.org'] });
    const issuer = await createIssuer(deps, { name: 'District' });
    const achievement = await createAchievement(deps, admin, {
      issuerId: issuer.id,
      name: 'CPR',
      description: 'CPR',
      criteria: { narrative: 'Course' },
    });
    const credentialIds: string[] = [];
    for (let i = 0; i < 150; i++) {
      const learner = await createLearner(deps, admin, {
        sourcedId: `T-${i}`,
        givenName: 'Mei',
        familyName: 'Chen',
        email: `teacher${i}@district.example.org`,
        role: 'staff',
      });
      const validUntil = i < 120 ? addDays(today, 30).toISOString() : addDays(today, 5 + (i - 120) * 3).toISOString();
      credentialIds.push(
        (
          await issueCredential(deps, admin, {
            learnerId: learner.id,
            achievementId: achievement.id,
            validFrom: '2024-06-01',
            validUntil,
            source: 'hr-import',
          })
        ).id,
      );
    }
    const handler = scheduledJobHandler(expiryAlertsJob, deps, sqsContinuations(new SQSClient({ region: 'us-east-1' }), queueUrl));
    // 10 minutes, 20 s per credential, 1 minute kept back: 28 credentials per invocation
    const context = () => invocationContext(10 * 60_000, 20_000);

    // Act
    const continuations = await runChain(handler, context);
    const holderMails = mailer.sent.filter((mail) => mail.to !== 'admins@district.example.org');
    const digests = mailer.sent.length - holderMails.length;
    const alerted = events.published.map((event) => event.detail['credentialId']);
    const sentBeforeReplay = mailer.sent.length;
    await handler({ Records: [{ messageId: 'replay', body: JSON.stringify(continuations[1]), eventSource: 'aws:sqs' }] }, context());

    // Assess
    expect(continuations.length).toBe(5); // 149 in the window, 28 per invocation: 6 invocations
    expect(new Set(continuations.map((c) => c.now))).toEqual(new Set([today.toISOString()]));
    // Credentials 120–149 expire 5–92 days out; those past 90 days are considered but not alerted
    const expectedAlerts = credentialIds.filter((_id, i) => i < 120 || 5 + (i - 120) * 3 <= 90);
    expect([...alerted].sort()).toEqual([...expectedAlerts].sort());
    expect(new Set(holderMails.map((mail) => mail.to)).size).toBe(holderMails.length);
    expect(holderMails).toHaveLength(expectedAlerts.length);
    expect(digests).toBe(continuations.length + 1); // one digest per part
    // the replayed part (a redelivered message) found every alert already sent
    expect(mailer.sent).toHaveLength(sentBeforeReplay);
    expect(events.published).toHaveLength(expectedAlerts.length);
  });
});
