/**
 * npm run bench:signaling — how many sockets and relayed signals per second a Parley server holds.
 *
 * Three targets, one after another, each in processes of its own: (a) the bare relay (bare-relay.ts, the
 * reference), (b) one Parley server (`node dist/cli.js`), (c) two Parley servers on one real redis-server,
 * the load split over both. For each, a separate load generator (load.ts) ramps connected sockets and
 * signaling rates and reports; this script prints one Markdown table with Parley's figures as ratios to the
 * bare relay's. Servers run on core 0 and the load generator on core 1 (`taskset`) when taskset exists.
 *
 * Bounded: each target gets an equal share of BENCH_BUDGET_S (default 180 s) for its ramp, plus start-up
 * and tear-down. Smaller runs: BENCH_MAX_SOCKETS (default: what `ulimit -n` leaves, rounded down),
 * BENCH_LEVELS (e.g. `2000,5000`), BENCH_RATES (e.g. `5000,10000`), BENCH_SECONDS per step (default 2),
 * BENCH_TARGETS (e.g. `bare,parley`).
 *
 * `BENCH_MODE=peers` measures calls set up by real Node peers instead (bench/signaling/peers.ts).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningRedis, startRedis } from '../../test/support/redis.js';
import { waitForOutput } from '../child-output.js';
import { type LevelResult, type LoadPlan, LoadResult, type StepResult } from './plan.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
/** TypeScript in the node process itself (not tsx's CLI, which runs a second process): the PID is its own. */
const TSX = ['--import', 'tsx'];
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
/** Sockets the server and the load generator need besides the benchmark's own (listeners, files, Redis). */
const FD_MARGIN = 400;

const TARGETS = ['bare', 'parley', 'parley-redis'] as const;
type Target = (typeof TARGETS)[number];
const TARGET_NAMES: Record<Target, string> = {
  bare: 'Bare socket.io relay (reference)',
  parley: 'Parley, one server',
  'parley-redis': 'Parley, two servers + Redis',
};

function numbers(value: string | undefined, fallback: number[]): number[] {
  if (value === undefined || value.trim() === '') return fallback;
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isFinite(n) || n <= 0) throw new TypeError(`not a positive number: ${part}`);
    return n;
  });
}

function fileLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return 1024;
  }
}

const maxSockets =
  numbers(process.env.BENCH_MAX_SOCKETS, [Math.floor((fileLimit() - FD_MARGIN) / 1000) * 1000])[0] ?? 1000;
const levels = [
  ...new Set(
    numbers(process.env.BENCH_LEVELS, [2000, 5000, 10000, 15000, 19000]).map((n) => Math.min(n, maxSockets)),
  ),
].map((n) => n - (n % 2));
const rates = numbers(process.env.BENCH_RATES, [5000, 10000, 15000, 20000]);
const seconds = numbers(process.env.BENCH_SECONDS, [2])[0] ?? 2;
const budgetS = numbers(process.env.BENCH_BUDGET_S, [180])[0] ?? 180;
const targets = (process.env.BENCH_TARGETS ?? TARGETS.join(',')).split(',').map((name) => {
  const target = TARGETS.find((t) => t === name.trim());
  if (!target) throw new TypeError(`unknown target ${name}; known: ${TARGETS.join(', ')}`);
  return target;
});

const taskset = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;

/** Starts `command` pinned to `core` when taskset exists. taskset execs, so the PID is the program's own. */
function spawnOn(core: number, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const [file, argv] = taskset ? [taskset, ['-c', String(core), command, ...args]] : [command, args];
  return spawn(file, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) signal(child, 'SIGKILL');
});
// Interrupted: the children go with this process (by their PIDs, through the exit handler above).
for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => process.exit(130));

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, name);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ESRCH')) throw error;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    signal(child, 'SIGTERM');
    const timer = setTimeout(() => signal(child, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  children.delete(child);
}

interface Started {
  urls: string[];
  pids: number[];
  close(): Promise<void>;
}

async function startBare(): Promise<Started> {
  const child = spawnOn(0, process.execPath, [...TSX, join(ROOT, 'bench/signaling/bare-relay.ts')], {});
  children.add(child);
  const match = await waitForOutput(child, /listening (\d+)/, 'the bare relay', START_TIMEOUT_MS);
  return { urls: [`http://127.0.0.1:${match[1]}`], pids: [child.pid ?? 0], close: () => stop(child) };
}

async function startParleys(count: number, redis?: RunningRedis): Promise<Started> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const env: NodeJS.ProcessEnv = {
    HOST: '127.0.0.1',
    PORT: '0',
    PARLEY_HTTP: 'true',
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_DATA_DIR: dataDir,
    // Sockets are dropped at the end, not left politely: their places need not be kept.
    PARLEY_RESUME_WINDOW_MS: '0',
    PARLEY_SECRET: 'bench-secret-bench-secret-bench-secret',
    // STUN is not measured, and two nodes on one machine cannot both hold UDP 3478.
    PARLEY_STUN_PORT: '0',
    // Every socket comes from 127.0.0.1: limits per address would measure themselves, not the relay.
    PARLEY_MAX_CONNECTIONS_PER_IP: '0',
    PARLEY_MAX_TCP_CONNECTIONS_PER_IP: '0',
    PARLEY_MAX_CONNECTIONS: '1000000',
    PARLEY_RATE_JOIN_IP: '1000000/1s',
    PARLEY_RATE_SIGNAL_IP: '1000000/1s',
    ...(redis ? { PARLEY_REDIS_URL: redis.url } : {}),
  };
  const servers: ChildProcess[] = [];
  try {
    const urls: string[] = [];
    for (let i = 0; i < count; i++) {
      const child = spawnOn(0, process.execPath, [CLI], env);
      children.add(child);
      servers.push(child);
      const match = await waitForOutput(child, /http:\/\/localhost:(\d+)/, 'Parley', START_TIMEOUT_MS);
      urls.push(`http://127.0.0.1:${match[1]}`);
    }
    return {
      urls,
      pids: servers.map((child) => child.pid ?? 0),
      close: async () => {
        await Promise.all(servers.map(stop));
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(servers.map(stop));
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Runs the load generator against a started target. It keeps its sockets open after reporting, so that the
 * servers can be stopped first and the closing side's TIME_WAIT lands on the servers' ports.
 */
async function runLoad(
  target: Target,
  started: Started,
  deadline: number,
): Promise<{ result: LoadResult; generator: ChildProcess }> {
  const plan: LoadPlan = {
    mode: target === 'bare' ? 'bare' : 'parley',
    urls: started.urls,
    serverPids: started.pids,
    levels,
    rates,
    seconds,
    deadline,
  };
  const child = spawnOn(1, process.execPath, [...TSX, join(ROOT, 'bench/signaling/load.ts')], {
    BENCH_PLAN: JSON.stringify(plan),
  });
  children.add(child);
  child.stderr?.pipe(process.stderr);
  try {
    return await readResult(child);
  } catch (error) {
    await stop(child);
    throw error;
  }
}

async function readResult(child: ChildProcess): Promise<{ result: LoadResult; generator: ChildProcess }> {
  const line = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const end = output.indexOf('\n');
      if (end >= 0) resolve(output.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`the load generator exited (${code})`)));
  });
  return { result: LoadResult.parse(JSON.parse(line)), generator: child };
}

