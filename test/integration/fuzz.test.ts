import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientEventName,
  CLIENT_EVENT_NAMES,
  PROTOCOL_VERSION,
  ackSchema,
} from '../../src/protocol/index.js';
import { type Client, type Inbox, connect, connectRaw, disconnected, join } from './clients.js';
import { metricValue } from '../support/metrics.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { anyValue, eventName, mutated, peerId, validJoin, validSignal } from './harness/fuzz-arbitraries.js';
import { type RawSession, hostHeader, rawFrames, rawSession } from './harness/raw-socket.js';
import { SteadyCall } from './harness/steady-call.js';

/**
 * The fuzz traffic comes from another loopback address than the bystanders' call and the final checks, so
 * that limits the server keeps per client address (requests, connections) and that the fuzz trips are never
 * the bystanders' limits.
 */
const FUZZ_ADDRESS = '127.0.0.2';
/** Generous: the server answers in about a millisecond, but shares two cores with other test runs. */
const ACK_TIMEOUT_MS = 5_000;
/**
 * How much the server's resident memory may grow over the last round of fuzzing (FUZZ_RUNS requests and
 * RAW_RUNS / 2 raw sessions), after the earlier rounds warmed it up. V8 grows its heap in steps and collects
 * lazily, so a few MiB of slack is normal (seen: -10 to +9 MiB); a leak of 7 KiB per fuzzed request would
 * exceed it.
 */
const RSS_GROWTH_BOUND_KIB = 24 * 1024;

/**
 * Runs per property: the whole file then takes 20-30 s on the reference machine (2 shared cores).
 * PARLEY_FUZZ_SCALE multiplies them for a longer hunt (`PARLEY_FUZZ_SCALE=10 npx vitest run …`); a failure
 * prints fast-check's seed and path, which replay it.
 */
const SCALE = Math.max(1, Number(process.env.PARLEY_FUZZ_SCALE) || 1);
const FUZZ_RUNS = 4_000 * SCALE;
const RAW_RUNS = 600 * SCALE;

const TURN_URL = 'turn:turn.example.org:3478';

const RESERVED = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);
type RequestOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
const isClientEvent = (event: string): event is ClientEventName =>
  CLIENT_EVENT_NAMES.some((name) => name === event);

