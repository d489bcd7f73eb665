import { RTCPeerConnection as WeriftRTCPeerConnection, type RTCPeerConnectionConfig } from 'werift';

/**
 * werift's RTCPeerConnection, made to behave like a browser's where Parley's call logic (`src/call/`, written
 * against the W3C API) depends on it. werift 0.24.4 connects to Chromium and Firefox, but differs in three
 * ways that break perfect negotiation and repairs; each is worked around here, and nothing else is changed:
 *
 * 1. **Candidates before their description.** werift gathers inside `setLocalDescription` and emits
 *    `icecandidate` before that call resolves, so a candidate reaches the other side before the offer or
 *    answer it belongs to (the browser then rejects it: no remote description yet). Candidates emitted while
 *    `setLocalDescription` runs are held and emitted once the caller has had its turn to send the
 *    description (`setImmediate`, after the promise's continuations).
 * 2. **`negotiationneeded` at the wrong moment, and several at once.** werift schedules one event per
 *    `addTrack`/`addTransceiver`/`createDataChannel`, so an offerer adding a camera, a microphone and a data
 *    channel fires three. It also fires for the transceivers a remote offer creates (while
 *    `setRemoteDescription` runs, when the state is still `stable`: the answerer then makes an offer of its
 *    own instead of its answer), and once more after answering for the tracks the answer already carries.
 *    And it clears its "already fired" flag only in `setRemoteDescription`, so after a rollback (what
 *    perfect negotiation does before an ICE restart) the next need is swallowed and `restartIce()` does
 *    nothing. Here the event is fired at most once per turn of the event loop, only in the `stable` state
 *    (once it is reached again, if it is not), never for the remote's transceivers or for what the coming
 *    answer covers, and werift's flag is cleared each time, as the spec's "update the negotiation-needed
 *    flag" would (https://w3c.github.io/webrtc-pc/#updating-the-negotiation-needed-flag).
 * 3. **Tracks reported again.** werift fires `track` for every receiving transceiver on each
 *    `setRemoteDescription`, not only for new ones; a track already reported is not reported again
 *    (https://w3c.github.io/webrtc-pc/#process-remote-track-addition fires once per track).
 *
 * Its events are those of a Node EventEmitter with `addEventListener` on top, which is all `src/call/` uses.
 */
export class WeriftPeerConnection extends WeriftRTCPeerConnection {
  /** Set while `setLocalDescription` runs: candidates wait for the description (quirk 1). */
  #settingLocal = 0;
  #heldCandidates: unknown[][] = [];
  /** A `negotiationneeded` is owed and will be fired once the state is stable (quirk 2). */
  #negotiationOwed = false;
  #settingRemote = 0;
  /** `setRemoteDescription` is adding a transceiver for the remote's new m-section: not our need. */
  #addingRemoteTransceiver = false;
  #negotiationScheduled = false;
  /** Tracks already reported (quirk 3). */
  readonly #reportedTracks = new WeakSet<object>();
  #closed = false;

  constructor(config: RTCPeerConnectionConfig = {}) {
    super(config);
    // werift's own hook, called by everything that may need a negotiation (a property, so replaceable).
    const internals = this as unknown as NegotiationInternals;
    const needNegotiation = internals.needNegotiation;
    internals.needNegotiation = () => {
      if (this.#addingRemoteTransceiver) return;
      if (this.signalingState === 'have-remote-offer' && this.#answerCoversEverything()) return;
      void needNegotiation();
    };
    this.addEventListener('signalingstatechange', () => {
      if (this.signalingState === 'stable' && this.#negotiationOwed) this.#scheduleNegotiation();
    });
  }

  override setRemoteDescription(
    ...args: Parameters<WeriftRTCPeerConnection['setRemoteDescription']>
  ): Promise<void> {
    this.#settingRemote++;
    return super.setRemoteDescription(...args).finally(() => this.#settingRemote--);
  }

  /** werift adds a transceiver for each new m-section of a remote offer through this public method. */
  override addTransceiver(
    ...args: Parameters<WeriftRTCPeerConnection['addTransceiver']>
  ): ReturnType<WeriftRTCPeerConnection['addTransceiver']> {
    if (this.#settingRemote === 0) return super.addTransceiver(...args);
    this.#addingRemoteTransceiver = true;
    try {
      return super.addTransceiver(...args);
    } finally {
      this.#addingRemoteTransceiver = false;
    }
  }

  /**
   * Between a remote offer and our answer, a track added to a transceiver that offer made (Parley's answerer
   * attaches its media then) travels in the answer: no negotiation is needed unless something has no
   * m-section yet.
   */
  #answerCoversEverything(): boolean {
    const sctp = this.sctpTransport;
    return this.getTransceivers().every((t) => t.mid !== null) && (!sctp || sctp.mid !== undefined);
  }

  override async setLocalDescription(
    ...args: Parameters<WeriftRTCPeerConnection['setLocalDescription']>
  ): Promise<never> {
    this.#settingLocal++;
    try {
      // The overloads cannot be forwarded one by one; the result is the base's, whatever its type.
      return (await super.setLocalDescription(...args)) as never;
    } finally {
      this.#settingLocal--;
      if (this.#settingLocal === 0 && this.#heldCandidates.length > 0) {
        const held = this.#heldCandidates.splice(0);
        setImmediate(() => {
          for (const event of held) if (!this.#closed) super.emit('icecandidate', ...event);
        });
      }
    }
  }

  override emit(type: string | symbol, ...args: unknown[]): boolean {
    if (type === 'icecandidate' && this.#settingLocal > 0) {
      this.#heldCandidates.push(args);
      return true;
    }
    if (type === 'negotiationneeded') {
      this.#negotiationOwed = true;
      this.#scheduleNegotiation();
      return true;
    }
    if (type === 'track') {
      const track = trackOf(args[0]);
      if (track) {
        if (this.#reportedTracks.has(track)) return true;
        this.#reportedTracks.add(track);
      }
    }
    return super.emit(type, ...args);
  }

  override async close(): Promise<void> {
    this.#closed = true;
    this.#heldCandidates = [];
    await super.close();
  }

  #scheduleNegotiation(): void {
    // werift's own "fired, awaiting an answer" flag: cleared, so that its next need is not swallowed.
    this.negotiationneeded = false;
    if (this.#negotiationScheduled) return;
    this.#negotiationScheduled = true;
    setImmediate(() => {
      this.#negotiationScheduled = false;
      if (this.#closed || !this.#negotiationOwed || this.signalingState !== 'stable') return;
      this.#negotiationOwed = false;
      super.emit('negotiationneeded', { type: 'negotiationneeded' });
    });
  }
}

/** The part of werift's internals the adapter hooks into (see the class comment, quirk 2). */
interface NegotiationInternals {
  needNegotiation: () => unknown;
}

function trackOf(event: unknown): object | undefined {
  if (typeof event !== 'object' || event === null || !('track' in event)) return undefined;
  const { track } = event;
  return typeof track === 'object' && track !== null ? track : undefined;
}
