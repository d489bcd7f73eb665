/**
 * The load generator of `npm run bench:signaling`, run as its own process by run.ts (never by hand).
 *
 * Opens rooms of two over socket.io (WebSocket only), ramps the number of connected sockets through the
 * plan's levels, and at each level sends signaling at rising target rates. Each pair's traffic is one
 * call's burst in order: an offer (~4 KB SDP), an answer, then ten ICE candidates each way. Against Parley
 * that is its real protocol (`join` with PROTOCOL_VERSION, `signal` to the other peer, acknowledged);
 * against the bare relay the same payloads as its `m` event. Relay latency is from the sender's emit to
 * the receiver's event, both in this process, so it includes this process's own event-loop delay.
 *
 * Input: the plan as JSON in BENCH_PLAN. Output: progress on stderr, one JSON line of results on stdout.
 * Then it waits, sockets held, until run.ts stops it, so that the servers close first.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { type Socket, io } from 'socket.io-client';
import * as z from 'zod/mini';
import { PROTOCOL_VERSION, type Signal } from '../../src/protocol/index.js';
import { percentile } from '../stats.js';
import { type LevelResult, LoadPlan, type LoadResult, type StepResult } from './plan.js';

const PASS_FRACTION = 0.95;
const PASS_P99_MS = 50;
const CANDIDATES_EACH_WAY = 10;
const BURST = 2 + 2 * CANDIDATES_EACH_WAY;
const CONNECT_CONCURRENCY = 200;
const CONNECT_TIMEOUT_MS = 20_000;
const DRAIN_MS = 2_000;
const TICK_MS = 2;
const WARMUP_SECONDS = 2;
const HOLD_MS = 60_000;
/** Send times by sequence number, in a ring big enough for any one step. */
const RING = 1 << 22;

const sentAt = new Float64Array(RING);
let seq = 0;
let stepFirstSeq = Number.POSITIVE_INFINITY;
let stepLatencies: number[] = [];
let stepLastDelivery = 0;
let ackErrors = 0;
/** Where the next message is in the round of bursts, carried over from step to step. */
let cursor = 0;

/** The sequence number travels in fields every real offer and candidate has: `o=` and the foundation. */
const SEQ_IN = /^(?:v=0\r\no=- |candidate:)(\d+) /;

function received(text: string): void {
  const now = performance.now();
  const match = SEQ_IN.exec(text);
  if (!match?.[1]) return;
  const n = Number(match[1]);
  if (n < stepFirstSeq) return;
  stepLatencies.push(now - (sentAt[n % RING] ?? now));
  stepLastDelivery = now;
}

