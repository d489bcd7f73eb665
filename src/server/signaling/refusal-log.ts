import type { Logger } from '../logger.js';

/** How often one kind of refusal from one address is logged at most. */
const INTERVAL_MS = 60_000;
/** Addresses remembered at most; past that the memory starts again, so a spread-out flood cannot grow it. */
const MAX_KEYS = 10_000;

/**
 * Logs refusals (foreign origin, too many connections, rate limits) at `warn` without flooding the log:
 * the first refusal of a kind from an address is logged, then at most one line a minute for that pair,
 * saying how many were not logged in between. Every refusal is counted in /metrics regardless.
 *
 * These are the only lines at `info` or above that name an address: an operator needs it to act on abuse,
 * and people using Parley normally never appear in them.
 */
export class RefusalLog {
  readonly #seen = new Map<string, { loggedAt: number; unlogged: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  note(kind: string, address: string, fields: Record<string, unknown> = {}): void {
    const key = `${kind} ${address}`;
    const at = this.now();
    const entry = this.#seen.get(key);
    if (entry && at - entry.loggedAt < INTERVAL_MS) {
      entry.unlogged += 1;
      return;
    }
    if (!entry && this.#seen.size >= MAX_KEYS) this.#seen.clear();
    const unlogged = entry?.unlogged ?? 0;
    this.#seen.set(key, { loggedAt: at, unlogged: 0 });
    this.logger.warn({ refusal: kind, address, ...fields, unloggedSinceLast: unlogged }, 'refused');
  }
}
