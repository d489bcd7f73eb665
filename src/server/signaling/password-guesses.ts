import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { RoomName } from '../../protocol/index.js';
import type { RedisClient } from '../redis.js';

/** How many password checks one client address may fail for one room, within how long. */
export interface PasswordGuessLimit {
  /** Wrong passwords allowed per address and room before every check is refused. */
  readonly guesses: number;
  /** The window, in whole seconds; it starts at the first wrong guess and does not slide. */
  readonly windowSeconds: number;
}

/**
 * Ten wrong guesses per address, room and ten minutes: plenty for someone who mistyped, and at most 1,440 a
 * day for someone guessing, each one costing them a scrypt hash's wait.
 */
export const DEFAULT_PASSWORD_GUESS_LIMIT: PasswordGuessLimit = { guesses: 10, windowSeconds: 600 };

export type GuessTicket =
  { ok: true; settle(right: boolean): Promise<void> } | { ok: false; retryAfterMs: number };

/**
 * Counts wrong room passwords per client address and room (rate-limiter-flexible). With several nodes the
 * count is kept in their shared Redis, so that guesses spread over the nodes add up; should Redis fail, each
 * node goes on counting in its own memory rather than refusing every password. A check takes a point before
 * the hash is computed, so that simultaneous guesses from one address cannot all slip under the limit; a
 * right password gives the point back. Over the limit, every check is refused, the right password included,
 * until the window ends.
 */
export class PasswordGuesses {
  readonly limit: PasswordGuessLimit;
  readonly #limiter: RateLimiterAbstract;

  /** @param redis the nodes' shared Redis; without it, this process counts alone. */
  constructor(limit: PasswordGuessLimit = DEFAULT_PASSWORD_GUESS_LIMIT, redis?: RedisClient) {
    if (!Number.isSafeInteger(limit.guesses) || limit.guesses < 1) {
      throw new TypeError(`guesses must be a positive integer (got ${limit.guesses})`);
    }
    if (!Number.isSafeInteger(limit.windowSeconds) || limit.windowSeconds < 1) {
      throw new TypeError(`windowSeconds must be a positive integer (got ${limit.windowSeconds})`);
    }
    this.limit = limit;
    const window = { points: limit.guesses, duration: limit.windowSeconds };
    const memory = new RateLimiterMemory(window);
    this.#limiter = redis
      ? new RateLimiterRedis({
          ...window,
          storeClient: redis,
          // node-redis (v4 and later), not ioredis: https://github.com/animir/node-rate-limiter-flexible/wiki/Redis
          useRedisPackage: true,
          keyPrefix: 'parley:password-guesses',
          insuranceLimiter: memory,
        })
      : memory;
  }

  /**
   * Asks to check a password for `room` from `address`. When allowed, call `settle` with the outcome once
   * the password has been checked.
   */
  async begin(address: string, room: RoomName): Promise<GuessTicket> {
    const key = `${room}|${address}`;
    try {
      await this.#limiter.consume(key);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return { ok: false, retryAfterMs: refusal.msBeforeNext };
      throw refusal;
    }
    return {
      ok: true,
      settle: async (right) => {
        if (right) await this.#limiter.reward(key);
      },
    };
  }
}
