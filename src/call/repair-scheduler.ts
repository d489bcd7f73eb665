/**
 * When to repair a broken connection to one peer, and how hard. No WebRTC here: the peer session reports what
 * the RTCPeerConnection says and carries out what this decides, so the decisions can be tested with fake
 * timers.
 *
 * The ladder, mildest first:
 * 1. `disconnected` is often a blip that ICE heals by itself (Chromium keeps checking the selected pair), so
 *    it is only watched: bytes received are sampled, and only when nothing arrives for `stallMs` do we act.
 * 2. `failed`, a stall, or a network change (Wi-Fi to mobile data): an ICE restart (RFC 8445 § 9) through
 *    the usual perfect-negotiation path, with fresh ICE servers. Media goes on over the old pair if it still
 *    works, and DTLS, the data channel and the transceivers are kept.
 * 3. Not connected again within `attemptBoundMs`: the RTCPeerConnection is rebuilt (new connection
 *    generation, new DTLS, new negotiation), which also clears whatever negotiation state was left half done.
 * 4. Still not connected: another restart, then another rebuild, one attempt per bound for as long as the
 *    trouble lasts (an outage of 40 s then ends with an attempt at most one bound old, whose checks are still
 *    running, so the call comes back within about a second of the network). After `fastWindowMs` of trouble
 *    the attempts slow down to one per `slowBoundMs`.
 *
 * The polite side waits `politeDelayMs` longer at every step, so the impolite side normally acts first and
 * the polite one follows its new connection instead of building a second one at the same moment.
 */
export interface RepairTimings {
  /** After `disconnected`, how long with no byte received before an ICE restart. */
  stallMs: number;
  /** How often bytes received are sampled while `disconnected`. */
  sampleMs: number;
  /** How long one attempt (a restart or a rebuild) may take before the next one. */
  attemptBoundMs: number;
  /** Added to every bound on the polite side. */
  politeDelayMs: number;
  /** How long attempts follow each other at `attemptBoundMs`. */
  fastWindowMs: number;
  /** The bound between attempts after that. */
  slowBoundMs: number;
  /** Network changes closer together than this start one restart, not several. */
  networkDebounceMs: number;
}

export const DEFAULT_REPAIR_TIMINGS: RepairTimings = {
  stallMs: 2_000,
  sampleMs: 500,
  attemptBoundMs: 3_000,
  politeDelayMs: 1_000,
  fastWindowMs: 60_000,
  slowBoundMs: 15_000,
  networkDebounceMs: 1_000,
};

export interface RepairActions {
  /** Whether the connection is up now (a restart after a network change may keep it up throughout). */
  isConnected(): boolean;
  /** Whether an ICE restart is possible: the connection has been negotiated once. */
  canRestartIce(): boolean;
  restartIce(): void;
  /** Replaces the RTCPeerConnection with a new one of the next generation, which offers at once. */
  rebuild(): void;
  /** Bytes received over the connection so far (getStats), or undefined when it cannot be told. */
  bytesReceived(): Promise<number | undefined>;
}

export type RepairState =
  /** Connected, or still coming up for the first time: nothing to do. */
  | 'idle'
  /** `disconnected`: sampling bytes received, waiting for either bytes or a stall. */
  | 'watching'
  /** An ICE restart is under way. */
  | 'restarting'
  /** A new RTCPeerConnection (ours or the other side's) is under way. */
  | 'rebuilding';

export class RepairScheduler {
  readonly #actions: RepairActions;
  readonly #timings: RepairTimings;
  #politeDelayMs: number;
  #state: RepairState = 'idle';
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the current trouble began; undefined while connected. */
  #troubleSince: number | undefined;
  #lastNetworkRestart = -Infinity;
  #closed = false;

  constructor(actions: RepairActions, polite: boolean, timings: Partial<RepairTimings> = {}) {
    this.#actions = actions;
    this.#timings = { ...DEFAULT_REPAIR_TIMINGS, ...timings };
    this.#politeDelayMs = polite ? this.#timings.politeDelayMs : 0;
  }

