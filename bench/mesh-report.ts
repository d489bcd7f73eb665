/**
 * The tables and target verdicts of bench/mesh.ts, from the figures of its four phases. Nothing here
 * measures; it only prints what was measured.
 */
import type { CapCheck } from './mesh-cap-check.js';
import { STALL_MS, type SentStream, type TileWindow } from './mesh-probes.js';
import { median, percentile } from './stats.js';

export interface Phase {
  /** The adaptation on (the page's default) or off (`?quality=off` in every page). */
  adaptation: boolean;
  /** One person's uplink capped. */
  capped: boolean;
}

export interface PersonResult {
  name: string;
  /** Seconds of CPU per minute of call, of the person's whole browser process tree. */
  cpuPerMinute: number;
  /** Video upload on all connections, Mbit/s. */
  uploadMbps: number;
  /** Frames from each other person: decoded and presented per second, stalls. */
  tiles: (TileWindow & { decodedFps: number; shownFps: number })[];
  sent: (SentStream & { mbps: number })[];
}

export interface PhaseResult extends Phase {
  people: PersonResult[];
  /** The whole machine's busy CPU during the window, in cores, and the share of it the four browsers used. */
  machineBusyCores: number;
  browsersCores: number;
  /** The four browsers' CPU by thread name, in cores, largest first. */
  threads: [name: string, cores: number][];
  /** What the capped person sent through the veth pair during the window (headers included), Mbit/s. */
  cappedWireMbps?: number;
  seconds: number;
}

export const phaseName = ({ adaptation, capped }: Phase) =>
  `${adaptation ? 'with' : 'without'} the adaptation, ${capped ? 'one uplink capped' : 'no cap'}`;

const f = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** Where the four browsers' CPU went in one phase: the busiest thread names, in cores. */
export function threadLine(result: PhaseResult, shown = 10): string {
  return (
    'CPU by thread name, all four browsers (cores): ' +
    result.threads
      .slice(0, shown)
      .map(([name, cores]) => `${name} ${f(cores)}`)
      .join(', ')
  );
}

/** Each person's figures in one phase. */
export function personTable(result: PhaseResult): string {
  const lines = [
    '| person | CPU (s/min) | upload (Mbit/s) | sends (per copy: to whom, size@fps, Mbit/s (maxBitrate set), limited by) | fps from each (decoded / shown) | longest stall (s) | in stalls > 1 s (s) |',
    '|---|---:|---:|---|---|---:|---:|',
  ];
  for (const person of result.people) {
    const sends = person.sent
      .map((s) =>
        s.active
          ? `to ${s.to} ${s.width}x${s.height}@${f(s.fps, 0)}, ${f(s.mbps)}` +
            `${Number.isFinite(s.maxKbps) ? ` (max ${f(s.maxKbps / 1000)})` : ''}, ${s.limitation}`
          : `to ${s.to} paused, ${f(s.mbps)}`,
      )
      .join('; ');
    const from = person.tiles
      .map(
        (t) =>
          `${t.name} ${f(t.decodedFps, 1)} / ${f(t.shownFps, 1)}${t.alwaysVisible ? '' : ' (hidden at times)'}`,
      )
      .join('; ');
    const longest = Math.max(...person.tiles.map((t) => t.longestGapMs)) / 1000;
    const stalled = person.tiles.reduce((sum, t) => sum + t.stalledMs, 0) / 1000;
    lines.push(
      `| ${person.name} | ${f(person.cpuPerMinute, 1)} | ${f(person.uploadMbps)} | ${sends} | ${from} | ${f(longest)} | ${f(stalled, 1)} |`,
    );
  }
  return lines.join('\n');
}

interface Metric {
  label: string;
  /** The samples of one phase: per person or per (receiver, sender) pair. */
  samples: (result: PhaseResult) => number[];
  digits: number;
}

const visibleTiles = (result: PhaseResult) =>
  result.people.flatMap((person) => person.tiles.filter((tile) => tile.alwaysVisible));

