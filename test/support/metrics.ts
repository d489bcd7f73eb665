/**
 * Reading a Parley server's `/metrics` page (Prometheus text exposition format 0.0.4, as prom-client writes
 * it): parsed once here, so that a test names a series by its metric name and labels instead of a regex.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

/** Label names to values; a series is one metric name with one exact set of these. */
export type MetricLabels = Readonly<Record<string, string>>;

/** One line of the page: `name{label="value",…} value`. */
export interface MetricSample {
  readonly name: string;
  readonly labels: MetricLabels;
  readonly value: number;
}

/** One scrape of `/metrics`. */
export class MetricsPage {
  constructor(readonly samples: readonly MetricSample[]) {}

  /**
   * The value of the series `name` whose labels are exactly `labels` (none by default), or undefined when
   * the page has no such series: prom-client shows a labelled counter only once it has counted something.
   *
   * @example
   * page.value('parley_rejected_events_total', { code: 'BAD_REQUEST' }) ?? 0
   */
  value(name: string, labels: MetricLabels = {}): number | undefined {
    const wanted = Object.entries(labels);
    return this.samples.find(
      (sample) =>
        sample.name === name &&
        Object.keys(sample.labels).length === wanted.length &&
        wanted.every(([label, value]) => sample.labels[label] === value),
    )?.value;
  }
}

/** Parses a page of Prometheus text; comment lines (`# HELP`, `# TYPE`) and blank lines are skipped. */
export function parseMetrics(text: string): MetricsPage {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    samples.push(parseSample(line));
  }
  return new MetricsPage(samples);
}

/**
 * Fetches and parses `${serverUrl}/metrics`; `init` carries a bearer token, for instance. Rejects on any
 * status but 200, so that a refused scrape never reads as missing series.
 */
export async function scrapeMetrics(serverUrl: string, init?: RequestInit): Promise<MetricsPage> {
  const response = await fetch(`${serverUrl}/metrics`, init);
  if (response.status !== 200) throw new Error(`GET ${serverUrl}/metrics answered ${response.status}`);
  return parseMetrics(await response.text());
}

/**
 * One series from one fresh scrape: {@link scrapeMetrics} then {@link MetricsPage.value}.
 *
 * @example
 * await expect.poll(() => metricValue(server.url, 'parley_connected_sockets')).toBe(0);
 */
export async function metricValue(
  serverUrl: string,
  name: string,
  labels: MetricLabels = {},
): Promise<number | undefined> {
  return (await scrapeMetrics(serverUrl)).value(name, labels);
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;

function parseSample(line: string): MetricSample {
  const match = SAMPLE.exec(line);
  if (!match?.[1] || match[3] === undefined) throw new Error(`not a Prometheus sample: ${line}`);
  const labels: Record<string, string> = {};
  const body = match[2] ?? '';
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < body.length) {
    const label = LABEL.exec(body);
    if (!label?.[1] || label[2] === undefined) throw new Error(`bad labels in Prometheus sample: ${line}`);
    labels[label[1]] = label[2].replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
  }
  return { name: match[1], labels, value: parseValue(match[3]) };
}

/** Go's float syntax as Prometheus writes it: `+Inf`, `-Inf` and `NaN` (prom-client writes `Nan`) too. */
function parseValue(text: string): number {
  switch (text.toLowerCase()) {
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
      return Number.NaN;
    default:
      return Number(text);
  }
}