  /** Set once the two peer ids are known, for a connection made before they were (the join's offer). */
  set polite(polite: boolean) {
    this.#politeDelayMs = polite ? this.#timings.politeDelayMs : 0;
  }

  get state(): RepairState {
    return this.#state;
  }

  /** The connection is up: all is forgiven. */
  connected(): void {
    this.#clear();
    this.#state = 'idle';
    this.#troubleSince = undefined;
  }

  /** `disconnected`: watch for a stall, unless an attempt is already under way (its bound will act). */
  disconnected(): void {
    if (this.#closed || this.#state !== 'idle') return;
    this.#troubleSince ??= Date.now();
    this.#state = 'watching';
    void this.#watch();
  }

  /** `failed`: ICE gave up on every pair. Act now, unless an attempt is under way. */
  failed(): void {
    if (this.#closed) return;
    if (this.#state === 'idle' || this.#state === 'watching') this.#attempt();
  }

  /**
   * The device's network changed (the `online` event, `navigator.connection` changed): the pair in use may
   * be gone, and ICE would take seconds to notice. Restart at once, even if the connection looks fine.
   */
  networkChanged(): void {
    if (this.#closed) return;
    const now = Date.now();
    if (now - this.#lastNetworkRestart < this.#timings.networkDebounceMs) return;
    this.#lastNetworkRestart = now;
    // A restart even if one is under way: it was for a network that is gone now.
    this.#attempt(true);
  }

  /**
   * Negotiation may have been lost (signaling came back after an outage) and the connection is not up: act
   * now rather than wait for a bound.
   */
  repairNow(): void {
    if (this.#closed) return;
    this.#attempt();
  }

  /** The other side built a new connection and we followed it: give that the bound before acting. */
  followedRebuild(): void {
    if (this.#closed) return;
    this.#clear();
    this.#troubleSince ??= Date.now();
    this.#state = 'rebuilding';
    this.#arm(this.#bound(), () => this.#boundReached());
  }

  close(): void {
    this.#closed = true;
    this.#clear();
  }

  async #watch(): Promise<void> {
    let last: number | undefined;
    let lastProgress = Date.now();
    const sample = async (): Promise<void> => {
      if (this.#state !== 'watching') return;
      const bytes = await this.#actions.bytesReceived();
      if (this.#state !== 'watching' || this.#closed) return;
      if (bytes !== undefined && last !== undefined && bytes > last) lastProgress = Date.now();
      if (bytes !== undefined) last = bytes;
      if (Date.now() - lastProgress >= this.#timings.stallMs) this.#attempt();
      else this.#arm(this.#timings.sampleMs, () => void sample());
    };
    await sample();
  }

  /**
   * One step up the ladder: an ICE restart if the last step was not one (or `restart` asks for one) and one
   * is possible, else a rebuild.
   */
  #attempt(restart = false): void {
    this.#clear();
    this.#troubleSince ??= Date.now();
    if ((restart || this.#state !== 'restarting') && this.#actions.canRestartIce()) {
      this.#state = 'restarting';
      this.#actions.restartIce();
    } else {
      this.#state = 'rebuilding';
      this.#actions.rebuild();
    }
    this.#arm(this.#bound(), () => this.#boundReached());
  }

  /** An attempt had its time: done if the connection is up (no `connected` event comes if it never went down), else the next step. */
  #boundReached(): void {
    if (this.#actions.isConnected()) this.connected();
    else this.#attempt();
  }

  #bound(): number {
    const troubled = Date.now() - (this.#troubleSince ?? Date.now());
    const base =
      troubled < this.#timings.fastWindowMs ? this.#timings.attemptBoundMs : this.#timings.slowBoundMs;
    return base + this.#politeDelayMs;
  }

  #arm(ms: number, run: () => void): void {
    this.#clear();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed) run();
    }, ms);
  }

  #clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
