import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BulkJob } from '#domain/bulk-jobs';
import { startBulkJob } from '#features/bulk/start';
import { learnerBySourcedId } from '#features/learners/learners';
import { seedDemoDistrict } from '#local/seed';
import type { Signer } from '#ports/signer';
import type { Store } from '#ports/store';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';

const samples = join(import.meta.dirname, '..', 'fixtures', 'samples');

interface ReportLine {
  line: string;
  status: string;
  reason: string;
  credential_id: string;
}

/** Puts a file in the drop bucket and runs the pipeline to the end, as the S3 notification would. */
const drop = async (deps: ConnectedDependencies, key: string, body: Uint8Array | string) => {
  await deps.blobs.put('drops', key, body, 'text/csv');
  const stored = await deps.blobs.get('drops', key);
  await startBulkJob(deps, { key, etag: stored?.etag ?? '' });
  await deps.bulkQueue.drained();
  const jobs = await deps.store.bulkJobs.listRecent({ limit: 100 });
  const job = jobs.items.find((item) => item.sourceKey === key) as BulkJob;
  const report = job.reportKey ? await deps.blobs.get('reports', job.reportKey) : undefined;
  const text = report ? new TextDecoder().decode(report.body) : '';
  const lines = text ? (parse(text, { columns: true }) as ReportLine[]) : [];
  return { job, text, lines };
};

const countCredentials = async (deps: ConnectedDependencies, sourcedIds: string[]) => {
  let total = 0;
  for (const sourcedId of sourcedIds) {
    const learner = await learnerBySourcedId(deps, sourcedId);
    if (learner) total += (await deps.store.credentials.listByLearner(learner.id, { limit: 100 })).items.length;
  }
  return total;
};

/** `count` rows of new learners (13 or older: no consent needed), all for CS-PYTHON-1 issued on one day. */
const rowsCsv = (count: number, prefix: string) =>
  [
    'student_id,first_name,last_name,achievement,issued_on,birth_date',
    ...Array.from({ length: count }, (_, i) => `${prefix}${i},Student,Number${i},CS-PYTHON-1,2026-05-01,2009-04-04`),
  ].join('\r\n');

