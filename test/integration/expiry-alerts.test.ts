import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventBridgeEvents } from '#adapters/eventbridge/events';
import { sesMailer } from '#adapters/ses/mailer';
import type { Principal } from '#domain/access';
import { addDays } from '#domain/dates';
import { createAchievement } from '#features/achievements/manage';
import { issueCredential } from '#features/credentials/issue';
import { revokeCredential } from '#features/credentials/revoke';
import { runExpiryAlerts } from '#features/expiry/expiry-alerts';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner } from '#features/learners/learners';
import { fixedClock } from '#ports/clock';
import type { Mailer } from '#ports/mailer';
import { type ConnectedDependencies, connectedDependencies, recordingEvents, recordingMailer } from '#test/connected';

const admin: Principal = { subject: 'admin', role: 'admin', schoolIds: [], learnerIds: [] };
const today = new Date('2026-06-01T13:00:00Z');

/** Issues one credential per "days left" value, all expiring relative to `today`. */
const seed = async (deps: ConnectedDependencies, daysLeftList: number[]) => {
  const issuer = await createIssuer(deps, { name: 'District' });
  const achievement = await createAchievement(deps, admin, {
    issuerId: issuer.id,
    name: 'CPR and First Aid',
    description: 'CPR',
    criteria: { narrative: 'Course and skills check' },
    creditsAvailable: 6,
  });
  const byDays = new Map<number, string>();
  for (const days of daysLeftList) {
    const learner = await createLearner(deps, admin, {
      sourcedId: `T-${days}-${Math.random().toString(36).slice(2, 8)}`,
      givenName: 'Mei',
      familyName: 'Chen',
      email: `teacher${days}@district.example.org`,
      role: 'staff',
    });
    const issued = await issueCredential(deps, admin, {
      learnerId: learner.id,
      achievementId: achievement.id,
      validFrom: '2024-06-01',
      validUntil: addDays(today, days).toISOString(),
      source: 'hr-import',
    });
    byDays.set(days, issued.id);
  }
  return { achievement, byDays };
};

