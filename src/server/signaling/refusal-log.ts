import type { Logger } from '../logger.js';

/** How often one kind of refusal is logged at most. */
const INTERVAL_MS = 60_000;

/**
 * Logs refusals (foreign origin, too many connections, rate limits) at `warn` without flooding the log:
 * the first refusal of a kind is logged, then at most one line a minute for that kind, saying how many
 * were not logged in between. Every refusal is counted in /metrics regardless.
 *
 * Addresses are not logged: they are personal data, and the logger's rule is none at `info` and above
 * (see logger.ts). The limits themselves count per address in memory only.
 */
export class RefusalLog {
  readonly #seen = new Map<string, { loggedAt: number; unlogged: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** @param kind what was refused and why, from a small fixed set (it is the throttle's key). */
  note(kind: string, fields: Record<string, unknown> = {}): void {
    const at = this.now();
    const entry = this.#seen.get(kind);
    if (entry && at - entry.loggedAt < INTERVAL_MS) {
      entry.unlogged += 1;
      return;
    }
    this.#seen.set(kind, { loggedAt: at, unlogged: 0 });
    this.logger.warn({ refusal: kind, ...fields, unloggedSinceLast: entry?.unlogged ?? 0 }, 'refused');
  }
}