interface Row {
  target: Target;
  level: LevelResult;
  best: StepResult | undefined;
}

/** Per target, one row per level held, with the highest passing rate at that level. */
function rowsOf(target: Target, result: LoadResult): Row[] {
  return result.levels.map((level) => {
    const passing = level.steps.filter((step) => step.pass);
    return { target, level, best: passing.at(-1) };
  });
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === undefined || n === null || !Number.isFinite(n) ? '–' : n.toFixed(digits);

function ratio(value: number | undefined, reference: number | undefined): string {
  if (value === undefined || reference === undefined || reference === 0) return '–';
  return `${(value / reference).toFixed(2)}×`;
}

function table(rows: Row[]): string {
  const reference = new Map<number, Row>();
  for (const row of rows) if (row.target === 'bare') reference.set(row.level.wanted, row);
  const lines = [
    '| server | sockets held | highest passing msg/s | p50 (ms) | p99 (ms) | RSS/socket (KB) | msg/s ÷ bare | RSS ÷ bare |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const ref = reference.get(row.level.wanted);
    const isRef = row.target === 'bare';
    lines.push(
      `| ${TARGET_NAMES[row.target]} | ${row.level.sockets} | ${row.best ? fmt(row.best.target) : 'none'} | ` +
        `${fmt(row.best?.p50, 1)} | ${fmt(row.best?.p99, 1)} | ${fmt(row.level.rssPerSocketKb, 1)} | ` +
        `${isRef ? '1.00 (ref)' : ratio(row.best?.target ?? 0, ref?.best?.target)} | ` +
        `${isRef ? '1.00 (ref)' : ratio(row.level.rssPerSocketKb, ref?.level.rssPerSocketKb)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (process.env.BENCH_MODE === 'peers') {
    await import('./peers.js');
    return;
  }
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first.');
  const begin = Date.now();
  process.stderr.write(
    `signaling load: levels ${levels.join(', ')} sockets, rates ${rates.join(', ')} msg/s, ` +
      `${seconds} s a step, ${budgetS} s budget; ` +
      (taskset
        ? 'servers (and Redis) pinned to core 0, load generator to core 1 (taskset)\n'
        : 'taskset not found: servers and load generator are not pinned\n'),
  );
  // Redis is started from here, and inherits this process's cores: the servers' core.
  if (taskset) execFileSync(taskset, ['-a', '-pc', '0', String(process.pid)], { stdio: 'ignore' });
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const [index, target] of targets.entries()) {
    // An equal share of what is left of the budget.
    const share = (budgetS * 1000 - (Date.now() - begin)) / (targets.length - index);
    const deadline = Date.now() + share;
    // Other work on the machine competes for the same two cores; the load average shows how much.
    const load = loadavg()[0]?.toFixed(1) ?? '?';
    process.stderr.write(`${TARGET_NAMES[target]} (machine load average ${load}):\n`);
    const redis = target === 'parley-redis' ? await startRedis() : undefined;
    try {
      const started =
        target === 'bare' ? await startBare() : await startParleys(target === 'parley' ? 1 : 2, redis);
      let generator: ChildProcess | undefined;
      try {
        const run = await runLoad(target, started, deadline);
        generator = run.generator;
        rows.push(...rowsOf(target, run.result));
        notes.push(
          `${TARGET_NAMES[target]}: stopped by ${run.result.stoppedBy}; idle RSS ${run.result.idleRssKb} KB; ` +
            `machine load average ${load} at its start.`,
        );
      } finally {
        await started.close();
        if (generator) await stop(generator);
      }
    } finally {
      await redis?.close();
    }
  }
  process.stdout.write(
    `\n${table(rows.sort((x, y) => x.level.wanted - y.level.wanted))}\n\n` +
      `A rate passes when ≥ 95% of it is delivered and p99 < 50 ms; ${seconds} s a step. ` +
      `${taskset ? 'Servers on core 0, load generator on core 1.' : 'Not pinned to cores.'} ` +
      `Total ${((Date.now() - begin) / 1000).toFixed(0)} s.\n${notes.map((n) => `- ${n}`).join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:signaling: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