describe('the expiry-alerts job against DynamoDB Local', () => {
  let deps: ConnectedDependencies;
  let mailer: ReturnType<typeof recordingMailer>;
  let events: ReturnType<typeof recordingEvents>;

  beforeEach(async () => {
    mailer = recordingMailer();
    events = recordingEvents();
    deps = await connectedDependencies({
      clock: '2026-05-01T00:00:00Z',
      mailer,
      events,
      adminDigestEmails: ['admins@district.example.org'],
    });
  });

  const runAt = (at: Date, overrides: Partial<ConnectedDependencies> = {}) =>
    runExpiryAlerts({ ...deps, clock: fixedClock(at), ...overrides });

  it('sends exactly the alerts due at 90 / 30 / 7 days, once each, and nothing for expired ones', async () => {
    // Prepare
    const { byDays } = await seed(deps, [100, 90, 31, 30, 8, 7, 1, -1]);

    // Act
    const first = await runAt(today);
    const second = await runAt(today);

    // Assess
    const thresholdsByDays = Object.fromEntries(
      [...byDays].map(([days, id]) => [
        days,
        events.published.filter((event) => event.detail['credentialId'] === id).map((event) => event.detail['thresholdDays']),
      ]),
    );
    expect(thresholdsByDays).toEqual({ '100': [], '90': [90], '31': [90], '30': [30], '8': [30], '7': [7], '1': [7], '-1': [] });
    expect(first).toMatchObject({ sent: 6, failed: 0 });
    expect(second).toMatchObject({ sent: 0, alreadySent: 6 });
    const holderMails = mailer.sent.filter((mail) => mail.to !== 'admins@district.example.org');
    expect(holderMails.map((mail) => mail.to).sort()).toEqual(
      [90, 31, 30, 8, 7, 1].map((days) => `teacher${days}@district.example.org`).sort(),
    );
    expect(mailer.sent.filter((mail) => mail.to === 'admins@district.example.org')).toHaveLength(1);
  });

  it('reads only the credentials inside the window, not the whole table', async () => {
    // Prepare
    await seed(deps, [400, 500, 600, 30]);

    // Act
    const summary = await runAt(today);

    // Assess
    expect(summary.considered).toBe(1);
  });

  it('moves on to the next threshold as days pass, never repeating one', async () => {
    // Prepare
    const { byDays } = await seed(deps, [45]);
    const id = byDays.get(45);

    // Act: day 0 (45 left → 90), day 16 (29 left → 30), day 20 (25 left → nothing new), day 40 (5 left → 7)
    for (const offset of [0, 16, 20, 40]) await runAt(addDays(today, offset));

    // Assess
    expect(events.published.filter((event) => event.detail['credentialId'] === id).map((event) => event.detail['thresholdDays'])).toEqual([
      90, 30, 7,
    ]);
  });

  it('after a failure halfway, a rerun sends the rest exactly once', async () => {
    // Prepare
    await seed(deps, [5, 6, 7, 20, 25]);
    let calls = 0;
    const flaky: Mailer = {
      send: async (mail) => {
        calls++;
        if (calls === 3) throw new Error('SES timed out');
        await mailer.send(mail);
      },
    };

    // Act
    const first = await runAt(today, { mailer: flaky });
    const rerun = await runAt(today);

    // Assess
    expect(first).toMatchObject({ sent: 4, failed: 1 });
    expect(rerun).toMatchObject({ sent: 1, alreadySent: 4 });
    const holderMails = mailer.sent.filter((mail) => mail.to !== 'admins@district.example.org');
    expect(new Set(holderMails.map((mail) => mail.to)).size).toBe(5);
    expect(holderMails).toHaveLength(5);
  });

  it('picks up an alert a dead run had claimed once its lease has run out', async () => {
    // Prepare: a run claimed this alert and died before sending
    const { byDays } = await seed(deps, [7]);
    await deps.store.alerts.claim(byDays.get(7)!, 7, today, 900);

    // Act
    const duringLease = await runAt(new Date(today.getTime() + 60_000));
    const afterLease = await runAt(new Date(today.getTime() + 16 * 60_000));

    // Assess
    expect(duringLease.sent).toBe(0);
    expect(afterLease.sent).toBe(1);
  });

  it('sends nothing for revoked or renewed credentials', async () => {
    // Prepare
    const { achievement, byDays } = await seed(deps, [7, 8]);
    await revokeCredential(deps, admin, byDays.get(7)!, 'Course record withdrawn');
    const renewedRecord = await deps.store.credentials.get(byDays.get(8)!);
    await issueCredential(deps, admin, {
      learnerId: renewedRecord!.learnerId,
      achievementId: achievement.id,
      source: 'renewal-2026',
      validFrom: '2026-05-20',
      validUntil: '2028-05-20',
    });

    // Act
    const summary = await runAt(today);

    // Assess
    expect(summary.sent).toBe(0);
    expect(summary.skipped).toBe(2);
    expect((await deps.store.credentials.get(byDays.get(8)!))?.supersededBy).toBeDefined();
  });

  it('speaks SES v2 and EventBridge correctly through the real adapters', async () => {
    // Prepare
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const { byDays } = await seed(deps, [30]);

    // Act
    await runAt(today, {
      mailer: sesMailer(new SESv2Client({ region: 'us-east-1' }), 'credentials@district.example.org'),
      events: eventBridgeEvents(new EventBridgeClient({ region: 'us-east-1' })),
    });

    // Assess
    const mail = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(mail?.FromEmailAddress).toBe('credentials@district.example.org');
    expect(mail?.Destination?.ToAddresses).toEqual(['teacher30@district.example.org']);
    expect(mail?.Content?.Simple?.Body?.Text?.Data).toContain('CPR and First Aid');
    expect(mail?.Content?.Simple?.Body?.Text?.Data).toContain('/achievements/');
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({ EventBusName: 'default', Source: 'merit', DetailType: 'credential.expiring' });
    const detail = JSON.parse(entry?.Detail ?? '{}') as Record<string, unknown>;
    expect(detail).toMatchObject({ credentialId: byDays.get(30), daysLeft: 30, thresholdDays: 30 });
    // No PII beyond the learner id in the event
    expect(JSON.stringify(detail)).not.toMatch(/Mei|Chen|teacher30/);
    ses.restore();
    eventBridge.restore();
  });
});
