import type { Dependencies } from '#config/dependencies';
import type { CredentialRecord } from '#domain/records';

// ---------------------------------------------------------------------------------------------------------------
// What a learner holds: valid, issued, non-revoked credentials, by achievement.

export interface Holding {
  /** Our record id (what `/credentials/{id}` takes). */
  credentialId: string;
  /** The signed credential's own `id` (`urn:uuid:…`). */
  credentialUri: string;
  achievementName?: string;
}

const isValidAt = (record: Pick<CredentialRecord, 'state' | 'validFrom' | 'validUntil'>, now: string): boolean =>
  record.state === 'issued' && record.validFrom <= now && (!record.validUntil || record.validUntil > now);

const holdingOf = (record: CredentialRecord): Holding => {
  const achievement = (record.credential?.['credentialSubject'] as { achievement?: { name?: unknown } } | undefined)?.achievement;
  return {
    credentialId: record.id,
    credentialUri: typeof record.credential?.['id'] === 'string' ? record.credential['id'] : `urn:uuid:${record.id}`,
    ...(typeof achievement?.name === 'string' ? { achievementName: achievement.name } : {}),
  };
};

/**
 * The learner's valid credentials by achievement (the latest one when there are several). Reads the by-learner
 * index and, to see a concurrent issuance the (eventually consistent) index may not show yet, the learner's
 * recorded pathway steps, which are read strongly consistent.
 */
export const holdingsOf = async (deps: Dependencies, learnerId: string): Promise<Map<string, Holding>> => {
  const now = deps.clock.now().toISOString();
  const records = new Map<string, CredentialRecord>();
  let cursor: string | undefined;
  do {
    const page = await deps.store.credentials.listByLearner(learnerId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const record of page.items) records.set(record.id, record);
    cursor = page.nextCursor;
  } while (cursor);
  for (const step of await deps.store.pathways.listSteps(learnerId)) {
    if (records.has(step.credentialId)) continue;
    const record = await deps.store.credentials.get(step.credentialId);
    // A step is recorded only once its credential was stored as issued; a read that lags still counts it.
    if (record) records.set(record.id, record);
    else
      records.set(step.credentialId, {
        id: step.credentialId,
        achievementId: step.achievementId,
        state: 'issued',
        validFrom: step.at,
        issuedAt: step.at,
      } as CredentialRecord);
  }
  const holdings = new Map<string, Holding>();
  const inIssueOrder = [...records.values()].sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
  for (const record of inIssueOrder) if (isValidAt(record, now)) holdings.set(record.achievementId, holdingOf(record));
  return holdings;
};

export const credentialIds = (holdings: ReadonlyMap<string, Holding>): Map<string, string> =>
  new Map([...holdings].map(([achievementId, holding]) => [achievementId, holding.credentialId]));
