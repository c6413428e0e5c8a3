import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '#domain/access';
import { addDays } from '#domain/dates';
import { createAchievement } from '#features/achievements/manage';
import { recordConsent } from '#features/consent/record-consent';
import { issueCredential } from '#features/credentials/issue';
import { revokeCredential } from '#features/credentials/revoke';
import { deleteLearner } from '#features/deletion/delete-learner';
import { runRetention } from '#features/deletion/retention';
import { runExpiryAlerts } from '#features/expiry/expiry-alerts';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner, getLearner } from '#features/learners/learners';
import { createShare } from '#features/sharing/create-link';
import { openShare } from '#features/sharing/open-link';
import { fixedClock, steppingClock } from '#ports/clock';
import { connectedDependencies } from '#test/connected';

const admin: Principal = { subject: 'admin-logs', role: 'admin', schoolIds: [], learnerIds: [] };

/** What a learner's records hold that must never reach a log line. */
const pii = [
  'Valentina',
  'Okonkwo-Ibáñez',
  'valentina.oi@students.example.org',
  'PII-778899',
  '2016-04-02',
  'guardian.oi@families.example.org',
];

describe('logs carry no PII', () => {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };

  beforeEach(() => {
    lines.length = 0;
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => vi.restoreAllMocks());

  it('through issue, consent, share, view, revoke, alerts, failures, deletion and retention', async () => {
    // Prepare
    const deps = await connectedDependencies({
      clock: steppingClock('2026-03-01T08:00:00Z'),
      adminDigestEmails: ['admins@district.example.org'],
    });
    const issuer = await createIssuer(deps, { name: 'Lincoln Elementary', schoolId: 'lincoln' });
    const achievement = await createAchievement(deps, admin, {
      issuerId: issuer.id,
      name: 'Kindness Champion',
      description: 'd',
      criteria: { narrative: 'n' },
      validForDays: 20,
    });
    const learner = await createLearner(deps, admin, {
      sourcedId: 'PII-778899',
      schoolId: 'lincoln',
      givenName: 'Valentina',
      familyName: 'Okonkwo-Ibáñez',
      email: 'valentina.oi@students.example.org',
      birthDate: '2016-04-02',
      guardianEmail: 'guardian.oi@families.example.org',
      role: 'student',
    });

    // Act: the main flows, including ones that fail and log
    const pending = await issueCredential(deps, admin, { learnerId: learner.id, achievementId: achievement.id, source: 'api' });
    await recordConsent(deps, admin, learner.id, { granted: true, by: 'Guardian of Valentina Okonkwo-Ibáñez', method: 'form' });
    await getLearner(deps, admin, learner.id);
    const link = await createShare(deps, admin, pending.id, { expiresInDays: 10 });
    await openShare(deps, link.token);
    await runExpiryAlerts({
      ...deps,
      clock: fixedClock(addDays(new Date('2026-03-01T08:00:00Z'), 5)),
      mailer: {
        send: async () => {
          throw new Error('SES refused valentina.oi@students.example.org');
        },
      },
    });
    await runExpiryAlerts({ ...deps, clock: fixedClock(addDays(new Date('2026-03-01T08:00:00Z'), 6)) });
    await revokeCredential(deps, admin, pending.id, 'Issued by mistake');
    await deleteLearner(deps, admin, learner.id);
    await runRetention({ ...deps, clock: fixedClock('2035-01-01T00:00:00Z') });

    // Assess
    vi.restoreAllMocks();
    const output = lines.join('');
    expect(output.length).toBeGreaterThan(0);
    for (const secret of pii) expect(output, `a log line contains ${secret}`).not.toContain(secret);
  });
});
