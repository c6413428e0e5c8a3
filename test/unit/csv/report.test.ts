import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  csvField,
  escapeCsvCell,
  excelSafe,
  fileErrorReport,
  type ReportRow,
  reportCsv,
  reportCsvText,
  reportRowForInvalid,
} from '#domain/csv/report';

const collect = async (chunks: AsyncIterable<string>): Promise<string[]> => {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
};

describe('escapeCsvCell (formula injection, OWASP)', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1+2', `'+1+2`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['MATH-FLUENCY-3', 'MATH-FLUENCY-3'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (value, expected) => {
    // Act
    const escaped = escapeCsvCell(value);
    // Assess
    expect(escaped).toBe(expected);
    expect(excelSafe(value)).toBe(expected);
  });
});

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded ', '" padded "'],
    ['=1+1', `'=1+1`],
    ['=A1,"x"', `"'=A1,""x"""`],
  ])('%j → %j', (value, expected) => {
    // Act
    const field = csvField(value);
    // Assess
    expect(field).toBe(expected);
  });

  it('writes numbers as numbers (a negative number is data, not a formula) and nothing for null', () => {
    // Act
    const fields = [csvField(-3), csvField(1.5), csvField(null), csvField(undefined), csvField(true)];
    // Assess
    expect(fields).toEqual(['-3', '1.5', '', '', 'true']);
  });
});

describe('results report', () => {
  const rows: ReportRow[] = [
    { line: 2, status: 'issued', credentialId: 'urn:uuid:1' },
    { line: 3, status: 'duplicate', credentialId: 'urn:uuid:2' },
    { line: 4, status: 'pending_consent' },
    { line: 5, status: 'error', reason: '=HYPERLINK("http://x","y"), "really".' },
  ];

  it('writes the header, one CRLF line per row (line, status, reason, credential id), with injection escaped', () => {
    // Act
    const text = reportCsvText(rows);
    // Assess
    expect(text.split('\r\n')).toEqual([
      'line,status,reason,credential_id',
      '2,issued,,urn:uuid:1',
      '3,duplicate,,urn:uuid:2',
      '4,pending_consent,,',
      `5,error,"'=HYPERLINK(""http://x"",""y""), ""really"".",`,
      '',
    ]);
  });

  it('round-trips through a CSV parser (what Excel or a script will read)', () => {
    // Act
    const records = parseCsv(reportCsvText(rows), { columns: true }) as Record<string, string>[];
    // Assess
    expect(records).toHaveLength(4);
    expect(records[3]).toEqual({ line: '5', status: 'error', reason: `'=HYPERLINK("http://x","y"), "really".`, credential_id: '' });
  });

  it('streams from an async iterable in chunks, with the header first', async () => {
    // Prepare
    async function* many(): AsyncGenerator<ReportRow> {
      for (let i = 0; i < 1234; i++) yield { line: i + 2, status: 'issued', credentialId: `c${i}` };
    }
    // Act
    const chunks = await collect(reportCsv(many(), 500));
    // Assess
    expect(chunks).toHaveLength(3);
    expect(chunks[0]?.startsWith('line,status,reason,credential_id\r\n2,issued,,c0\r\n')).toBe(true);
    expect(chunks.join('').split('\r\n')).toHaveLength(1 + 1234 + 1);
  });

  it('an empty job is just the header; a failed file is the header and one error line', async () => {
    // Act
    const empty = (await collect(reportCsv([]))).join('');
    const failed = fileErrorReport('The file has no achievement column. Columns found: -x, =y.');
    // Assess
    expect(empty).toBe('line,status,reason,credential_id\r\n');
    expect(failed).toBe('line,status,reason,credential_id\r\n,error,"The file has no achievement column. Columns found: -x, =y.",\r\n');
  });

  it('turns an invalid row outcome into an error line that does not carry the student id', () => {
    // Act
    const row = reportRowForInvalid({ ok: false, line: 7, studentId: 'S7', achievement: 'A-1', reason: 'DOB is not a real date.' });
    // Assess
    expect(row).toEqual({ line: 7, status: 'error', reason: 'DOB is not a real date.' });
  });
});
