/** The printed report: one table per section, each figure with its budget and verdict; the same rows go to JSON. */
export type Verdict = 'within budget' | 'OVER budget' | 'no budget' | 'not measured';

export interface Row {
  metric: string;
  value: string;
  /** The raw number behind `value`, for the JSON. */
  raw?: number | string | boolean | null;
  unit?: string;
  budget?: string;
  verdict?: Verdict;
}

export interface Section {
  name: string;
  title: string;
  status: 'ran' | 'skipped' | 'failed';
  note?: string;
  rows: Row[];
  notes: string[];
  details?: Record<string, unknown>;
  seconds?: number;
}

export const verdict = (ok: boolean): Verdict => (ok ? 'within budget' : 'OVER budget');

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
export const fmt = (value: number, digits = 1): string => fixed(value, digits);
export const fmtInt = (value: number): string => fixed(value, 0);

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));

export const renderTable = (rows: Row[]): string => {
  const header = { metric: 'metric', value: 'value', budget: 'budget', verdict: 'verdict' };
  const cells = rows.map((row) => ({
    metric: row.metric,
    value: row.unit ? `${row.value} ${row.unit}` : row.value,
    budget: row.budget ?? '',
    verdict: row.verdict && row.verdict !== 'no budget' ? row.verdict : '',
  }));
  const widths = (['metric', 'value', 'budget', 'verdict'] as const).map((key) =>
    Math.max(header[key].length, ...cells.map((cell) => [...cell[key]].length)),
  );
  const line = (cell: typeof header) =>
    `  ${pad(cell.metric, widths[0]!)}  ${pad(cell.value, widths[1]!)}  ${pad(cell.budget, widths[2]!)}  ${cell.verdict}`.trimEnd();
  const rule = `  ${widths.map((width) => '─'.repeat(width)).join('  ')}`;
  return [line(header), rule, ...cells.map(line)].join('\n');
};

export const renderSection = (section: Section): string => {
  const head = `\n■ ${section.title}${section.seconds !== undefined ? `  (${section.seconds.toFixed(0)} s)` : ''}`;
  if (section.status !== 'ran' && section.rows.length === 0) return `${head}\n  ${section.name}: ${section.status} — ${section.note ?? ''}`;
  const notes = section.notes.map((note) => `  · ${note}`).join('\n');
  return `${head}\n${renderTable(section.rows)}${notes ? `\n${notes}` : ''}`;
};
