export const median = (values: number[]) => percentile(values, 50);

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
};

export const ratio = (value: number, baseline: number) => (baseline > 0 ? value / baseline : Number.NaN);

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export interface Section {
  title: string;
  /** A markdown table: header row first. */
  rows: string[][];
  notes?: string[];
}

export const table = (rows: string[][]) => {
  const [header = [], ...body] = rows;
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
};