/** A ~4 KB SDP of audio, video and a data channel, shaped like Chromium's. */
function sdp(n: number, type: 'offer' | 'answer'): string {
  const lines = [
    'v=0',
    `o=- ${n} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1 2',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS stream',
  ];
  const media = [
    ['audio', '111 63 9 0 8 13 110 126'],
    ['video', '96 97 102 103 104 105 106 107 108 109 127 125 39 40 45 46 98 99 100 101 112 113 116 117 118'],
  ] as const;
  media.forEach(([kind, payloads], mid) => {
    lines.push(
      `m=${kind} 9 UDP/TLS/RTP/SAVPF ${payloads}`,
      'c=IN IP4 0.0.0.0',
      'a=rtcp:9 IN IP4 0.0.0.0',
      'a=ice-ufrag:Xk3c',
      'a=ice-pwd:2uXcxa5TCkAaFM4yhEWzMiqN',
      'a=ice-options:trickle',
      'a=fingerprint:sha-256 9E:2A:61:3C:0F:7B:55:D4:8A:19:C2:E0:43:71:BB:0D:6E:92:A8:F1:3D:57:C6:24:89:0A:BE:D3:16:F8:42:7C',
      `a=setup:${type === 'offer' ? 'actpass' : 'active'}`,
      `a=mid:${mid}`,
      'a=sendrecv',
      `a=msid:stream ${kind}-track`,
      'a=rtcp-mux',
    );
    for (const pt of payloads.split(' ')) {
      lines.push(
        `a=rtpmap:${pt} ${kind === 'audio' ? 'opus/48000/2' : 'VP8/90000'}`,
        `a=rtcp-fb:${pt} transport-cc`,
        `a=fmtp:${pt} minptime=10;useinbandfec=1`,
      );
    }
    lines.push(`a=ssrc:${1000 + mid} cname:benchcname${mid}`);
  });
  lines.push(
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    'a=mid:2',
    'a=sctp-port:5000',
    'a=max-message-size:262144',
  );
  return `${lines.join('\r\n')}\r\n`;
}

const OFFER_BODY = sdp(0, 'offer').slice('v=0\r\no=- 0 '.length);
const ANSWER_BODY = sdp(0, 'answer').slice('v=0\r\no=- 0 '.length);

/** Message `k` of a burst (0: offer, 1: answer, then candidates alternating), numbered `n`. */
function burstSignal(k: number, n: number): Signal {
  if (k === 0)
    return { kind: 'description', description: { type: 'offer', sdp: `v=0\r\no=- ${n} ${OFFER_BODY}` } };
  if (k === 1)
    return { kind: 'description', description: { type: 'answer', sdp: `v=0\r\no=- ${n} ${ANSWER_BODY}` } };
  return {
    kind: 'candidate',
    candidate: {
      candidate: `candidate:${n} 1 udp 2122260223 192.168.1.${k} ${50000 + k} typ host generation 0 ufrag Xk3c network-id 1`,
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: 'Xk3c',
    },
  };
}

interface Peer {
  socket: Socket;
  id: string;
}
interface Pair {
  a: Peer;
  b: Peer;
}

const JoinAck = z.object({ ok: z.literal(true), self: z.object({ id: z.string() }) });

function connect(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: CONNECT_TIMEOUT_MS,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function joinAs(plan: LoadPlan, url: string, room: string, name: string): Promise<Peer> {
  const socket = await connect(url);
  if (plan.mode === 'bare') {
    await socket.timeout(CONNECT_TIMEOUT_MS).emitWithAck('join', room);
    socket.on('m', (payload: unknown) => onDelivery(payload));
    return { socket, id: name };
  }
  const ack: unknown = await socket
    .timeout(CONNECT_TIMEOUT_MS)
    .emitWithAck('join', { v: PROTOCOL_VERSION, room, name });
  const parsed = JoinAck.safeParse(ack);
  if (!parsed.success) throw new Error(`join refused: ${JSON.stringify(ack)}`);
  socket.on('signal', (payload: unknown) => onDelivery(payload));
  return { socket, id: parsed.data.self.id };
}

const Delivery = z.object({
  signal: z.union([
    z.object({ description: z.object({ sdp: z.string() }) }),
    z.object({ candidate: z.object({ candidate: z.string() }) }),
  ]),
});

function onDelivery(payload: unknown): void {
  const parsed = Delivery.safeParse(payload);
  if (!parsed.success) return;
  const { signal } = parsed.data;
  received('description' in signal ? signal.description.sdp : signal.candidate.candidate);
}

/** Opens pairs until `pairs` holds `wanted` of them; throws on the first failure (what was opened stays). */
async function openPairs(plan: LoadPlan, pairs: Pair[], wanted: number): Promise<void> {
  let next = pairs.length;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < wanted && Date.now() < plan.deadline) {
      const i = next++;
      const urlA = plan.urls[i % plan.urls.length] ?? '';
      // With two servers, every other pair of pairs crosses between them.
      const urlB = plan.urls[(i + (i >> 1)) % plan.urls.length] ?? '';
      try {
        const room = `bench-${i}`;
        const a = await joinAs(plan, urlA, room, 'Alice');
        const b = await joinAs(plan, urlB, room, 'Bob');
        pairs.push({ a, b });
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error('connect failed');
  if (pairs.length < wanted) throw new Error('time ran out while connecting');
}

function rssKb(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  }
  return total;
}

/** CPU time (user + system) of the processes, in clock ticks. */
function cpuTicks(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    // Fields after the command name, which is in parentheses and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += Number(fields[11]) + Number(fields[12]);
  }
  return total;
}
const TICKS_PER_SECOND = 100;

/** Busy and total jiffies of each core, from /proc/stat: what everyone on the machine used, not just us. */
function coreTimes(): { busy: number; total: number }[] {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const values = line.trim().split(/\s+/).slice(1).map(Number);
      const total = values.reduce((sum, v) => sum + v, 0);
      // idle and iowait
      return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runStep(
  plan: LoadPlan,
  pairs: Pair[],
  target: number,
  seconds = plan.seconds,
): Promise<StepResult> {
  const sockets = pairs.length * 2;
  stepLatencies = [];
  stepFirstSeq = seq;
  ackErrors = 0;
  const durationMs = seconds * 1000;
  const cpuBefore = cpuTicks(plan.serverPids);
  const coresBefore = coreTimes();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const loadBefore = process.cpuUsage();
  const start = performance.now();
  stepLastDelivery = start;
  let sent = 0;
  const onAck = (response: unknown) => {
    if (typeof response !== 'object' || response === null || !('ok' in response) || response.ok !== true)
      ackErrors++;
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.floor((Math.min(elapsed, durationMs) / 1000) * target) - sent;
      for (let i = 0; i < due; i++) {
        // One pair's whole burst, then the next pair's: every step carries the same mix of offers,
        // answers and candidates, however many pairs there are.
        const pair = pairs[Math.floor(cursor / BURST) % pairs.length];
        const k = cursor % BURST;
        cursor++;
        if (!pair) continue;
        // Offer from A, answer from B, then candidates alternating, A first.
        const fromA = k === 0 || (k >= 2 && k % 2 === 0);
        const [from, to] = fromA ? [pair.a, pair.b] : [pair.b, pair.a];
        const n = seq++;
        const signal = burstSignal(k, n);
        sentAt[n % RING] = performance.now();
        if (plan.mode === 'parley') from.socket.emit('signal', { to: to.id, signal }, onAck);
        else from.socket.emit('m', { to: to.id, signal }, onAck);
        sent++;
      }
      if (elapsed >= durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const sendEnd = performance.now();
  while (stepLatencies.length < sent && performance.now() - sendEnd < DRAIN_MS) await sleep(20);
  const serverCpu = (cpuTicks(plan.serverPids) - cpuBefore) / TICKS_PER_SECOND;
  loop.disable();
  const coresBusy = coreTimes().map((after, i) => {
    const before = coresBefore[i] ?? { busy: 0, total: 0 };
    return (after.busy - before.busy) / Math.max(1, after.total - before.total);
  });
  const load = process.cpuUsage(loadBefore);
  const wall = (performance.now() - start) / 1000;
  const delivered = stepLatencies.length;
  const lost = sent - delivered;
  // Messages never delivered count as slower than any that were.
  const latencies = lost > 0 ? [...stepLatencies, ...Array<number>(lost).fill(Infinity)] : stepLatencies;
  // JSON has no Infinity: null stands for "not delivered".
  const finite = (n: number) => (Number.isFinite(n) ? n : null);
  const p50 = finite(percentile(latencies, 50));
  const p99 = finite(percentile(latencies, 99));
  const achieved = delivered / Math.max(seconds, (stepLastDelivery - start) / 1000);
  stepFirstSeq = Number.POSITIVE_INFINITY;
  return {
    sockets,
    target,
    sentPerSecond: sent / seconds,
    achieved,
    p50,
    p99,
    lost,
    errors: ackErrors,
    serverCpu: serverCpu / wall,
    loadCpu: (load.user + load.system) / 1e6 / wall,
    loadLoopP99: loop.percentile(99) / 1e6,
    coresBusy,
    pass: achieved >= PASS_FRACTION * target && p99 !== null && p99 < PASS_P99_MS && ackErrors === 0,
  };
}

function log(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

async function main(): Promise<void> {
  const plan = LoadPlan.parse(JSON.parse(process.env.BENCH_PLAN ?? ''));
  const idleRssKb = rssKb(plan.serverPids);
  const pairs: Pair[] = [];
  const levels: LevelResult[] = [];
  let stoppedBy = 'all levels done';
  for (const wanted of plan.levels) {
    if (Date.now() >= plan.deadline) {
      stoppedBy = 'time budget';
      break;
    }
    const connectStart = performance.now();
    let connectError: string | undefined;
    try {
      await openPairs(plan, pairs, wanted / 2);
    } catch (error) {
      connectError = error instanceof Error ? error.message : String(error);
    }
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const sockets = pairs.length * 2;
    // Let the server settle (and the sockets' first pings pass) before reading its memory.
    await sleep(1000);
    const rssPerSocketKb = sockets > 0 ? (rssKb(plan.serverPids) - idleRssKb) / sockets : Number.NaN;
    log(
      `${sockets} sockets (wanted ${wanted}) in ${connectSeconds.toFixed(1)} s, ` +
        `${rssPerSocketKb.toFixed(1)} KB RSS each${connectError ? `; connect failed: ${connectError}` : ''}`,
    );
    if (levels.length === 0 && pairs.length > 0) {
      // Unmeasured: the first second of traffic pays for both processes' JIT compilation.
      await runStep(plan, pairs, plan.rates[0] ?? 1000, WARMUP_SECONDS);
    }
    const level: LevelResult = { wanted, sockets, connectSeconds, rssPerSocketKb, steps: [] };
    if (connectError !== undefined) level.connectError = connectError;
    levels.push(level);
    for (const target of plan.rates) {
      if (Date.now() >= plan.deadline) break;
      const step = await runStep(plan, pairs, target);
      level.steps.push(step);
      log(
        `  ${target} msg/s: sent ${step.sentPerSecond.toFixed(0)}, delivered ${step.achieved.toFixed(0)}/s, ` +
          `p50 ${step.p50?.toFixed(1) ?? '–'} ms, p99 ${step.p99?.toFixed(1) ?? '–'} ms, lost ${step.lost}, errors ${step.errors}, ` +
          `server CPU ${(step.serverCpu * 100).toFixed(0)}%, load CPU ${(step.loadCpu * 100).toFixed(0)}% ` +
          `(cores busy ${step.coresBusy.map((b) => `${(b * 100).toFixed(0)}%`).join('/')}, ` +
          `load loop delay p99 ${step.loadLoopP99.toFixed(0)} ms) ` +
          `${step.pass ? 'pass' : 'FAIL'}`,
      );
      if (!step.pass) break;
    }
    if (connectError !== undefined) {
      stoppedBy = `connect failed at ${sockets} sockets: ${connectError}`;
      break;
    }
  }
  if (stoppedBy === 'all levels done' && levels.length < plan.levels.length) stoppedBy = 'time budget';
  const result: LoadResult = { idleRssKb, levels, stoppedBy };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // Hold the sockets until run.ts stops the servers and then this process; should run.ts be gone, give up
  // after a minute all the same.
  setTimeout(() => process.exit(0), HOLD_MS);
}

main().catch((error: unknown) => {
  process.stderr.write(`load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