// Each property takes a few seconds alone and up to several times that on two cores shared with other runs.
describe(
  'fuzzing the signaling server (the real `parley` command in a child process)',
  { timeout: 60_000 * SCALE },
  () => {
    let server: ServerProcess;
    let stunPort = 0;
    let idleRss = 0;
    let steady: SteadyCall;
    /** Sockets the fuzz reuses (reconnected if the server cuts one off), and a partner to signal to. */
    const pool = new Map<'lobby' | 'member', Socket>();
    let partner: { socket: Client; inbox: Inbox; id: string };

    /** How often each answer came (`join ok`, `signal BAD_REQUEST`…): the fuzz must reach the handlers. */
    const answers = new Map<string, number>();
    const tally = (answer: string) => answers.set(answer, (answers.get(answer) ?? 0) + 1);

    const memberJoin = { v: PROTOCOL_VERSION, room: 'fuzz-room', name: 'Member' };
    const fuzzSocket = (): Promise<Socket> => connectRaw(server.url, { localAddress: FUZZ_ADDRESS });

    async function pooled(which: 'lobby' | 'member'): Promise<Socket> {
      const existing = pool.get(which);
      if (existing?.connected) return existing;
      existing?.close();
      const socket = await fuzzSocket();
      pool.set(which, socket);
      if (which === 'member') await socket.emitWithAck('join', memberJoin);
      return socket;
    }

    beforeAll(async () => {
      // The STUN responder on (its URL is built from the Host header) and TURN credentials minted on every
      // join and ice request: the fuzz reaches that code too.
      let started: ServerProcess | undefined;
      for (let attempt = 1; started === undefined; attempt++) {
        stunPort = randomInt(20_000, 30_000);
        const args = ['--resume-window-ms', '500', '--stun-port', String(stunPort)];
        args.push('--turn-urls', TURN_URL, '--turn-secret', 'fuzz-secret-0123456789');
        // Request limits far above the fuzz's pace, so that its requests reach the handlers rather than stop
        // at the limiter (which still counts every one; its RATE_LIMITED would be a valid ack all the same).
        for (const event of ['join', 'signal', 'ice'])
          args.push(`--rate-${event}`, '1000000/10s', `--rate-${event}-ip`, '1000000/10s');
        // Likewise the allowance of events per connection, which drops what is past it unanswered.
        args.push('--rate-events', '1000000/10s');
        // A random port may be taken by someone else's test: then the command says so and stops.
        started = await startServerProcess({ args }).catch((error: unknown) => {
          if (attempt >= 5) throw error;
          return undefined;
        });
      }
      server = started;
      idleRss = await server.rssKiB();
      steady = await SteadyCall.start(server.url, 'steady-call');
      const { socket, inbox } = await connect(server.url, { localAddress: FUZZ_ADDRESS });
      partner = { socket, inbox, id: (await join(socket, 'fuzz-room', 'Partner')).self.id };
    }, 30_000);
    afterAll(async () => {
      await steady?.stop(0);
      for (const socket of pool.values()) socket.close();
      partner?.socket.close();
      await server?.stop();
    });

    /** The server process is still there; if not, say what it printed. */
    function expectAlive(): void {
      expect(server.exit, `parley exited:\n${server.output()}`).toBeUndefined();
    }

    // Signals aimed at the partner (relayed when they parse) or at ids that are not in the room.
    const signalPayload = mutated(
      validSignal(fc.oneof(fc.constant('partner'), peerId, fc.string({ maxLength: 40 }))),
    ).map((payload) => [payload.to === 'partner' ? { ...payload, to: partner.id } : payload]);

    /** Mostly a near-valid payload for the event itself (so the handlers run), else anything at all. */
    const argsFor = (event: string): fc.Arbitrary<unknown[]> => {
      const own =
        event === 'join'
          ? fc.tuple(mutated(validJoin))
          : event === 'signal'
            ? signalPayload
            : fc.tuple(mutated(fc.constant({})));
      return fc.oneof(
        { weight: 5, arbitrary: own },
        { weight: 3, arbitrary: fc.tuple(anyValue) },
        // No payload, or extra arguments after it.
        { weight: 1, arbitrary: fc.array(anyValue, { maxLength: 3 }) },
        {
          weight: 1,
          arbitrary: fc.tuple(own, fc.array(anyValue, { maxLength: 2 })).map(([a, b]) => [...a, ...b]),
        },
      );
    };
    const request = fc.record({
      which: fc.constantFrom('lobby' as const, 'member' as const),
      // Mostly with an ack callback: without one the server must stay silent, which says less.
      withAck: fc.oneof(
        { weight: 4, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      call: eventName
        .filter((name) => !RESERVED.has(name))
        .chain((event) => argsFor(event).map((args) => ({ event, args }))),
    });
    /** One request; every answer must be a valid ack of its event, and the socket must still be served. */
    async function fuzzOne({ which, withAck, call }: RequestOf<typeof request>): Promise<void> {
      const { event, args } = call;
      const socket = await pooled(which);
      // Earlier requests may have taken the member out of the partner's room: a signal should find it there.
      if (which === 'member' && event === 'signal') await socket.emitWithAck('join', memberJoin);
      if (!withAck) {
        socket.emit(event, ...args);
      } else if (isClientEvent(event)) {
        const response: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args);
        const parsed = ackSchema(event).safeParse(response);
        expect(parsed.success, `${event} answered ${JSON.stringify(response)?.slice(0, 300)}`).toBe(true);
        if (parsed.success) tally(`${event} ${parsed.data.ok ? 'ok' : parsed.data.error.code}`);
      } else {
        let answered = false;
        socket.emit(event, ...args, () => (answered = true));
        // Unknown events are never answered; the probe below is answered after anything the server did with it.
        await probe(socket);
        expect(answered, `the unknown event ${JSON.stringify(event)} was answered`).toBe(false);
      }
      await probe(socket);
      expectAlive();
    }

    async function probe(socket: Socket): Promise<void> {
      const response: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('ice', {});
      expect(ackSchema('ice').safeParse(response).success, `ice answered ${JSON.stringify(response)}`).toBe(
        true,
      );
    }

    it('answers every client event, however malformed, with a valid protocol ack, and keeps serving', async () => {
      await fc.assert(fc.asyncProperty(request, fuzzOne), { numRuns: FUZZ_RUNS });
      console.log('answers:', Object.fromEntries([...answers].sort()));
      // Valid requests got through to every handler, and malformed ones were refused.
      for (const answer of [
        'join ok',
        'leave ok',
        'signal ok',
        'ice ok',
        'join BAD_REQUEST',
        'signal BAD_REQUEST',
      ])
        expect(answers.get(answer), answer).toBeGreaterThan(0);
      // What the server relayed to the partner parsed as the protocol says (its Inbox checks every event).
      expect(partner.inbox.events.filter((r) => r.event === 'signal').length).toBeGreaterThan(0);
    });

    it('survives garbage on the raw WebSocket: random bytes, broken engine.io and socket.io packets', async () => {
      const sessions: RawSession[] = [];
      await fc.assert(
        fc.asyncProperty(fc.boolean(), rawFrames, hostHeader, async (handshake, frames, host) => {
          const session = await rawSession(server.url, {
            handshake,
            frames,
            host,
            localAddress: FUZZ_ADDRESS,
          });
          sessions.push(session);
          // The connection is served or cut, never left hanging. (Except after `41`, leaving the namespace:
          // socket.io then drops a request that was already on its way, without closing.)
          if (!frames.some((frame) => typeof frame === 'string' && frame.startsWith('41')))
            expect(session.probeAnswered || session.closedByServer, 'neither answered nor closed').toBe(true);
          for (const ack of session.acks) {
            const body = ackBody(ack);
            expect(body, `answered ${ack.slice(0, 300)}`).toBeDefined();
            // Only a bare host name from the Host header may reach the STUN URL; TURN URLs are the configured ones.
            for (const url of iceUrls(body)) {
              const stun = /^stun:[^\s/?#@\\]+:(\d+)$/.exec(url);
              expect(url === TURN_URL || stun?.[1] === String(stunPort), `${url} from Host ${host}`).toBe(
                true,
              );
            }
          }
          expectAlive();
        }),
        { numRuns: RAW_RUNS },
      );
      // The fuzz reached the handlers, not only the parser: some raw requests were answered.
      expect(sessions.some((s) => s.acks.length > 0)).toBe(true);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    it('cuts off a client whose frame exceeds 128 KB, text or binary, and serves everyone else', async () => {
      const oversize = fc.oneof(
        fc.integer({ min: 131_073, max: 1_000_000 }).map((n) => ({ kind: 'text' as const, n })),
        fc.integer({ min: 131_073, max: 1_000_000 }).map((n) => ({ kind: 'binary' as const, n })),
        fc.integer({ min: 131_073, max: 400_000 }).map((n) => ({ kind: 'socket.io name' as const, n })),
        fc.integer({ min: 131_073, max: 400_000 }).map((n) => ({ kind: 'socket.io attachment' as const, n })),
      );
      await fc.assert(
        fc.asyncProperty(oversize, async ({ kind, n }) => {
          if (kind === 'text' || kind === 'binary') {
            const frame = kind === 'text' ? `42["join",{"name":"${'x'.repeat(n)}"}]` : Buffer.alloc(n, 7);
            const session = await rawSession(server.url, {
              handshake: true,
              frames: [frame],
              localAddress: FUZZ_ADDRESS,
            });
            expect(session.closedByServer, `a ${n}-byte ${kind} frame was accepted`).toBe(true);
          } else {
            const socket = await fuzzSocket();
            const gone = disconnected(socket);
            const payload =
              kind === 'socket.io name' ? { v: 1, room: 'r', name: 'x'.repeat(n) } : Buffer.alloc(n);
            socket.emit('join', payload, () => expect.fail('an oversize request was answered'));
            expect(await gone).toBe('transport close');
            socket.close();
          }
          expectAlive();
        }),
        { numRuns: 40 },
      );
      await probe(await pooled('lobby'));
    });

    it('keeps its memory bounded over another round of fuzzing, and frees what the fuzz held', async () => {
      const before = await server.rssKiB();
      await fc.assert(fc.asyncProperty(request, fuzzOne), { numRuns: FUZZ_RUNS });
      await fc.assert(
        fc.asyncProperty(fc.boolean(), rawFrames, async (handshake, frames) => {
          await rawSession(server.url, { handshake, frames, localAddress: FUZZ_ADDRESS });
        }),
        { numRuns: RAW_RUNS / 2 },
      );
      const after = await server.rssKiB();
      console.log(
        `parley RSS: ${mib(idleRss)} MiB idle, ${mib(before)} MiB before and ${mib(after)} MiB after the last round`,
      );
      expect(after - before, `RSS grew from ${before} KiB to ${after} KiB`).toBeLessThan(
        RSS_GROWTH_BOUND_KIB,
      );

      // Once the fuzz's sockets are gone, only the bystanders' call is left: no room or socket was leaked.
      for (const socket of pool.values()) socket.close();
      pool.clear();
      partner.socket.close();
      // The server has no event for "rooms settled": ask its /metrics until they have.
      const settled = { timeout: 10_000, interval: 50 };
      await expect.poll(() => metricValue(server.url, 'parley_connected_sockets'), settled).toBe(2);
      await expect.poll(() => metricValue(server.url, 'parley_rooms'), settled).toBe(1);
      expect(await metricValue(server.url, 'parley_peers_in_calls')).toBe(2);
    });

    it('still answers /healthz and a normal join, and the call in another room never missed a signal', async () => {
      expectAlive();
      // No request made a handler fail (that would have been an INTERNAL ack and an error in the log).
      expect(server.loggedErrors()).toEqual([]);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const ann = await connect(server.url);
      const ben = await connect(server.url);
      await join(ann.socket, 'after-the-fuzz', 'Ann');
      const benId = (await join(ben.socket, 'after-the-fuzz', 'Ben')).self.id;
      expect(
        await ann.socket.emitWithAck('signal', {
          to: benId,
          signal: { kind: 'description', description: { type: 'offer', sdp: 'v=0' } },
        }),
      ).toEqual({ ok: true });
      await ben.inbox.waitFor((r) => r.event === 'signal');
      ann.socket.close();
      ben.socket.close();

      const report = await steady.stop();
      expect(report.refused).toEqual([]);
      expect(report.missing).toEqual([]);
      expect(report.outOfOrder).toBe(0);
      // It ran through every test above, at its steady beat.
      expect(report.sent).toBeGreaterThan(100);
    });
  },
);

/** An ack frame (`43<id>[…]`) that the server sent, if it is valid for one of the client events. */
function ackBody(frame: string): unknown {
  // The id is whatever the server made of the request's (`1e+21` for a huge one); the body is JSON.
  const match = /^43[^[]*(\[.*)$/s.exec(frame);
  if (!match?.[1]) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(match[1]);
  } catch {
    return undefined;
  }
  if (!Array.isArray(body) || body.length !== 1) return undefined;
  return CLIENT_EVENT_NAMES.some((event) => ackSchema(event).safeParse(body[0]).success)
    ? body[0]
    : undefined;
}

/** Every ICE server URL in an ack (join and ice acks carry them). */
function iceUrls(ack: unknown): string[] {
  for (const event of ['join', 'ice'] as const) {
    const parsed = ackSchema(event).safeParse(ack);
    if (parsed.success && parsed.data.ok)
      return parsed.data.iceServers.flatMap((server) =>
        typeof server.urls === 'string' ? [server.urls] : server.urls,
      );
  }
  return [];
}

const mib = (kib: number) => Math.round(kib / 1024);
