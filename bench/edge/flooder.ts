/**
 * The flooding client of `npm run bench:edge`, run as its own process by run.ts (never by hand).
 *
 * Joins room A with a target peer and sends `signal` requests to it as fast as it can: it keeps WINDOW
 * requests in flight, sending a new one as each is answered, for BENCH_FLOOD_SECONDS (argv[3]). Prints
 * `flooding` once the flood is under way, then one JSON line: requests answered per second, and how many
 * were relayed and how many refused RATE_LIMITED.
 */
import type { Socket } from 'socket.io-client';
import { candidate, connectClient, joinRoom } from './clients.js';

/** Requests in flight at once: enough to keep the server's socket busy without piling up in memory. */
const WINDOW = 1_000;

const [url = '', secondsArg = '10'] = process.argv.slice(2);
const seconds = Number(secondsArg);

const target = await connectClient(url, '192.0.2.1');
const targetId = await joinRoom(target, 'bench-room-a', 'Target');
const flooder: Socket = await connectClient(url, '192.0.2.1');
await joinRoom(flooder, 'bench-room-a', 'Flooder');

let sent = 0;
let relayed = 0;
let limited = 0;
let other = 0;
const endAt = performance.now() + seconds * 1000;
const startedAt = performance.now();

let disconnected: string | undefined;
await new Promise<void>((resolve) => {
  // The server may end the flood itself (it is not expected to); then the figures so far are the result.
  flooder.once('disconnect', (reason) => {
    disconnected = reason;
    resolve();
  });
  let inFlight = 0;
  const send = () => {
    if (performance.now() >= endAt) {
      if (inFlight === 0) resolve();
      return;
    }
    inFlight += 1;
    sent += 1;
    flooder.emit('signal', { to: targetId, signal: candidate(sent) }, (answer: unknown) => {
      inFlight -= 1;
      const ok = typeof answer === 'object' && answer !== null && 'ok' in answer && answer.ok === true;
      const code = JSON.stringify(answer).includes('"RATE_LIMITED"');
      if (ok) relayed += 1;
      else if (code) limited += 1;
      else other += 1;
      send();
    });
  };
  for (let i = 0; i < WINDOW; i += 1) send();
  process.stderr.write('flooding\n');
});

const elapsed = (performance.now() - startedAt) / 1000;
process.stdout.write(
  `${JSON.stringify({ answeredPerSecond: (relayed + limited + other) / elapsed, relayed, limited, other, seconds: elapsed, disconnected })}\n`,
);
flooder.close();
process.exit(0);
