import type { Signal } from '../protocol/index.js';

/**
 * Perfect negotiation, as in the W3C example (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example,
 * and MDN's "Establishing a connection: The WebRTC perfect negotiation pattern"). Either side may renegotiate
 * at any time; when both offer at once, the impolite side ignores the incoming offer and the polite side rolls
 * its own back implicitly inside `setRemoteDescription`. Nothing else in Parley needs to know about glare.
 */
export interface NegotiatorOptions {
  pc: RTCPeerConnection;
  /** Exactly one of the two peers is polite; both must compute it the same way. */
  polite: boolean;
  send: (signal: Signal) => void;
  /** Called once a remote offer is applied, before the answer is made: the place to attach local media. */
  onRemoteOffer?: () => void;
  /** Called each time a local offer or answer has been handed to `send`. */
  onDescriptionSent?: () => void;
  onError: (error: unknown) => void;
}

export class Negotiator {
  /**
   * Whether this side is the polite one. Settable for a connection whose first offer is made before the
   * other peer's id is known (the join's offer); it is set before any signal from that peer is applied.
   */
  polite: boolean;
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  // Incoming signals are applied one at a time, in arrival order, so a candidate never races the
  // description it belongs to.
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(private readonly options: NegotiatorOptions) {
    this.polite = options.polite;
    const { pc } = options;
    pc.addEventListener('negotiationneeded', () => void this.#offer());
    pc.addEventListener('icecandidate', ({ candidate }) => {
      // A null candidate marks the end of gathering; the remote side needs no message for it.
      if (candidate && candidate.candidate !== '' && !this.#closed) {
        const { sdpMid, sdpMLineIndex, usernameFragment } = candidate;
        options.send({
          kind: 'candidate',
          candidate: { candidate: candidate.candidate, sdpMid, sdpMLineIndex, usernameFragment },
        });
      }
    });
  }

  /** Applies a signal from the remote peer. Errors go to `onError`; the returned promise never rejects. */
  handle(signal: Signal): Promise<void> {
    this.#queue = this.#queue.then(() => this.#apply(signal)).catch((error: unknown) => this.#fail(error));
    return this.#queue;
  }

  /**
   * Starts an ICE restart (RFC 8445 § 9): new credentials, fresh gathering, and an offer through the usual
   * `negotiationneeded` path. An offer of ours still waiting for its answer is rolled back first: that
   * answer may never come (it can be lost with the signaling connection), and `negotiationneeded` only
   * fires in the `stable` state. Queued behind incoming signals, so it never races one being applied.
   */
  restartIce(): void {
    const { pc } = this.options;
    this.#queue = this.#queue
      .then(async () => {
        if (this.#closed) return;
        if (pc.signalingState === 'have-local-offer' && !this.#makingOffer) {
          await pc.setLocalDescription({ type: 'rollback' });
        }
        pc.restartIce();
      })
      .catch((error: unknown) => this.#fail(error));
  }

  close(): void {
    this.#closed = true;
  }

  async #offer(): Promise<void> {
    const { pc, send } = this.options;
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await pc.setLocalDescription();
      const description = pc.localDescription;
      if (description && !this.#closed) {
        send({ kind: 'description', description: toWire(description) });
        performance.mark(`parley:${description.type}-sent`); // bench:setup's critical path
        this.options.onDescriptionSent?.();
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #apply(signal: Signal): Promise<void> {
    const { pc, send } = this.options;
    const { polite } = this;
    if (this.#closed) return;
    switch (signal.kind) {
      case 'description': {
        const { description } = signal;
        performance.mark(`parley:${description.type}-received`); // bench:setup's critical path
        const readyForOffer =
          !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
        const offerCollision = description.type === 'offer' && !readyForOffer;
        this.#ignoreOffer = !polite && offerCollision;
        if (this.#ignoreOffer) return;
        this.#isSettingRemoteAnswerPending = description.type === 'answer';
        try {
          await pc.setRemoteDescription(description);
        } finally {
          this.#isSettingRemoteAnswerPending = false;
        }
        if (description.type === 'offer') {
          this.options.onRemoteOffer?.();
          await pc.setLocalDescription();
          const answer = pc.localDescription;
          if (answer && !this.#closed) {
            send({ kind: 'description', description: toWire(answer) });
            performance.mark('parley:answer-sent'); // bench:setup's critical path
            this.options.onDescriptionSent?.();
          }
        }
        return;
      }
      case 'candidate':
        try {
          await pc.addIceCandidate(signal.candidate);
        } catch (error) {
          // Candidates of an offer we chose to ignore are expected to fail.
          if (!this.#ignoreOffer) throw error;
        }
        return;
      default:
        signal satisfies never;
    }
  }

  #fail(error: unknown): void {
    if (!this.#closed) this.options.onError(error);
  }
}

function toWire(description: RTCSessionDescription): { type: 'offer' | 'answer'; sdp: string } {
  if (description.type !== 'offer' && description.type !== 'answer') {
    throw new TypeError(`Cannot send a local description of type ${description.type}`);
  }
  return { type: description.type, sdp: description.sdp };
}
