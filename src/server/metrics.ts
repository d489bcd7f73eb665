import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorCode, Signal } from '../protocol/index.js';

/** What became of a request for a Test call. */
export type TestCallOutcome = 'started' | 'busy' | 'rate-limited' | 'failed';

/**
 * What the signaling gateway counts. Handlers call this small interface, never prom-client, so that the
 * gateway does not depend on how (or whether) the numbers are exported.
 */
export interface SignalingMetrics {
  /** A join was answered (admitted or refused) after `seconds` in its handler. */
  joinHandled(seconds: number): void;
  /** A signal was relayed to its peer. */
  signalRelayed(kind: Signal['kind']): void;
  /** A client event was answered with an error. */
  rejected(code: ErrorCode): void;
  /** TURN credentials were minted for a joiner. */
  turnCredentialsIssued(): void;
  /** A connection was refused at the handshake, before it became a socket. */
  handshakeRefused(reason: HandshakeRefusal): void;
  /** A request was answered RATE_LIMITED by the limit of its connection or of its address. */
  rateLimited(event: string, scope: 'socket' | 'ip'): void;
  /** A Test call was asked for: started, or refused (busy, rate-limited, failed to start). */
  testCall(outcome: TestCallOutcome): void;
  /** Test calls (echo peers) running now changed by `delta`. */
  testCallsRunning(delta: 1 | -1): void;
}

/** Why a handshake was refused: a foreign page, too many connections from one address, or closing. */
export type HandshakeRefusal = 'origin' | 'connection-limit' | 'shutting-down';

/** Counts nothing: for gateways started without metrics (unit tests, embedding). */
export const NO_METRICS: SignalingMetrics = {
  joinHandled() {},
  signalRelayed() {},
  rejected() {},
  turnCredentialsIssued() {},
  handshakeRefused() {},
  rateLimited() {},
  testCall() {},
  testCallsRunning() {},
};

/** Where the gauges read their values when scraped. */
export interface MetricSources {
  /** Sockets connected to this node. */
  sockets(): number;
  /** Rooms with members, across every node (from the room registry); may reject when Redis is away. */
  rooms(): Promise<number>;
  /** People in a call whose connection is on this node. */
  peers(): number;
}

/**
 * The Prometheus metrics of one server. A registry of its own (not prom-client's global one), so that
 * several servers in one process (tests) do not share or clash over metrics.
 */
export class Metrics implements SignalingMetrics {
  readonly registry = new Registry();
  readonly #joinSeconds: Histogram;
  readonly #relayed: Counter<'kind'>;
  readonly #rejected: Counter<'code'>;
  readonly #turnCredentials: Counter;
  readonly #refusedHandshakes: Counter<'reason'>;
  readonly #rateLimited: Counter<'event' | 'scope'>;
  readonly #testCalls: Counter<'outcome'>;
  readonly #testCallsRunning: Gauge;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'parley_connected_sockets',
      help: 'Signaling connections open on this node',
      registers,
      collect() {
        this.set(sources.sockets());
      },
    });
    new Gauge({
      name: 'parley_rooms',
      help: 'Rooms with at least one person, across all nodes',
      registers,
      async collect() {
        // Without the registry (Redis away) the other metrics still matter: the room count is unknown (NaN),
        // not zero, and /readyz reports the outage.
        const rooms = await sources.rooms().catch(() => Number.NaN);
        this.set(rooms);
      },
    });
    new Gauge({
      name: 'parley_peers_in_calls',
      help: 'People in a room whose connection is on this node',
      registers,
      collect() {
        this.set(sources.peers());
      },
    });
    this.#relayed = new Counter({
      name: 'parley_signals_relayed_total',
      help: 'Negotiation messages relayed to a peer, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.#rejected = new Counter({
      name: 'parley_rejected_events_total',
      help: 'Client events answered with an error, by error code',
      labelNames: ['code'],
      registers,
    });
    this.#turnCredentials = new Counter({
      name: 'parley_turn_credentials_issued_total',
      help: 'TURN credentials minted for people joining',
      registers,
    });
    this.#refusedHandshakes = new Counter({
      name: 'parley_refused_handshakes_total',
      help: 'Signaling connections refused at the handshake, by reason (origin, connection-limit, shutting-down)',
      labelNames: ['reason'],
      registers,
    });
    this.#rateLimited = new Counter({
      name: 'parley_rate_limited_total',
      help: 'Requests answered RATE_LIMITED, by event and by whose limit (socket or ip) ran out',
      labelNames: ['event', 'scope'],
      registers,
    });
    this.#testCalls = new Counter({
      name: 'parley_test_calls_total',
      help: 'Test calls asked for, by outcome (started, busy, rate-limited, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.#testCallsRunning = new Gauge({
      name: 'parley_test_calls_running',
      help: 'Echo peers of Test calls running on this node now',
      registers,
    });
    // Joins take one or a few Redis round trips; the buckets span loopback to a slow, distant Redis.
    this.#joinSeconds = new Histogram({
      name: 'parley_join_duration_seconds',
      help: 'Time spent handling a join request',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
  }

  joinHandled(seconds: number): void {
    this.#joinSeconds.observe(seconds);
  }

  signalRelayed(kind: Signal['kind']): void {
    this.#relayed.inc({ kind });
  }

  rejected(code: ErrorCode): void {
    this.#rejected.inc({ code });
  }

  turnCredentialsIssued(): void {
    this.#turnCredentials.inc();
  }

  handshakeRefused(reason: HandshakeRefusal): void {
    this.#refusedHandshakes.inc({ reason });
  }

  rateLimited(event: string, scope: 'socket' | 'ip'): void {
    this.#rateLimited.inc({ event, scope });
  }

  testCall(outcome: TestCallOutcome): void {
    this.#testCalls.inc({ outcome });
  }

  testCallsRunning(delta: 1 | -1): void {
    this.#testCallsRunning.inc(delta);
  }
}
