import { z } from 'zod';
import type { Dependencies } from '#config/dependencies';
import { addDays } from '#domain/dates';
import { type DigestLine, expiryDigestMail, expiryNoticeMail } from '#domain/emails';
import { daysLeft, dueThreshold } from '#domain/expiry-alert-due';
import { achievementUrl } from '#domain/profiles';
import type { CredentialRecord } from '#domain/records';
import { renewalOf } from '#features/credentials/renewal';
import type { PartOptions, PartResult, ScheduledJob } from '#features/scheduled/scheduled-runs';
import type { ExpiryPosition } from '#ports/store';

export type ExpiryAlertsSummary = {
  /** Credentials read from the expiry index (the window only). */
  considered: number;
  sent: number;
  alreadySent: number;
  /** Revoked, pending or renewed credentials: no alert. */
  skipped: number;
  failed: number;
};

/** A run that dies after claiming leaves its claims to expire; the next daily run (or a retry) takes them. */
const claimLeaseSeconds = 15 * 60;

/**
 * The daily expiry-alerts job (DESIGN §6): credentials entering a threshold get one e-mail to the holder and one
 * `credential.expiring` event; admins get a digest. Each (credential, threshold) goes out once, also when the job
 * reruns or failed halfway: an alert is claimed before sending, released if sending fails, marked once sent.
 *
 * Works in parts when a budget is given: it stops after the credential in hand once the budget is spent, and says
 * where (`continueAfter`), so a next part carries on after it as of the same instant (scheduled-runs.ts). Each part
 * sends the admins the digest of its own alerts.
 */
export const runExpiryAlerts = async (
  deps: Dependencies,
  options: PartOptions<ExpiryPosition> = {},
): Promise<PartResult<ExpiryAlertsSummary, ExpiryPosition>> => {
  const now = options.now ?? deps.clock.now();
  const { alertThresholds, adminDigestEmails, name: districtName } = deps.district;
  // One day past the largest threshold: the window is read by instant, the thresholds count whole days.
  const horizon = addDays(now, Math.max(...alertThresholds) + 1).toISOString();
  const baseUrl = await deps.publicBaseUrl();
  const summary: ExpiryAlertsSummary = { considered: 0, sent: 0, alreadySent: 0, skipped: 0, failed: 0 };
  const digest: DigestLine[] = [];

  const alert = async (record: CredentialRecord & { validUntil: string }, left: number, threshold: number) => {
    const [learner, achievement] = await Promise.all([
      deps.store.learners.get(record.learnerId),
      deps.store.achievements.get(record.achievementId),
    ]);
    if (!learner || !achievement) return false;
    if (learner.email) {
      await deps.mailer.send(
        expiryNoticeMail({
          to: learner.email,
          givenName: learner.givenName,
          achievementName: achievement.name,
          criteriaUrl: achievementUrl(baseUrl, achievement.id),
          validUntil: record.validUntil,
          daysLeft: left,
          isStaff: learner.role === 'staff',
          districtName,
        }),
      );
    }
    await deps.events.publish([
      {
        detailType: 'credential.expiring',
        detail: {
          credentialId: record.id,
          achievementId: achievement.id,
          learnerId: learner.id,
          daysLeft: left,
          thresholdDays: threshold,
          validUntil: record.validUntil,
        },
      },
    ]);
    digest.push({
      credentialId: record.id,
      sourcedId: learner.sourcedId,
      achievementName: achievement.name,
      validUntil: record.validUntil,
      daysLeft: left,
    });
    return true;
  };

  const handle = async (record: CredentialRecord) => {
    summary.considered++;
    if (record.state !== 'issued' || record.supersededBy || !record.validUntil) {
      summary.skipped++;
      return;
    }
    const left = daysLeft(record.validUntil, now);
    const threshold = dueThreshold(left, alertThresholds);
    if (threshold === undefined) return;
    const renewal = await renewalOf(deps, record);
    if (renewal) {
      await deps.store.credentials.markSuperseded(record.id, renewal.id);
      summary.skipped++;
      return;
    }
    if (!(await deps.store.alerts.claim(record.id, threshold, now, claimLeaseSeconds))) {
      summary.alreadySent++;
      return;
    }
    try {
      if (await alert({ ...record, validUntil: record.validUntil }, left, threshold)) {
        await deps.store.alerts.markSent(record.id, threshold, now);
        summary.sent++;
      } else {
        await deps.store.alerts.release(record.id, threshold);
        summary.skipped++;
      }
    } catch (error) {
      await deps.store.alerts.release(record.id, threshold);
      summary.failed++;
      deps.logger.error('Expiry alert failed; it will be retried on the next run', {
        credentialId: record.id,
        thresholdDays: threshold,
        errorName: (error as Error).name,
      });
    }
  };

  let continueAfter: ExpiryPosition | undefined;
  for await (const record of deps.store.credentials.listExpiring(now.toISOString(), horizon, options.after)) {
    await handle(record);
    if (options.budget?.exhausted() && record.validUntil) {
      continueAfter = { validUntil: record.validUntil, credentialId: record.id };
      break;
    }
  }

  if (digest.length > 0) {
    for (const admin of adminDigestEmails) await deps.mailer.send(expiryDigestMail(admin, districtName, digest));
  }
  deps.logger.info('Expiry alerts run', { ...summary, continued: continueAfter !== undefined });
  return continueAfter ? { ...summary, continueAfter } : summary;
};

/** The expiry-alerts job in parts; a minute is kept back for the alert in hand and the digest. */
export const expiryAlertsJob: ScheduledJob<ExpiryAlertsSummary, ExpiryPosition> = {
  name: 'expiry-alerts',
  marginMs: 60_000,
  position: z.object({ validUntil: z.iso.datetime({ offset: true }), credentialId: z.string().min(1).max(128) }).strict(),
  run: runExpiryAlerts,
};
