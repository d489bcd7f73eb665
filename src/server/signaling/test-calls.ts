import { randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Rate } from '../config/index.js';
import type { EchoPeerHandle, EchoPeerRequest, StartEchoPeer } from '../echo-peers.js';
import type { Logger } from '../logger.js';
import type { SignalingMetrics } from '../metrics.js';
import type { Limited } from './rate-limits.js';

/** How long an echo peer stays: long enough to look, listen and read the verdict; short enough to share. */
export const TEST_CALL_MAX_MS = 60_000;

export interface TestCallSettings {
  /** Test calls at once on this node; 0 turns the feature off. */
  limit: number;
  /** Test calls one address (IPv6: one /64) may start per window. */
  perIp: Rate;
  /** Starts an echo peer; undefined when this server was started without one (no test calls). */
  start: StartEchoPeer | undefined;
  /** This server as its echo peers reach it, known once it listens. */
  self: () => Pick<EchoPeerRequest, 'url' | 'insecure'>;
  maxMs?: number;
}

export type TestCallStart =
  | { ok: true; room: string; password: string; maxMs: number }
  | { ok: false; reason: 'off' | 'busy' | 'failed' }
  | { ok: false; reason: 'rate-limited'; limited: Limited };

/**
 * The echo peers behind Test call: at most `limit` at once, a few per address per window, each in a
 * private room of its own (an unguessable name, locked with a password only the asker is told), ended
 * after `maxMs` or when the socket that asked for it goes away. Counted in /metrics.
 */
export class TestCalls {
  readonly #settings: TestCallSettings;
  readonly #logger: Logger;
  readonly #metrics: SignalingMetrics;
  readonly #perIp: RateLimiterMemory;
  /** Running echo peers (and those starting), by the id of the socket that asked. */
  readonly #running = new Map<string, Promise<EchoPeerHandle | undefined>>();
  #closed = false;

  constructor(settings: TestCallSettings, logger: Logger, metrics: SignalingMetrics) {
    this.#settings = settings;
    this.#logger = logger;
    this.#metrics = metrics;
    this.#perIp = new RateLimiterMemory({ points: settings.perIp.points, duration: settings.perIp.seconds });
  }

  get enabled(): boolean {
    return this.#settings.limit > 0 && this.#settings.start !== undefined && !this.#closed;
  }

  /** Starts an echo peer for `socketId` (replacing one it already has), unless a limit says no. */
  async begin(socketId: string, addressKey: string): Promise<TestCallStart> {
    const start = this.#settings.start;
    if (!this.enabled || !start) return { ok: false, reason: 'off' };
    await this.end(socketId);
    if (this.#running.size >= this.#settings.limit) {
      this.#metrics.testCall('busy');
      return { ok: false, reason: 'busy' };
    }
    try {
      await this.#perIp.consume(addressKey);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      this.#metrics.testCall('rate-limited');
      const limited: Limited = { scope: 'ip', retryAfterMs: Math.max(Math.ceil(error.msBeforeNext), 1) };
      return { ok: false, reason: 'rate-limited', limited };
    }
    const maxMs = this.#settings.maxMs ?? TEST_CALL_MAX_MS;
    const room = `test-call-${randomBytes(12).toString('hex')}`;
    const password = randomBytes(18).toString('base64url');
    const starting = start({ ...this.#settings.self(), room, password, maxMs }).catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'test call: the echo peer did not start');
      return undefined;
    });
    this.#running.set(socketId, starting);
    const handle = await starting;
    if (!handle) {
      this.#running.delete(socketId);
      this.#metrics.testCall('failed');
      return { ok: false, reason: 'failed' };
    }
    this.#metrics.testCall('started');
    this.#metrics.testCallsRunning(1);
    // A backstop: the echo peer ends itself after maxMs from when it joined.
    const timer = setTimeout(() => void handle.stop(), maxMs + 15_000);
    void handle.ended.finally(() => {
      clearTimeout(timer);
      this.#metrics.testCallsRunning(-1);
      if (this.#running.get(socketId) === starting) this.#running.delete(socketId);
    });
    // The socket may have gone while the echo peer was starting.
    if (this.#closed || !this.#running.has(socketId)) void handle.stop();
    return { ok: true, room, password, maxMs };
  }

  /** Ends the echo peer of `socketId`, if it has one (the page left, or asked for another). */
  async end(socketId: string): Promise<void> {
    const running = this.#running.get(socketId);
    if (!running) return;
    this.#running.delete(socketId);
    await (await running)?.stop();
  }

  /** Ends every echo peer (the server is shutting down). */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(all.map(async (running) => (await running)?.stop()));
  }
}