const METRICS: Metric[] = [
  {
    label: 'CPU per person (s of CPU per min of call)',
    samples: (r) => r.people.map((p) => p.cpuPerMinute),
    digits: 1,
  },
  { label: 'upload per person (Mbit/s)', samples: (r) => r.people.map((p) => p.uploadMbps), digits: 2 },
  {
    label: 'fps decoded, per person from each other',
    samples: (r) => r.people.flatMap((p) => p.tiles.map((t) => t.decodedFps)),
    digits: 1,
  },
  { label: 'fps shown on visible tiles', samples: (r) => visibleTiles(r).map((t) => t.shownFps), digits: 1 },
  {
    label: 'longest stall on a visible tile, per person (s)',
    samples: (r) => r.people.map((p) => longestStall(p)),
    digits: 2,
  },
  {
    label: `time in stalls > ${STALL_MS / 1000} s, per person (s)`,
    samples: (r) => r.people.map((p) => p.tiles.reduce((sum, t) => sum + t.stalledMs, 0) / 1000),
    digits: 1,
  },
];

function longestStall(person: PersonResult): number {
  const visible = person.tiles.filter((t) => t.alwaysVisible);
  return visible.length ? Math.max(...visible.map((t) => t.longestGapMs)) / 1000 : Number.NaN;
}

/** With and without side by side: median and p90 of each, and the ratio of the medians. */
export function comparisonTable(withIt: PhaseResult | undefined, without: PhaseResult | undefined): string {
  const lines = [
    '| measurement | with: median | with: p90 | without: median | without: p90 | with ÷ without (medians) |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const metric of METRICS) {
    const a = withIt ? metric.samples(withIt) : [];
    const b = without ? metric.samples(without) : [];
    const cells = [median(a), percentile(a, 90), median(b), percentile(b, 90)].map((v) =>
      f(v, metric.digits),
    );
    lines.push(`| ${metric.label} | ${cells.join(' | ')} | ${f(median(a) / median(b))} |`);
  }
  return lines.join('\n');
}

export interface Verdict {
  target: string;
  pass: boolean | undefined;
  figures: string;
}

const verdictLine = ({ target, pass, figures }: Verdict) =>
  `${pass === undefined ? 'N/A ' : pass ? 'PASS' : 'MISS'}  ${target}: ${figures}`;

/** The issue's targets without the cap (upload budget, CPU, frame rate), from the two uncapped phases. */
export function uncappedVerdicts(
  withIt: PhaseResult | undefined,
  without: PhaseResult | undefined,
  budgetMbps: number,
): Verdict[] {
  const [low, high] = [budgetMbps * 0.8, budgetMbps * 1.2];
  if (!withIt || !without) {
    const figures = 'a phase did not complete';
    return [
      { target: 'upload within the budget ±20%', pass: undefined, figures },
      { target: 'CPU at least 25% lower with than without', pass: undefined, figures },
      { target: 'no lower received frame rate on visible tiles', pass: undefined, figures },
    ];
  }
  const uploads = withIt.people.map((p) => `${p.name} ${f(p.uploadMbps)}`).join(', ');
  const ratios = withIt.people.map((p) => {
    const other = without.people.find((q) => q.name === p.name);
    return { name: p.name, ratio: other ? p.cpuPerMinute / other.cpuPerMinute : Number.NaN };
  });
  const shown = (r: PhaseResult) => median(visibleTiles(r).map((t) => t.shownFps));
  // Compared at the precision printed (0.1 fps).
  const [shownWith, shownWithout] = [shown(withIt), shown(without)].map((v) => Math.round(v * 10) / 10) as [
    number,
    number,
  ];
  return [
    {
      target: `upload within the budget ±20% (${f(low)}–${f(high)} Mbit/s), every person, with the adaptation`,
      pass: withIt.people.every((p) => p.uploadMbps >= low && p.uploadMbps <= high),
      figures: `${uploads} Mbit/s (without: ${without.people.map((p) => f(p.uploadMbps)).join(', ')})`,
    },
    {
      target: 'CPU per person at least 25% lower with than without (ratio ≤ 0.75 for every person)',
      pass: ratios.every((r) => r.ratio <= 0.75),
      figures: `with ÷ without ${ratios.map((r) => `${r.name} ${f(r.ratio)}`).join(', ')}; median ${f(
        median(ratios.map((r) => r.ratio)),
      )}`,
    },
    {
      target: 'no lower received frame rate on visible tiles (median fps shown, with ≥ without)',
      pass: shownWith >= shownWithout,
      figures: `with ${f(shownWith, 1)}, without ${f(shownWithout, 1)} fps`,
    },
  ];
}

