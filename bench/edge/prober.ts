/**
 * The measuring client of `npm run bench:edge`, run as its own process by run.ts (never by hand).
 *
 * PAIRS rooms of two ("room B"). In a pair, one peer sends a signal (an ICE candidate) to the other, which
 * sends one straight back; a round trip is from the first emit to the reply's arrival, one at a time, the
 * pairs taking turns (so that no socket comes near its own signal limit, as no real call does). After
 * WARMUP round trips, takes argv[3] samples or stops at argv[4] seconds, whichever comes first, and prints
 * them as one JSON line; round trips that fail or go unanswered are counted, not hidden. Each pair is a
 * household of its own: its own address (X-Forwarded-For) in the /24 given as argv[5].
 */
import type { Socket } from 'socket.io-client';
import { candidate, connectClient, joinRoom } from './clients.js';

const PAIRS = 10;
const WARMUP = 500;
/** A round trip not back by then counts as lost. */
const LOST_AFTER_MS = 5_000;

const [url = '', countArg = '1000', secondsArg = '20', network = '198.51.100'] = process.argv.slice(2);
const count = Number(countArg);

interface Pair {
  caller: Socket;
  answerer: Socket;
  answererId: string;
}
/** Rooms of their own for each run, whatever an earlier run left behind. */
const RUN = Math.random().toString(36).slice(2, 8);

async function pair(i: number): Promise<Pair> {
  // Each room is its own household, with an address of its own (argv[5] names the /24).
  const address = `${network}.${10 + i}`;
  const caller = await connectClient(url, address);
  const answerer = await connectClient(url, address);
  await joinRoom(caller, `bench-b-${RUN}-${i}`, 'Caller');
  const answererId = await joinRoom(answerer, `bench-b-${RUN}-${i}`, 'Answerer');
  // The answerer sends every signal straight back.
  answerer.on('signal', (delivery: { from: string }) => {
    answerer.emit('signal', { to: delivery.from, signal: candidate(0) }, () => {});
  });
  return { caller, answerer, answererId };
}

const pairs: Pair[] = [];
for (let i = 0; i < PAIRS; i += 1) pairs.push(await pair(i));

function roundTrip(n: number): Promise<number | undefined> {
  const { caller, answererId } = pairs[n % PAIRS] as Pair;
  return new Promise((resolve) => {
    const started = performance.now();
    const back = () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    };
    const timer = setTimeout(() => {
      caller.off('signal', back);
      resolve(undefined);
    }, LOST_AFTER_MS);
    caller.once('signal', back);
    caller.emit('signal', { to: answererId, signal: candidate(n) }, (answer: { ok?: boolean }) => {
      if (answer.ok === true) return;
      clearTimeout(timer);
      caller.off('signal', back);
      resolve(undefined);
    });
  });
}

for (let i = 0; i < WARMUP; i += 1) await roundTrip(i);
const stopAt = performance.now() + Number(secondsArg) * 1000;
const samples: number[] = [];
let failed = 0;
for (let n = 0; samples.length < count && performance.now() < stopAt; n += 1) {
  const ms = await roundTrip(n);
  if (ms === undefined) failed += 1;
  else samples.push(ms);
}
process.stdout.write(`${JSON.stringify({ samples, failed })}\n`);
// Goodbyes (not dropped connections), so that the rooms are free at once.
for (const { caller, answerer } of pairs) {
  caller.disconnect();
  answerer.disconnect();
}
process.exit(0);
