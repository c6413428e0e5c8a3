/**
 * alerts: the daily expiry-alerts job over a big table and a small one with the same 1 % of credentials inside the
 * 90-day window. Credential items are written straight into DynamoDB Local shaped exactly as the credentials adapter
 * writes them (keys, gsi1 and gsi2 expiry-index keys, the signed credential, and once the public documents it refers
 * to); the in-window credentials' learners and the achievement are created through the store. Read and write units
 * come from the consumed-capacity middleware.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { ensureTable } from '#adapters/dynamodb/create-table';
import { credentialItems } from '#adapters/dynamodb/credentials';
import { createDynamoStore } from '#adapters/dynamodb/store';
import { sendUntilProcessed } from '#adapters/dynamodb/table';
import { LocalSigner } from '#adapters/signing/local-signer';
import type { Dependencies } from '#config/dependencies';
import { createLogger } from '#config/logger';
import type { Achievement } from '#domain/achievements';
import { buildCredential } from '#domain/credential/build';
import { defaultAlertThresholds } from '#domain/expiry-alert-due';
import type { Learner } from '#domain/learners';
import { signCredential } from '#domain/proof/sign';
import type { CredentialRecord } from '#domain/records';
import { runExpiryAlerts } from '#features/expiry/expiry-alerts';
import { startDynamoLocal } from '#local/dynamodb-local';
import { fixedClock } from '#ports/clock';
import type { DomainEvent } from '#ports/events';
import type { Mail } from '#ports/mailer';
import { baseUrl, fullCredentialInput } from '../../test/fixtures/ob3/credential-input';
import { CapacityMeter } from '../lib/capacity';
import { fmt, fmtInt, type Section, verdict } from '../lib/report';

export interface AlertsOptions {
  /** Credential counts of the tables, largest first. */
  tables: number[];
  inWindowShare: number;
}

const now = new Date('2026-06-01T06:00:00Z');
const day = 86_400_000;
const issuerId = 'lincoln-high';

const batchWriteAll = async (
  client: DynamoDBDocumentClient,
  table: string,
  items: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  concurrency = 8,
) => {
  const inFlight = new Set<Promise<void>>();
  const write = (batch: Record<string, unknown>[]) =>
    sendUntilProcessed(
      batch.map((Item) => ({ PutRequest: { Item } })),
      async (pending) =>
        ((await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }))).UnprocessedItems?.[table] ??
          []) as typeof pending,
    );
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    const sending = write(batch).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    batch = [];
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };
  for await (const item of items) {
    batch.push(item);
    if (batch.length === 25) await flush();
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
};

