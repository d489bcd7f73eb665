/** Percentile by the nearest-rank method: the smallest sample with at least p% of samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export interface Summary {
  name: string;
  n: number;
  median: number;
  p90: number;
}

export function summarize(name: string, samples: readonly number[]): Summary {
  return { name, n: samples.length, median: median(samples), p90: percentile(samples, 90) };
}

/** A Markdown table of summaries, in milliseconds, with each median's ratio to the reference's. */
export function table(reference: Summary, rows: readonly Summary[]): string {
  const lines = [
    '| measurement | runs | median (ms) | p90 (ms) | median ÷ reference |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const row of [reference, ...rows]) {
    const ratio = row === reference ? '1.00 (reference)' : (row.median / reference.median).toFixed(2);
    lines.push(`| ${row.name} | ${row.n} | ${row.median.toFixed(0)} | ${row.p90.toFixed(0)} | ${ratio} |`);
  }
  return lines.join('\n');
}
