/**
 * npm run bench:edge — does one client flooding the server hurt everybody else?
 *
 * A Parley server (`node dist/cli.js`, core 0) behind a pretend proxy (it trusts loopback, and each client
 * names its own address in X-Forwarded-For, so the flooder and the others count as different people).
 * Measured: signal round trips in ten rooms of two ("room B", prober.ts, one round trip at a time, on core
 * 0 beside the server so that it never waits for the flooder's core), first with nothing else going on
 * (the reference), then while one client in room A sends signals as fast as it can (flooder.ts, core 1).
 * Done twice: with the default limits, and with the signal limits lifted, so that the table shows what the
 * limits buy. Prints median and p99 of each, their ratio to the reference of the same server, and what
 * became of the flood.
 *
 * Bounded: each measurement stops after BENCH_SAMPLES round trips (default 2000) or BENCH_SECONDS
 * (default 15 s); the flood ends by itself BENCH_SECONDS + 10 s after it starts. Under 2 minutes in all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForOutput } from '../child-output.js';
import { median, percentile } from '../stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const TSX = ['--import', 'tsx'];
const START_TIMEOUT_MS = 20_000;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const taskset = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;
const children = new Set<ChildProcess>();

function spawnOn(core: number, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const command = [process.execPath, ...args];
  const [file, argv] = taskset
    ? [taskset, ['-c', String(core), ...command]]
    : [command[0] ?? '', command.slice(1)];
  const child = spawn(file, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-edge-'));
  const child = spawnOn(0, [CLI], {
    HOST: '127.0.0.1',
    PORT: '0',
    PARLEY_HTTP: 'true',
    PARLEY_STUN_PORT: '0',
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_DATA_DIR: dataDir,
    PARLEY_TRUST_PROXY: 'loopback',
    ...env,
  });
  const match = await waitForOutput(child, /http:\/\/localhost:(\d+)/, 'the server', START_TIMEOUT_MS);
  return {
    url: `http://127.0.0.1:${match[1]}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

interface Probe {
  samples: number[];
  failed: number;
}
interface Flood {
  answeredPerSecond: number;
  relayed: number;
  limited: number;
  other: number;
  seconds: number;
}

/** @param network the /24 of the measured rooms' addresses: each measurement has people of its own. */
async function probe(url: string, network: string): Promise<Probe> {
  const child = spawnOn(0, [
    ...TSX,
    join(ROOT, 'bench/edge/prober.ts'),
    url,
    String(SAMPLES),
    String(SECONDS),
    network,
  ]);
  const match = await waitForOutput(child, /^(\{"samples".*\})$/m, 'the prober', (SECONDS + 30) * 1000);
  return JSON.parse(match[1] ?? '') as Probe;
}

async function measure(name: string, env: NodeJS.ProcessEnv) {
  const server = await startServer(env);
  try {
    const quiet = await probe(server.url, '198.51.100');
    const flooder = spawnOn(1, [
      ...TSX,
      join(ROOT, 'bench/edge/flooder.ts'),
      server.url,
      String(SECONDS + 10),
    ]);
    const result = waitForOutput(
      flooder,
      /^(\{"answeredPerSecond".*\})$/m,
      'the flooder',
      (SECONDS + 40) * 1000,
    );
    await waitForOutput(flooder, /flooding/, 'the flooder', START_TIMEOUT_MS);
    const loaded = await probe(server.url, '203.0.113');
    const flood = JSON.parse((await result)[1] ?? '') as Flood;
    return { name, quiet, loaded, flood };
  } finally {
    await server.stop();
  }
}

const fmt = (ms: number) => ms.toFixed(2);

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const rows = [
    await measure('default limits (500/10s per socket)', {}),
    await measure('signal limits lifted', {
      PARLEY_RATE_SIGNAL: '1000000/1s',
      PARLEY_RATE_SIGNAL_IP: '1000000/1s',
    }),
  ];
  const lines = [
    '| server | room B alone: median / p99 (ms) | during the flood: median / p99 (ms) | ratio median / p99 | flood answered/s | relayed | RATE_LIMITED | room B lost |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { name, quiet, loaded, flood } of rows) {
    const [qm, q99, lm, l99] = [
      median(quiet.samples),
      percentile(quiet.samples, 99),
      median(loaded.samples),
      percentile(loaded.samples, 99),
    ];
    lines.push(
      `| ${name} | ${fmt(qm)} / ${fmt(q99)} (n=${quiet.samples.length}) | ${fmt(lm)} / ${fmt(l99)} (n=${loaded.samples.length}) | ${(lm / qm).toFixed(2)} / ${(l99 / q99).toFixed(2)} | ${flood.answeredPerSecond.toFixed(0)} | ${flood.relayed} | ${flood.limited} | ${quiet.failed + loaded.failed} |`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  process.stdout.write(
    `load average at the end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}; taskset: ${taskset ? 'yes' : 'no'}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    for (const child of children) child.kill('SIGKILL');
    process.stderr.write(`bench:edge failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