describe('bulk issuance from SIS drops, against DynamoDB Local and s3rver', () => {
  let deps: ConnectedDependencies;

  beforeAll(async () => {
    deps = await connectedDependencies({ clock: '2026-06-01T12:00:00Z' });
    await seedDemoDistrict(deps);
  });

  it('issues a PowerSchool export (UTF-8 with BOM, US dates) with the right outcome for every row', async () => {
    // Act
    const { job, lines } = await drop(deps, 'drops/powerschool-students.csv', readFileSync(join(samples, 'powerschool-students.csv')));

    // Assess
    expect(job.status).toBe('completed');
    expect(job.total).toBe(lines.length);
    expect(job.issued + job.duplicates + job.pendingConsent + job.errors).toBe(job.total);
    expect(lines.every((line) => ['issued', 'duplicate', 'pending_consent', 'error'].includes(line.status))).toBe(true);
    const jose = lines.find((line) => line.line === '2'); // 100200, José Núñez
    expect(jose?.status).toBe('issued');
    const learner = await learnerBySourcedId(deps, '100200');
    expect(`${learner?.givenName} ${learner?.familyName}`).toBe('José Núñez');
    // Born 2017: under 13 and no consent column → waits for consent
    expect(lines.find((line) => line.line === '3')?.status).toBe('pending_consent'); // 100201
    // Columns Merit does not use are never stored
    expect(JSON.stringify(learner)).not.toMatch(/Grade|Home_Room|LastFirst|"7C"/);
  });

  it('issues an Infinite Campus export (Windows-1252, semicolons) and honours consent on file', async () => {
    // Act
    const { job, lines } = await drop(
      deps,
      'drops/infinite-campus-students.csv',
      readFileSync(join(samples, 'infinite-campus-students.csv')),
    );

    // Assess
    expect(job.status).toBe('completed');
    const learner = await learnerBySourcedId(deps, 'IC5500');
    expect(`${learner?.givenName} ${learner?.familyName}`).toBe('José Núñez');
    const consented = lines.filter((line) => line.status === 'issued' || line.status === 'pending_consent');
    expect(consented.length).toBeGreaterThan(0);
    expect(lines.find((line) => line.line === '3')?.status).toBe('pending_consent'); // IC5501: born 2016, consent N
  });

  it('issues a tab-separated HR export of teachers’ PD credits', async () => {
    // Act
    const { job, lines } = await drop(deps, 'drops/teacher-pd.tsv.csv', readFileSync(join(samples, 'teacher-pd.tsv.csv')));

    // Assess
    expect(job.status).toBe('completed');
    expect(lines.filter((line) => line.status === 'issued').length).toBe(job.issued);
    const teacher = await learnerBySourcedId(deps, 'T900');
    expect(teacher?.role).toBe('staff');
    const [credential] = (await deps.store.credentials.listByLearner(teacher!.id, { limit: 10 })).items;
    expect(credential?.creditsEarned).toBe(6);
    expect(credential?.validUntil?.slice(0, 10)).toBe('2028-03-02');
  });

  it('reports each messy row for what it is, by line, without copying its cells into the report', async () => {
    // Prepare
    const csv = [
      'Student_Number;First_Name;Last_Name;Achievement;Narrative;DOB',
      'M1;Ana;Lima;MATH-FLUENCY-3;"Line one',
      'line two";2010-01-01',
      'M1;Ana;Lima;MATH-FLUENCY-3;again;2010-01-01',
      'M2;Bo;Chen;NO-SUCH-BADGE;;2010-01-01',
      'M3;;;READING-LEVEL-J;;2010-01-01',
      'M4;Cy;Dee;KINDNESS-1;;2019-05-05',
      '=HYPERLINK("http://evil.example","x");Eve;Fox;KINDNESS-1;;2010-01-01',
      'M6;Gil;Ho;KINDNESS-1;;31/31/2010',
    ].join('\n');

    // Act
    const { job, lines, text } = await drop(deps, 'drops/messy.csv', csv);

    // Assess
    const atLine = (line: number) => lines.find((outcome) => outcome.line === String(line));
    expect(job.status).toBe('completed');
    expect(lines.map((outcome) => outcome.line)).toEqual(['2', '4', '5', '6', '7', '8', '9']); // M1's record spans lines 2-3
    expect([atLine(2)?.status, atLine(4)?.status]).toEqual(['issued', 'duplicate']); // M1
    expect(atLine(5)).toMatchObject({ status: 'error', reason: expect.stringContaining('unknown achievement') }); // M2
    expect(atLine(5)?.reason).not.toContain('NO-SUCH-BADGE');
    expect(atLine(6)).toMatchObject({ status: 'error', reason: expect.stringContaining('first_name and last_name') }); // M3
    expect(atLine(7)?.status).toBe('pending_consent'); // M4
    expect(atLine(9)?.status).toBe('error'); // M6
    // The report names lines, never the file's cells: a formula smuggled in as a student id never reaches it
    expect(text).not.toContain('HYPERLINK');
    expect(text).not.toMatch(/\bM[1-6]\b|Ana|Lima/);
    expect(job.total).toBe(7);
  });

  it('issues every row of a student who appears on several lines, registering them once from the line that names them', async () => {
    // Prepare: one new student on four lines (the first without names, one line repeated), a child whose consent
    // is on file on one of two lines, and invalid lines in between (they travel in the same chunk)
    const csv = [
      'student_id,first_name,last_name,achievement,issued_on,birth_date,consent',
      'P1,,,CS-PYTHON-1,2026-05-01,2009-04-04,',
      'P1,Pia,Moss,PUBLIC-SPEAKING-1,2026-05-01,2009-04-04,',
      'P1,Pia,Moss,CS-PYTHON-1,2026-05-01,2009-04-04,',
      'P1,Pia,Moss,OSHA-10-CONSTRUCTION,2026-05-01,2009-04-04,',
      'P2,Kit,Lowe,KINDNESS-1,2026-05-01,2018-03-03,',
      'P2,Kit,Lowe,MATH-FLUENCY-3,2026-05-01,2018-03-03,Y',
      'P3,Ned,Ray,KINDNESS-1,2026-13-45,,',
    ].join('\n');

    // Act
    const { job, lines } = await drop(deps, 'drops/several-lines.csv', csv);

    // Assess
    expect(job).toMatchObject({ status: 'completed', total: 7, issued: 5, duplicates: 1, errors: 1 });
    expect(lines.map((line) => [line.line, line.status])).toEqual([
      ['2', 'issued'], // P1
      ['3', 'issued'], // P1
      ['4', 'duplicate'], // P1
      ['5', 'issued'], // P1
      ['6', 'issued'], // P2
      ['7', 'issued'], // P2
      ['8', 'error'], // P3
    ]);
    expect(lines[2]?.credential_id).toBe(lines[0]?.credential_id);
    const pia = await learnerBySourcedId(deps, 'P1');
    expect(pia).toMatchObject({ givenName: 'Pia', familyName: 'Moss' });
    expect((await deps.store.credentials.listByLearner(pia!.id, { limit: 10 })).items).toHaveLength(3);
    const registrations = (await deps.store.audit.list(pia!.id, { limit: 100 })).items.filter((entry) => entry.action === 'learner.create');
    expect(registrations).toHaveLength(1);
    expect((await learnerBySourcedId(deps, 'P2'))?.consent).toMatchObject({ granted: true, method: 'SIS export' });
  });

  it.each([
    ['a file that is not CSV at all', readFileSync(join(samples, 'not-a-csv.png')), /not.*CSV|text/i],
    ['an empty file', '', /empty/i],
    ['a file without the required columns', 'name,grade\nAna,3\n', /student_id|achievement/i],
  ])('fails the whole job for %s, with a clear error and nothing issued', async (name, body, message) => {
    // Act
    const { job, lines } = await drop(deps, `drops/${name.replace(/\W+/g, '-')}.csv`, body);

    // Assess
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(message);
    expect(job.issued).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.status).toBe('error');
  });

  it('keeps nothing personal from a drop: the drop is deleted once reported, the report and the stored outcomes name lines only', async () => {
    // Prepare
    const key = 'drops/leftovers.csv';
    const csv = [
      'student_id,first_name,last_name,email,birth_date,achievement,issued_on',
      'LEFT-7001,Quentin,Oyelaran,quentin.oyelaran@students.example.org,2009-04-05,CS-PYTHON-1,2026-05-01',
      'LEFT-7002,Rosalind,Petrakis,not-an-address,2009-04-06,CS-PYTHON-1,2026-05-01',
      'LEFT-7003,Sven,Quimby,sven.quimby@students.example.org,2009-04-07,NO-SUCH-CODE,2026-05-01',
    ].join('\n');

    // Act
    const { job, text, lines } = await drop(deps, key, csv);
    const stored: unknown[] = [];
    for await (const outcome of deps.store.bulkJobs.rows(job.id)) stored.push(outcome);

    // Assess
    expect(job).toMatchObject({ status: 'completed', total: 3, issued: 1, errors: 2 });
    expect(lines.map((line) => [line.line, line.status])).toEqual([
      ['2', 'issued'],
      ['3', 'error'],
      ['4', 'error'],
    ]);
    expect(await deps.blobs.get('drops', key)).toBeUndefined();
    const personal = /LEFT-700|Quentin|Oyelaran|Rosalind|Petrakis|Sven|Quimby|@students|not-an-address|2009-04|NO-SUCH-CODE/;
    expect(text).not.toMatch(personal);
    expect(JSON.stringify(stored)).not.toMatch(personal);
    expect(stored).toEqual([
      { line: 2, status: 'issued', credentialId: lines[0]!.credential_id },
      { line: 3, status: 'error', reason: expect.any(String) },
      { line: 4, status: 'error', reason: expect.any(String) },
    ]);
  });

  it('deletes a drop that fails as a whole once its report is written', async () => {
    // Act
    const { job } = await drop(deps, 'drops/no-header-leftover.csv', 'Ana,Lima,ana@x.example.org\nBo,Chen,bo@x.example.org\n');

    // Assess: and the first student's row is not copied into the job's error or its report
    expect(job.status).toBe('failed');
    expect(job.error).not.toMatch(/Ana|Lima|ana@x/);
    expect(new TextDecoder().decode((await deps.blobs.get('reports', job.reportKey!))!.body)).not.toMatch(/Ana|Lima|ana@x/);
    expect(await deps.blobs.get('drops', 'drops/no-header-leftover.csv')).toBeUndefined();
  });

  it('keeps one report per job when the same key is dropped twice, and knows a deleted drop again by key and ETag', async () => {
    // Prepare
    const key = 'drops/weekly.csv';
    const first = await drop(deps, key, rowsCsv(2, 'WK-A'));

    // Act: a later export under the same key, then the first object's event delivered again
    const second = await drop(deps, key, rowsCsv(3, 'WK-B'));
    const redelivered = await startBulkJob(deps, { key, etag: first.job.etag });

    // Assess
    expect(first.job.id).not.toBe(second.job.id);
    expect(first.job.reportKey).toBe(`reports/weekly.csv.${first.job.id}.results.csv`);
    expect(second.job.reportKey).toBe(`reports/weekly.csv.${second.job.id}.results.csv`);
    expect(first.lines).toHaveLength(2);
    expect(second.lines).toHaveLength(3);
    const firstReport = await deps.blobs.get('reports', first.job.reportKey!);
    expect(new TextDecoder().decode(firstReport!.body)).toBe(first.text);
    expect(redelivered).toMatchObject({ id: first.job.id, status: 'completed', issued: 2 });
    expect(await countCredentials(deps, ['WK-A0', 'WK-A1'])).toBe(2);
  });

  it('fails only the row of a 1 MB value or a stray NUL byte, and issues the rest of the file', async () => {
    // Prepare
    const csv = [
      'student_id,first_name,last_name,achievement,issued_on,birth_date,narrative',
      'BIG-1,Ada,Byron,CS-PYTHON-1,2026-05-01,2008-01-15,fine',
      `BIG-2,Bea,Curie,CS-PYTHON-1,2026-05-01,2008-01-15,"${'a long essay, pasted\n'.repeat(50_000)}"`,
      'BIG-3,Cal,Dirac,CS-PYTHON-1,2026-05-01,2008-01-15,nul \u0000 inside',
      'BIG-4,Dee,Euler,CS-PYTHON-1,2026-05-01,2008-01-15,fine',
    ].join('\n');

    // Act
    const { job, lines } = await drop(deps, 'drops/big-and-nul.csv', csv);

    // Assess: the essay spans 50,000 lines, so BIG-3 starts on line 50,004
    expect(job).toMatchObject({ status: 'completed', total: 4, issued: 2, errors: 2 });
    expect(lines.map((line) => [line.line, line.status])).toEqual([
      ['2', 'issued'],
      ['3', 'error'],
      ['50004', 'error'],
      ['50005', 'issued'],
    ]);
    expect(lines[1]?.reason).toContain('longer than 64 KiB');
    expect(lines[2]?.reason).toContain('NUL byte');
    expect(await learnerBySourcedId(deps, 'BIG-2')).toBeUndefined();
    expect(await countCredentials(deps, ['BIG-1', 'BIG-4'])).toBe(2);
  });

  it('issues and reports the first 100,000 rows of a 100,001-row file, and ends the 100,001st with the over-limit error, issuing nothing for it', async () => {
    // Prepare: five rows to issue, 99,995 rows settled on reading (an impossible date: cheap, and each still needs its
    // own line in the report), then one more valid row — on line 100,002, the header being line 1
    const header = 'student_id,first_name,last_name,achievement,issued_on,birth_date';
    const issued = Array.from({ length: 5 }, (_, i) => `LIM-${i},Lim,Row${i},CS-PYTHON-1,2026-05-01,2008-01-15`);
    const settled = Array.from({ length: 99_995 }, (_, i) => `LIMX-${i},Lim,Bad${i},CS-PYTHON-1,2026-13-01,2008-01-15`);
    const csv = [header, ...issued, ...settled, 'LIM-OVER,Olga,Over,CS-PYTHON-1,2026-05-01,2008-01-15', ''].join('\n');

    // Act
    const { job, lines } = await drop(deps, 'drops/over-the-limit.csv', csv);

    // Assess
    expect(job).toMatchObject({ status: 'completed', total: 100_001, issued: 5, errors: 99_996 });
    expect(lines).toHaveLength(100_001);
    expect(lines.map((line) => Number(line.line))).toEqual(Array.from({ length: 100_001 }, (_, i) => i + 2));
    expect(lines.slice(0, 5).every((line) => line.status === 'issued')).toBe(true);
    expect(lines[99_999]).toMatchObject({ line: '100001', status: 'error', reason: expect.stringContaining('is not a real date') });
    expect(lines[100_000]).toEqual({ line: '100002', status: 'error', reason: 'over the 100,000-row limit', credential_id: '' });
    expect(await learnerBySourcedId(deps, 'LIM-OVER')).toBeUndefined();
    expect(await countCredentials(deps, ['LIM-0', 'LIM-1', 'LIM-2', 'LIM-3', 'LIM-4'])).toBe(5);
  }, 300_000);

  it('completes a header-only file with zero rows', async () => {
    const { job, lines } = await drop(deps, 'drops/header-only.csv', 'student_id,first_name,last_name,achievement\n');
    expect(job).toMatchObject({ status: 'completed', total: 0, issued: 0 });
    expect(lines).toHaveLength(0);
  });

  it('issues 1,000 rows exactly once through throttling and dying workers, and not again when the file is dropped twice', async () => {
    // Prepare: a signer that throttles every 7th call, a store that throttles every 3rd chunk record, and a
    // worker that dies after doing the work of every 5th batch but before acknowledging it.
    const flaky = await connectedDependencies({ clock: '2026-06-01T12:00:00Z' });
    await seedDemoDistrict(flaky);
    let signs = 0;
    const throttlingSigner: Signer = {
      keyId: flaky.signer.keyId,
      publicKey: () => flaky.signer.publicKey(),
      sign: async (message) => {
        if (++signs % 7 === 0) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        return flaky.signer.sign(message);
      },
    };
    let records = 0;
    const store: Store = {
      ...flaky.store,
      bulkJobs: {
        ...flaky.store.bulkJobs,
        recordLines: async (jobId, outcomes) => {
          if (++records % 3 === 0)
            throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
          return flaky.store.bulkJobs.recordLines(jobId, outcomes);
        },
      },
    };
    const faulty = { ...flaky, signer: throttlingSigner, store };
    const { InProcessQueue } = await import('#adapters/local/in-process-queue');
    const { processBulkBatch } = await import('#features/bulk/process-batch');
    let batches = 0;
    faulty.bulkQueue = new InProcessQueue({
      batchSize: 5,
      concurrency: 8,
      maxReceives: 20,
      retryDelayMs: 10,
      consume: async (batch) => {
        const result = await processBulkBatch(faulty, batch);
        if (++batches % 5 === 0) throw new Error('worker killed before acknowledging');
        return result;
      },
    });
    const csv = rowsCsv(1000, 'F');

    // Act
    const { job, lines } = await drop(faulty, 'drops/faulty.csv', csv);

    // Assess
    expect(signs).toBeGreaterThan(1000);
    expect(faulty.bulkQueue.deadLetters).toHaveLength(0);
    expect(job).toMatchObject({ status: 'completed', total: 1000, issued: 1000, errors: 0 });
    expect(lines).toHaveLength(1000);
    expect(new Set(lines.map((line) => line.line)).size).toBe(1000);
    expect(new Set(lines.map((line) => line.credential_id)).size).toBe(1000);
    expect(
      await countCredentials(
        flaky,
        Array.from({ length: 1000 }, (_, i) => `F${i}`),
      ),
    ).toBe(1000);

    // Act again: the same file dropped a second time (another key), and the same object delivered again
    const again = await drop(flaky, 'drops/faulty-again.csv', csv);
    const sameObject = await startBulkJob(flaky, { key: 'drops/faulty.csv', etag: job.etag });

    // Assess: nothing new
    expect(again.job).toMatchObject({ status: 'completed', total: 1000, duplicates: 1000, issued: 0 });
    expect(sameObject.id).toBe(job.id);
    expect(
      await countCredentials(
        flaky,
        Array.from({ length: 1000 }, (_, i) => `F${i}`),
      ),
    ).toBe(1000);
  }, 300_000);

  it('finishes a job whose worker died between recording a row and counting it', async () => {
    // Prepare: every 3rd job counter update (after a chunk's lines are recorded) fails, as if the worker died right
    // there (the lines are recorded, the chunk comes back).
    const deps = await connectedDependencies({ clock: '2026-06-01T12:00:00Z' });
    await seedDemoDistrict(deps);
    const { createDynamoClient, toDocumentClient } = await import('#adapters/dynamodb/client');
    const { createDynamoStore } = await import('#adapters/dynamodb/store');
    const { localEndpoints } = await import('#test/connected');
    const client = createDynamoClient({ region: 'local', endpoint: localEndpoints().dynamoEndpoint });
    let counts = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: unknown; UpdateExpression?: string };
        const countsUpdate = input.UpdateExpression?.startsWith('ADD') && JSON.stringify(input.Key).includes('"COUNTS"');
        if (context.commandName === 'UpdateItemCommand' && countsUpdate && ++counts % 3 === 0) {
          throw Object.assign(new Error('worker died'), { name: 'TimeoutError' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'dieBeforeCounting' },
    );
    const dying = { ...deps, store: createDynamoStore(toDocumentClient(client), deps.tableName) };
    const { InProcessQueue } = await import('#adapters/local/in-process-queue');
    const { processBulkBatch } = await import('#features/bulk/process-batch');
    dying.bulkQueue = new InProcessQueue({
      batchSize: 5,
      concurrency: 4,
      maxReceives: 10,
      retryDelayMs: 10,
      consume: (batch) => processBulkBatch(dying, batch),
    });

    // Act
    const { job, lines } = await drop(dying, 'drops/dying.csv', rowsCsv(200, 'D'));

    // Assess: every row once, exact counts, nothing dead-lettered
    expect(counts).toBeGreaterThan(200 / 25);
    expect(dying.bulkQueue.deadLetters).toHaveLength(0);
    expect(job).toMatchObject({ status: 'completed', total: 200, done: 200, issued: 200, duplicates: 0, errors: 0 });
    expect(lines).toHaveLength(200);
    expect(new Set(lines.map((line) => line.line)).size).toBe(200);
    client.destroy();
  }, 120_000);

  it("records each issue in the audit trail once when the worker died before writing the chunk's audit entries", async () => {
    // Prepare: the first batch write of each chunk's issue entries fails, as if the worker died after storing the
    // credentials; the chunk comes back.
    const deps = await connectedDependencies({ clock: '2026-06-01T12:00:00Z' });
    await seedDemoDistrict(deps);
    const failedOnce = new Set<string>();
    const store: Store = {
      ...deps.store,
      audit: {
        ...deps.store.audit,
        appendMany: async (entries) => {
          const first = entries.find((entry) => entry.entry.action === 'credential.issue');
          if (first && !failedOnce.has(first.learnerId)) {
            failedOnce.add(first.learnerId);
            throw Object.assign(new Error('worker died'), { name: 'TimeoutError' });
          }
          return deps.store.audit.appendMany(entries);
        },
      },
    };
    const dying = { ...deps, store };
    const { InProcessQueue } = await import('#adapters/local/in-process-queue');
    const { processBulkBatch } = await import('#features/bulk/process-batch');
    dying.bulkQueue = new InProcessQueue({
      batchSize: 1,
      concurrency: 4,
      maxReceives: 5,
      retryDelayMs: 10,
      consume: (batch) => processBulkBatch(dying, batch),
    });

    // Act
    const { job } = await drop(dying, 'drops/audit.csv', rowsCsv(60, 'A'));

    // Assess: each of the 3 chunks failed at least once; every learner has one registration and one issue in their trail
    expect(failedOnce.size).toBeGreaterThanOrEqual(3);
    expect(job).toMatchObject({ status: 'completed', total: 60, issued: 60 });
    for (let i = 0; i < 60; i++) {
      const learner = await learnerBySourcedId(deps, `A${i}`);
      const trail = (await deps.store.audit.list(learner!.id, { limit: 100 })).items;
      expect(trail.map((entry) => entry.action).sort()).toEqual(['credential.issue', 'learner.create']);
    }
  }, 120_000);

  it('reads a drop again when its first reading failed halfway (queue trouble), and issues every row once', async () => {
    // Prepare: the second SendMessageBatch of the first reading fails (its first 10 chunks are queued and issued)
    const deps = await connectedDependencies({ clock: '2026-06-01T12:00:00Z' });
    await seedDemoDistrict(deps);
    const key = 'drops/interrupted.csv';
    await deps.blobs.put('drops', key, rowsCsv(300, 'R'), 'text/csv');
    const etag = (await deps.blobs.get('drops', key))!.etag!;
    const queue = deps.bulkQueue;
    const send = queue.send.bind(queue);
    let sends = 0;
    queue.send = async (messages) => {
      if (++sends === 2) throw Object.assign(new Error('connection reset'), { name: 'TimeoutError' });
      return send(messages);
    };
    await expect(startBulkJob(deps, { key, etag })).rejects.toThrow('connection reset');
    await queue.drained();

    // Act: the S3 event, retried
    await startBulkJob(deps, { key, etag });
    await queue.drained();

    // Assess
    const job = await deps.store.bulkJobs.get(
      (await deps.store.bulkJobs.listRecent({ limit: 10 })).items.find((item) => item.sourceKey === key)!.id,
    );
    expect(job).toMatchObject({ status: 'completed', total: 300, done: 300, issued: 300, duplicates: 0, errors: 0 });
    const report = parse(new TextDecoder().decode((await deps.blobs.get('reports', job!.reportKey!))!.body), {
      columns: true,
    }) as ReportLine[];
    expect(report.map((line) => Number(line.line))).toEqual(Array.from({ length: 300 }, (_, i) => i + 2));
    expect(
      await countCredentials(
        deps,
        Array.from({ length: 300 }, (_, i) => `R${i}`),
      ),
    ).toBe(300);
  }, 120_000);

  it('writes the report when the worker that claimed it died before writing it', async () => {
    // Prepare: a finished job whose report claim was taken ten minutes ago and never completed.
    const deps = await connectedDependencies({ clock: '2026-06-01T12:00:00Z' });
    await seedDemoDistrict(deps);
    const { finishIfDone } = await import('#features/bulk/report');
    const realPut = deps.blobs.put.bind(deps.blobs);
    let reportWrites = 0;
    deps.blobs.put = async (bucket, key, body, contentType) => {
      if (bucket === 'reports' && reportWrites++ === 0) throw Object.assign(new Error('connection reset'), { name: 'TimeoutError' });
      return realPut(bucket, key, body, contentType);
    };
    const { job: stuck } = await drop(deps, 'drops/stuck.csv', rowsCsv(3, 'S'));
    expect(stuck.status).not.toBe('completed');
    expect(await deps.store.bulkJobs.claimCompletion(stuck.id, '2026-06-01T12:00:00Z', '2026-06-01T11:55:00Z')).toBe(false);

    // Act: a redelivery ten minutes later
    const later = { ...deps, clock: { now: () => new Date('2026-06-01T12:10:00Z') } };
    await finishIfDone(later, stuck.id);

    // Assess
    const job = await deps.store.bulkJobs.get(stuck.id);
    expect(job).toMatchObject({ status: 'completed', total: 3, issued: 3 });
    expect(job?.reportKey).toBe(`reports/stuck.csv.${stuck.id}.results.csv`);
    expect(reportWrites).toBe(2);
  }, 60_000);
});
