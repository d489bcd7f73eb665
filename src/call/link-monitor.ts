import { type LinkStats, type RtpCounters, type StatsReportLike, readLinkStats } from './link-stats.js';
import type { MediaCounters, MediaSample, readMediaStats } from './media-stats.js';

/** How often a connected peer's link is read: often enough to follow a change, rare enough to cost nothing. */
export const LINK_POLL_MS = 2_000;

export interface LinkMonitorOptions {
  /** The connection's getStats(); read afresh each time, so it may follow whatever connection is current. */
  getStats: () => Promise<StatsReportLike>;
  /**
   * Each new reading: the path and how well it carries, and what media did since the last reading (once
   * `readMedia` gives a reader).
   */
  onReading: (link: LinkStats, media: MediaSample | undefined) => void;
  /** The media stats reader, loaded with the call's quality adaptation; undefined until then. */
  readMedia?: () => typeof readMediaStats | undefined;
  /** Default {@link LINK_POLL_MS}. */
  intervalMs?: number;
}

/**
 * Reads one peer connection's stats every couple of seconds while it is started: a reading at once, then one
 * per interval, loss measured between consecutive readings. `stop()` forgets the counters, so a restart
 * (after a reconnection) measures afresh. A reading still under way when stopped is thrown away.
 */
export class LinkMonitor {
  readonly #options: LinkMonitorOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #counters: RtpCounters | undefined;
  #mediaCounters: MediaCounters | undefined;
  /** Bumped on every start and stop, so a getStats() that resolves late cannot report into a new run. */
  #run = 0;
  #reading = false;

  constructor(options: LinkMonitorOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Starts reading; does nothing if already started. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#run++;
    this.#counters = undefined;
    this.#mediaCounters = undefined;
    this.#timer = setInterval(() => void this.#read(), this.#options.intervalMs ?? LINK_POLL_MS);
    void this.#read();
  }

  /** Stops reading. Safe to call at any time, and more than once. */
  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#run++;
    this.#counters = undefined;
    this.#mediaCounters = undefined;
  }

  async #read(): Promise<void> {
    // A slow getStats() (a busy machine) skips a beat rather than piling readings up.
    if (this.#reading) return;
    this.#reading = true;
    const run = this.#run;
    try {
      const report = await this.#options.getStats();
      if (run !== this.#run) return;
      const { link, counters } = readLinkStats(report, this.#counters);
      const media = this.#options.readMedia?.()?.(report, this.#mediaCounters);
      this.#counters = counters;
      this.#mediaCounters = media?.counters;
      this.#options.onReading(link, media?.sample);
    } catch {
      // getStats() rejects once the connection is closed; the next phase change stops us anyway.
    } finally {
      this.#reading = false;
    }
  }
}
