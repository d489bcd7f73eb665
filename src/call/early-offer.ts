import type { JoinOffer, PeerInfo, Signal } from '../protocol/index.js';
import type { PeerSession } from './peer-session.js';

/** How long the join waits for its offer to be made; past this it goes without (a slow device). */
export const EARLY_OFFER_TIMEOUT_MS = 1_000;

/** Who the session talks to before the join is acknowledged: nobody yet. */
const NOBODY: PeerInfo = { id: 'unbound', name: '' };

/**
 * The newcomer's first connection, made and offered before the join goes out, so that its offer travels
 * with the join instead of after the join's answer: one signaling round trip fewer between Join and the
 * first remote frame. The server hands the offer to one member already there (`offeredTo` in the result).
 *
 * Until then the other peer is unknown, so what the session sends is held: the offer is taken out for the
 * join, and the candidates gathered meanwhile go to the member once the ack names it. They cost no round
 * trip of their own: those gathered by the time the join leaves travel inside the offer's SDP, and the
 * rest reach the member no later than its answer reaches us.
 */
export class EarlyOffer {
  readonly session: PeerSession;
  #held: Signal[] = [];
  #relay: ((signal: Signal) => void) | undefined;

  private constructor(makeSession: (remote: PeerInfo, send: (signal: Signal) => void) => PeerSession) {
    this.session = makeSession(NOBODY, (signal) => {
      if (this.#relay) this.#relay(signal);
      else this.#held.push(signal);
    });
  }

  /**
   * Makes the connection and waits for its offer; undefined when the offer is not there in time or could
   * not be made, after closing what was made.
   */
  static async make(
    makeSession: (remote: PeerInfo, send: (signal: Signal) => void) => PeerSession,
    timeoutMs = EARLY_OFFER_TIMEOUT_MS,
  ): Promise<EarlyOffer | undefined> {
    const early = new EarlyOffer(makeSession);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([early.session.firstDescriptionSent, late]);
    clearTimeout(timer);
    if (early.offer) return early;
    early.discard();
    return undefined;
  }

  /** The offer to send with the join. */
  get offer(): JoinOffer | undefined {
    const first = this.#held[0];
    if (first?.kind !== 'description' || first.description.type !== 'offer') return undefined;
    // The local description read now carries the candidates gathered since it was set.
    const now = this.session.pc.localDescription;
    return { type: 'offer', sdp: now?.type === 'offer' ? now.sdp : first.description.sdp };
  }

  /**
   * The join's ack named the member who took the offer: from now on the session is the connection to it.
   * The candidates held so far go out first, then everything else as it comes.
   */
  bind(remote: PeerInfo, polite: boolean, relay: (signal: Signal) => void): PeerSession {
    this.session.bind(remote, polite);
    const [, ...candidates] = this.#held;
    this.#held = [];
    this.#relay = relay;
    for (const signal of candidates) relay(signal);
    return this.session;
  }

  /** Nobody took the offer (we opened the room, or the join failed): the connection is not needed. */
  discard(): void {
    this.#held = [];
    this.session.close('local');
  }
}
