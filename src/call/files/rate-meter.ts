/** How far back the rate looks: long enough to smooth a stall, short enough to follow a change. */
const WINDOW_MS = 3000;

/** Bytes per second over the last few seconds, from (time, total bytes) readings. */
export class RateMeter {
  readonly #samples: { at: number; bytes: number }[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Records that `bytes` bytes (a running total) are done now. */
  record(bytes: number): void {
    const at = this.now();
    // Hundreds of readings a second while bytes move: the latest replaces the one before it until a tenth
    // of a second has passed since the one before that, which is plenty for a rate.
    const samples = this.#samples;
    if (samples.length > 1 && at - samples.at(-2)!.at < 100) samples[samples.length - 1] = { at, bytes };
    else samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[1]!.at > WINDOW_MS) this.#samples.shift();
  }

  /** Bytes per second, or undefined before there are two readings far enough apart to tell. */
  get bytesPerSecond(): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 250) return undefined;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  /** Seconds until `total` at the current rate; undefined while the rate is unknown or nil. */
  secondsLeft(total: number): number | undefined {
    const rate = this.bytesPerSecond;
    const done = this.#samples.at(-1)?.bytes ?? 0;
    return rate ? Math.max(0, (total - done) / rate) : undefined;
  }

  /** Forgets the readings: after a pause the old rate says nothing. */
  reset(): void {
    this.#samples.length = 0;
  }
}
