import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * scrypt runs on libuv's thread pool (four threads by default), which also reads files, resolves names
 * and compresses. Hashes run {@link CONCURRENT_HASHES} at a time, so that half the pool is always free;
 * at most {@link QUEUED_HASHES} wait, and a join beyond that is refused (RATE_LIMITED) rather than left
 * waiting. Each address may start {@link HASHES_PER_ADDRESS} hashing joins (opening a locked room, or
 * entering one) a minute: the join limits alone would let one address keep the pool busy.
 */
export const CONCURRENT_HASHES = 2;
export const QUEUED_HASHES = 16;
export const HASHES_PER_ADDRESS = 20;
const HASH_WINDOW_S = 60;
/** What a refused hash tells the client to wait, when the queue was full. */
const BUSY_RETRY_MS = 2_000;

export type HashAdmission = { ok: true } | { ok: false; why: 'busy' | 'budget'; retryAfterMs: number };

export class PasswordHashing {
  readonly #budget = new RateLimiterMemory({ points: HASHES_PER_ADDRESS, duration: HASH_WINDOW_S });
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  /**
   * Runs `hash` for a client at `addressKey` when a slot is free, or says why not. The address's budget is
   * spent first, so a refused queue place does not cost it.
   */
  async run<T>(
    addressKey: string,
    hash: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | Exclude<HashAdmission, { ok: true }>> {
    if (this.#running >= CONCURRENT_HASHES && this.#waiting.length >= QUEUED_HASHES) {
      return { ok: false, why: 'busy', retryAfterMs: BUSY_RETRY_MS };
    }
    try {
      await this.#budget.consume(addressKey);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { ok: false, why: 'budget', retryAfterMs: rejection.msBeforeNext };
    }
    if (this.#running >= CONCURRENT_HASHES) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#running += 1;
    try {
      return { ok: true, value: await hash() };
    } finally {
      this.#running -= 1;
      this.#waiting.shift()?.();
    }
  }
}