/** The issue's targets with the cap (stalls, frame rate), and a check that the cap really held. */
export function cappedVerdicts(
  withIt: PhaseResult | undefined,
  without: PhaseResult | undefined,
  cappedName: string,
  capMbps: number,
  capCheck: CapCheck | undefined,
  capCheckSeconds: number,
): Verdict[] {
  const longest = (r: PhaseResult | undefined) =>
    r ? Math.max(...r.people.map((p) => longestStall(p))) : Number.NaN;
  const lowestFps = (r: PhaseResult | undefined) =>
    r ? Math.min(...visibleTiles(r).map((t) => t.shownFps)) : Number.NaN;
  const lowestPair = (r: PhaseResult | undefined) => {
    if (!r) return 'n/a';
    const pairs = r.people.flatMap((p) =>
      p.tiles.map((t) => ({ at: p.name, from: t.name, fps: t.shownFps })),
    );
    const worst = pairs.reduce((a, b) => (b.fps < a.fps ? b : a));
    return `${worst.from} at ${worst.at}'s`;
  };
  const upload = (r: PhaseResult | undefined) => r?.people.find((p) => p.name === cappedName)?.uploadMbps;
  const capFigures = (r: PhaseResult | undefined, label: string) =>
    r
      ? `${label}: ${f(r.cappedWireMbps ?? Number.NaN)} on the wire (video bytesSent ${f(upload(r) ?? Number.NaN)})`
      : `${label}: n/a`;
  const held = [withIt, without].every((r) => r === undefined || (r.cappedWireMbps ?? Infinity) <= capMbps);
  return [
    {
      target: `no visible tile stalls for more than ${STALL_MS / 1000} s, with the adaptation`,
      pass: withIt ? longest(withIt) <= STALL_MS / 1000 : undefined,
      figures: `longest ${f(longest(withIt))} s (without: ${f(longest(without))} s)`,
    },
    {
      target: "every person's video reaches the others at ≥ 15 fps (shown), with the adaptation",
      pass: withIt ? lowestFps(withIt) >= 15 : undefined,
      figures:
        `lowest ${f(lowestFps(withIt), 1)} fps (${lowestPair(withIt)}) ` +
        `(without: ${f(lowestFps(without), 1)} fps, ${lowestPair(without)})`,
    },
    {
      // What may pass in the check: the rate for its seconds, the queue's 400 ms drained after, the burst.
      target: `check, not a target: the cap holds for UDP offered at well over ${capMbps} Mbit/s`,
      pass: capCheck ? capCheck.passedMbps <= capAllowance(capMbps, capCheckSeconds) : undefined,
      figures: capCheck
        ? `offered ${f(capCheck.offeredMbps)}, passed ${f(capCheck.passedMbps)} Mbit/s (Ethernet headers ` +
          `included; at most ${f(capAllowance(capMbps, capCheckSeconds))} can pass with the queue drained after)`
        : 'n/a',
    },
    {
      target: `check, not a target: ${cappedName}'s upload held under the ${capMbps} Mbit/s cap`,
      pass: withIt || without ? held : undefined,
      figures: `${capFigures(withIt, 'with')}; ${capFigures(without, 'without')} Mbit/s`,
    },
  ];
}

/** Mbit/s that may pass the tbf in a check of `seconds`: its rate, plus 400 ms of queue and a 32 kbit burst. */
const capAllowance = (capMbps: number, seconds: number) => (capMbps * (seconds + 0.4) + 0.032) / seconds;

export const printVerdicts = (verdicts: readonly Verdict[]) => verdicts.map(verdictLine).join('\n');
