/**
 * `BENCH_MODE=peers npm run bench:signaling`: rooms filled with real Node peers (werift on Parley's own call
 * logic, src/node-peer/) that really connect: join, offer/answer and candidates through the server, ICE,
 * DTLS, SCTP, and one data-channel message from each side to the other. For each level (calls set up at
 * once), calls are set up back to back for BENCH_PEER_SECONDS (default 8), and it reports call setups per
 * second and the setup-time distribution (from the first join to both messages received), beside the
 * reference measured in the same run: the same two joins and one relayed signal with bare socket.io clients
 * (what signaling alone costs). One Parley server (`node dist/cli.js`), in a process of its own.
 *
 * Bounded: BENCH_PEER_LEVELS (default 1,2,4,8) times BENCH_PEER_SECONDS, each call given 20 s at most.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../src/protocol/index.js';
import { NodePeer } from '../../src/node-peer/index.js';
import { waitForOutput } from '../child-output.js';
import { median, percentile } from '../stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const CALL_TIMEOUT_MS = 20_000;
const REFERENCE_RUNS = 30;

function positive(value: string | undefined, fallback: number[]): number[] {
  if (value === undefined || value.trim() === '') return fallback;
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n <= 0) throw new TypeError(`not a positive integer: ${part}`);
    return n;
  });
}

const levels = positive(process.env.BENCH_PEER_LEVELS, [1, 2, 4, 8]);
const seconds = positive(process.env.BENCH_PEER_SECONDS, [8])[0] ?? 8;

let room = 0;

/** One call between two Node peers: milliseconds from the first join to both data-channel messages received. */
async function oneCall(url: string): Promise<number> {
  const name = `bench-${process.pid}-${room++}`;
  const started = performance.now();
  const [a, b] = [new NodePeer({ url, reconnection: false }), new NodePeer({ url, reconnection: false })];
  try {
    const heard = (peer: NodePeer, text: string) =>
      new Promise<void>((resolve) => {
        const stop = peer.onChat((line) => {
          if (line.text !== text) return;
          stop();
          resolve();
        });
      });
    const bothHeard = Promise.all([heard(a, 'from b'), heard(b, 'from a')]);
    await a.join(name, 'A');
    await b.join(name, 'B');
    // Queued until each side's channel opens: the message arrives only once ICE, DTLS and SCTP are up.
    a.sendChat('from a');
    b.sendChat('from b');
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      bothHeard,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('call not set up in time')), CALL_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    return performance.now() - started;
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/** The reference: two bare socket.io clients join one room and one signal is relayed between them. */
async function signalingOnly(url: string): Promise<number> {
  const name = `ref-${process.pid}-${room++}`;
  const started = performance.now();
  const sockets = [0, 1].map(() =>
    io(url, { transports: ['websocket'], forceNew: true, reconnection: false }),
  );
  try {
    await Promise.all(
      sockets.map((socket) => new Promise((resolve) => socket.once('connect', () => resolve(null)))),
    );
    const [first, second] = sockets as [ReturnType<typeof io>, ReturnType<typeof io>];
    await first.emitWithAck('join', { v: PROTOCOL_VERSION, room: name, name: 'A' });
    const joined: unknown = await second.emitWithAck('join', { v: PROTOCOL_VERSION, room: name, name: 'B' });
    const to = (joined as { peers?: { id: string }[] }).peers?.[0]?.id;
    if (to === undefined) throw new Error('reference join failed');
    const delivered = new Promise((resolve) => first.once('signal', resolve));
    await second.emitWithAck('signal', {
      to,
      signal: { kind: 'description', description: { type: 'offer', sdp: 'v=0' } },
    });
    await delivered;
    return performance.now() - started;
  } finally {
    for (const socket of sockets) socket.close();
  }
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first.');
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-peers-'));
  const server: ChildProcess = spawn(process.execPath, [CLI], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      PARLEY_HTTP: 'true',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_DATA_DIR: dataDir,
      PARLEY_STUN_PORT: '0',
      PARLEY_RESUME_WINDOW_MS: '0',
      // Every peer comes from 127.0.0.1: limits per address would measure themselves.
      PARLEY_MAX_CONNECTIONS_PER_IP: '0',
      PARLEY_MAX_TCP_CONNECTIONS_PER_IP: '0',
      PARLEY_RATE_JOIN_IP: '1000000/1s',
      PARLEY_RATE_SIGNAL_IP: '1000000/1s',
      PARLEY_RATE_ICE_IP: '1000000/1s',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const match = await waitForOutput(server, /http:\/\/localhost:(\d+)/, 'Parley', 20_000);
    const url = `http://127.0.0.1:${match[1]}`;
    process.stderr.write(`real peers against ${url}; load average ${loadavg()[0]?.toFixed(1)}\n`);
    const reference: number[] = [];
    for (let i = 0; i < REFERENCE_RUNS; i++) reference.push(await signalingOnly(url));
    // Warm: werift's first connection pays for loading and compiling.
    await oneCall(url);
    const lines = [
      '| calls at once | calls set up | setups/s | median (ms) | p90 (ms) | failed | median ÷ reference |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| reference: signaling only (2 joins + 1 signal) | ${reference.length} | – | ${median(reference).toFixed(0)} | ${percentile(reference, 90).toFixed(0)} | 0 | 1.00 |`,
    ];
    for (const level of levels) {
      const times: number[] = [];
      let failed = 0;
      const begin = performance.now();
      const end = begin + seconds * 1000;
      await Promise.all(
        Array.from({ length: level }, async () => {
          while (performance.now() < end) {
            try {
              times.push(await oneCall(url));
            } catch {
              failed++;
            }
          }
        }),
      );
      const wall = (performance.now() - begin) / 1000;
      const row = `| ${level} | ${times.length} | ${(times.length / wall).toFixed(1)} | ${median(times).toFixed(0)} | ${percentile(times, 90).toFixed(0)} | ${failed} | ${(median(times) / median(reference)).toFixed(1)} |`;
      lines.push(row);
      process.stderr.write(`${row}\n`);
    }
    process.stdout.write(
      `\n${lines.join('\n')}\n\nEach call: two Node peers (werift) join a room, connect (ICE, DTLS, SCTP) and exchange a data-channel message; ${seconds} s per level, peers and server on this machine (load average ${loadavg()[0]?.toFixed(1)} at the end).\n`,
    );
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
    await rm(dataDir, { recursive: true, force: true });
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    process.stderr.write(
      `bench:signaling (peers): ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
