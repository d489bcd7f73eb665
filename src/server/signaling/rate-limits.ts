import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ClientEventName } from '../../protocol/index.js';
import type { Rate } from '../config/index.js';

/** The requests that are limited: `join` (room places), `signal` (relay work), `ice` (mints TURN credentials). */
export type LimitedEvent = Extract<ClientEventName, 'join' | 'signal' | 'ice'>;

export type RateLimitSettings = Record<LimitedEvent, { socket: Rate; ip: Rate }> & {
  /** TURN credentials minted for the lobby's connectivity check, per address (IPv6: per /64). */
  lobbyIce: Rate;
};

/** A request over its limit: whose limit ran out, and when the next one will be accepted. */
export interface Limited {
  scope: 'socket' | 'ip';
  retryAfterMs: number;
}

const LIMITED_EVENTS: readonly LimitedEvent[] = ['join', 'signal', 'ice'];

function isLimited(event: ClientEventName): event is LimitedEvent {
  return LIMITED_EVENTS.some((limited) => limited === event);
}

/**
 * Fixed-window request limits per connection and per address, with rate-limiter-flexible's in-memory
 * limiter: each node protects itself, so no Redis round trip is added to every signal. A request counts
 * against its connection first; one refused there does not use up the address's allowance, so one noisy
 * tab cannot lock out the rest of an office behind the same NAT.
 */
export class RequestLimits {
  readonly #limiters: Record<LimitedEvent, { socket: RateLimiterMemory; ip: RateLimiterMemory }>;
  readonly #lobbyIce: RateLimiterMemory;

  constructor(settings: RateLimitSettings) {
    const limiter = (rate: Rate) => new RateLimiterMemory({ points: rate.points, duration: rate.seconds });
    this.#limiters = {
      join: { socket: limiter(settings.join.socket), ip: limiter(settings.join.ip) },
      signal: { socket: limiter(settings.signal.socket), ip: limiter(settings.signal.ip) },
      ice: { socket: limiter(settings.ice.socket), ip: limiter(settings.ice.ip) },
    };
    this.#lobbyIce = limiter(settings.lobbyIce);
  }

  /** Spends one lobby TURN credential of this address; undefined when allowed. */
  async takeLobbyIce(addressKey: string): Promise<Limited | undefined> {
    try {
      await this.#lobbyIce.consume(addressKey);
      return undefined;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return { scope: 'ip', retryAfterMs: Math.max(Math.ceil(error.msBeforeNext), 1) };
    }
  }

  /**
   * Spends one request of `event` for this connection and address; undefined when allowed, else which
   * limit refused it. Events that are not limited always pass.
   */
  async take(event: ClientEventName, socketId: string, addressKey: string): Promise<Limited | undefined> {
    if (!isLimited(event)) return undefined;
    const limiters = this.#limiters[event];
    for (const [scope, limiter, key] of [
      ['socket', limiters.socket, socketId],
      ['ip', limiters.ip, addressKey],
    ] as const) {
      try {
        await limiter.consume(key);
      } catch (error) {
        // The memory limiter rejects with a RateLimiterRes when the points ran out, and never otherwise.
        if (!(error instanceof RateLimiterRes)) throw error;
        return { scope, retryAfterMs: Math.max(Math.ceil(error.msBeforeNext), 1) };
      }
    }
    return undefined;
  }

  /** Forgets a connection that closed, so its counters do not outlive it. */
  forget(socketId: string): void {
    for (const event of LIMITED_EVENTS) void this.#limiters[event].socket.delete(socketId);
  }
}