export const runAlerts = async (options: AlertsOptions): Promise<Section> => {
  const section: Section = {
    name: 'alerts',
    title: 'alerts — expiry-alerts job: read cost vs credentials in the window, not the table',
    status: 'ran',
    rows: [],
    notes: [],
    details: {},
  };
  const dynamo = await startDynamoLocal();
  try {
    // One realistic signed credential body, reused (with its own id) for every item: real item sizes, real RCUs.
    const signer = LocalSigner.generate();
    const unsigned = buildCredential(fullCredentialInput(issuerId));
    const signed = (await signCredential(unsigned, signer, { issuerDid: unsigned.issuer.id })) as unknown as Record<string, unknown>;
    const results: Array<{
      total: number;
      inWindow: number;
      seedSeconds: number;
      jobSeconds: number;
      readUnits: number;
      writeUnits: number;
      reads: number;
      summary: unknown;
      mails: number;
      events: number;
    }> = [];

    for (const [t, total] of options.tables.entries()) {
      const meter = new CapacityMeter();
      const client = meter.instrument(createDynamoClient({ region: 'local', endpoint: dynamo.endpoint }));
      const tableName = `merit-bench-alerts-${t}`;
      await ensureTable(client, tableName);
      const documentClient = toDocumentClient(client);
      const store = createDynamoStore(documentClient, tableName);

      // Seed: the achievement and the in-window learners through the store, every credential item by BatchWrite.
      const seedStarted = performance.now();
      const achievement: Achievement = {
        id: 'ach-cs-python-1',
        issuerId,
        code: 'CS-PYTHON-1',
        name: 'Python Programming I',
        description: 'Writes and tests small Python programs.',
        criteria: { narrative: 'Completes the unit project.' },
        createdAt: '2025-01-01T00:00:00Z',
        updatedAt: '2025-01-01T00:00:00Z',
      } as Achievement;
      await store.achievements.create(achievement);
      const inWindow = Math.round(total * options.inWindowShare);
      const learnerIds: string[] = [];
      const makeLearner = async (i: number) => {
        const learner: Learner = {
          id: randomUUID(),
          sourcedId: `A${t}-${i}`,
          givenName: 'Student',
          familyName: `Number${i}`,
          email: `student${i}@students.district.example`,
          role: 'student',
          lastActivityAt: '2025-06-01T00:00:00Z',
          retentionDueOn: '2030-06-01',
          createdAt: '2025-06-01T00:00:00Z',
          updatedAt: '2025-06-01T00:00:00Z',
        };
        await store.learners.create(learner);
        learnerIds[i] = learner.id;
      };
      for (let i = 0; i < inWindow; i += 8)
        await Promise.all(Array.from({ length: Math.min(8, inWindow - i) }, (_, k) => makeLearner(i + k)));
      // In the window: spread over the 90 days ahead. Outside: spread over ten years either side, never within 95 days.
      const validUntilOf = (i: number): string => {
        if (i < inWindow) return new Date(now.getTime() + (1 + (i * 89) / Math.max(1, inWindow)) * day).toISOString();
        const spread = ((i * 7919) % 3650) * day;
        const after = i % 2 === 0;
        return new Date(after ? now.getTime() + 95 * day + spread : now.getTime() - day - spread).toISOString();
      };
      function* items() {
        const documentsWritten = new Set<string>();
        for (let i = 0; i < total; i++) {
          const id = randomUUID();
          const validUntil = validUntilOf(i);
          const record: CredentialRecord = {
            id,
            learnerId: i < inWindow ? learnerIds[i]! : randomUUID(),
            achievementId: achievement.id,
            issuerId,
            state: 'issued',
            credential: { ...signed, id: `${baseUrl}/credentials/${id}`, validUntil },
            statusListId: 'list-1',
            statusListIndex: i,
            issuedAt: '2025-01-15T00:00:00Z',
            validFrom: '2025-01-15T00:00:00Z',
            validUntil,
          };
          // The public documents (issuer profile, achievement) it refers to: the same for every item, written once.
          const { item, documents } = credentialItems(record);
          for (const document of documents) {
            if (!documentsWritten.has(document.pk)) {
              documentsWritten.add(document.pk);
              yield document;
            }
          }
          yield item as Record<string, unknown>;
        }
      }
      await batchWriteAll(documentClient, tableName, items());
      const seedSeconds = (performance.now() - seedStarted) / 1000;

      // Act: the job at a fixed instant, recording mailer and events.
      const mails: Mail[] = [];
      const events: DomainEvent[] = [];
      const deps = {
        store,
        clock: fixedClock(now),
        logger: createLogger('merit-bench'),
        publicBaseUrl: async () => baseUrl,
        mailer: { send: async (mail: Mail) => void mails.push(mail) },
        events: { publish: async (published: DomainEvent[]) => void events.push(...published) },
        district: {
          name: 'Bench District',
          alertThresholds: defaultAlertThresholds,
          adminDigestEmails: ['admins@district.example'],
          identifierPepper: async () => 'bench',
          retentionYears: 5,
          consentPolicy: 'under13',
        },
      } as unknown as Dependencies;
      meter.reset();
      const jobStarted = performance.now();
      const summary = await runExpiryAlerts(deps);
      const jobSeconds = (performance.now() - jobStarted) / 1000;
      const totals = meter.totals();
      results.push({
        total,
        inWindow,
        seedSeconds,
        jobSeconds,
        readUnits: totals.readUnits,
        writeUnits: totals.writeUnits,
        reads: (meter.byCommand.get('QueryCommand')?.calls ?? 0) + (meter.byCommand.get('GetItemCommand')?.calls ?? 0),
        summary,
        mails: mails.length,
        events: events.length,
      });
      if (summary.considered !== inWindow || summary.sent !== inWindow)
        section.notes.push(
          `Table of ${fmtInt(total)}: the job considered ${summary.considered} and sent ${summary.sent} of the ${inWindow} in-window credentials.`,
        );
      if (totals.unreported > 0) section.notes.push(`${totals.unreported} calls came back without ConsumedCapacity.`);
      documentClient.destroy();
    }

    for (const result of results) {
      const perCredential = result.readUnits / Math.max(1, result.inWindow);
      section.rows.push(
        {
          metric: `table of ${fmtInt(result.total)}: in window`,
          value: `${fmtInt(result.inWindow)} credentials (seeded in ${fmt(result.seedSeconds)} s)`,
          raw: result.inWindow,
          verdict: 'no budget',
        },
        {
          metric: '  job time',
          value: `${fmt(result.jobSeconds, 2)} s · ${fmtInt(result.mails)} mails, ${fmtInt(result.events)} events`,
          raw: result.jobSeconds,
          verdict: 'no budget',
        },
        {
          metric: '  read units: total · per in-window credential',
          value: `${fmt(result.readUnits, 1)} RCU · ${fmt(perCredential, 2)} RCU (${fmtInt(result.reads)} reads; writes ${fmt(result.writeUnits, 0)} WCU)`,
          raw: perCredential,
          verdict: 'no budget',
        },
      );
    }
    if (results.length >= 2) {
      const [big, small] = [results[0]!, results[1]!];
      const perBig = big.readUnits / Math.max(1, big.inWindow);
      const perSmall = small.readUnits / Math.max(1, small.inWindow);
      const ratioPer = perBig / perSmall;
      const ratioTotal = big.readUnits / Math.max(1e-9, small.readUnits);
      const ratioTable = big.total / small.total;
      const ratioWindow = big.inWindow / Math.max(1, small.inWindow);
      section.rows.push({
        metric: 'RCU per in-window credential, big / small table',
        value: `${fmt(ratioPer, 2)}× (total RCU ${fmt(ratioTotal, 1)}× for ${fmt(ratioWindow, 0)}× the window and ${fmt(ratioTable, 0)}× the table)`,
        raw: ratioPer,
        budget: '≈ 1× (0.8–1.25×)',
        verdict: verdict(ratioPer >= 0.8 && ratioPer <= 1.25),
      });
    }
    section.notes.push(
      `Clock fixed at ${now.toISOString()}; thresholds ${defaultAlertThresholds.join('/')} days; ${options.inWindowShare * 100} % of credentials expire within 90 days, the rest over ten years either side (outside the window by ≥ 5 days). Every in-window credential gets its alert (first run).`,
      'Read units include the gsi2 month-partition queries and the learner + achievement GetItems per alert; write units are the alert claims and marks.',
      'DynamoDB Local in memory; units as it reports them with ReturnConsumedCapacity=TOTAL.',
    );
    section.details = { results };
  } finally {
    await dynamo.stop();
  }
  return section;
};
