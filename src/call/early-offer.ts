import type { JoinOffer, PeerInfo, Signal } from '../protocol/index.js';
import type { IceConfiguration, PeerSession } from './peer-session.js';
import { withinMs } from './within.js';

/** How long the join waits for its offer to be made; past this it goes without (a slow device). */
export const EARLY_OFFER_TIMEOUT_MS = 1_000;

/** What the early connection is made with: the pre-join screen's ICE servers, the call's certificate. */
export interface SessionSetup {
  ice: IceConfiguration;
  certificates: RTCCertificate[] | undefined;
}

type MakeSession = (
  remote: PeerInfo,
  send: (signal: Signal) => void | Promise<boolean>,
  setup: SessionSetup,
) => PeerSession | undefined;

/** Where the early session's signals go: held, until there is someone to relay them to. */
interface Route {
  held: Signal[];
  relay: ((signal: Signal) => void | Promise<boolean>) | undefined;
}

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
  readonly #route: Route;

  private constructor(session: PeerSession, route: Route) {
    this.session = session;
    this.#route = route;
  }

  /**
   * Makes the connection with the pre-join screen's ICE servers and waits for its offer; undefined when
   * there are no ICE servers in time, or the offer is not there in time (closing what was made).
   */
  static async make(
    lobbyIce: Promise<IceConfiguration | undefined> | undefined,
    certificates: Promise<RTCCertificate[] | undefined>,
    makeSession: MakeSession,
    timeoutMs = EARLY_OFFER_TIMEOUT_MS,
  ): Promise<EarlyOffer | undefined> {
    // Bounded: a server that is slow to say which ICE servers to use would be as slow to take the join.
    const [ice, ready] = await Promise.all([withinMs(lobbyIce, timeoutMs), certificates]);
    if (!ice) return undefined;
    // Held until bind() names the member, then relayed to it.
    const route: Route = { held: [], relay: undefined };
    const send = (signal: Signal) => (route.relay ? route.relay(signal) : void route.held.push(signal));
    const session = makeSession(NOBODY, send, { ice, certificates: ready });
    if (!session) return undefined;
    const early = new EarlyOffer(session, route);
    await withinMs(session.firstDescriptionSent, timeoutMs);
    if (early.offer) return early;
    early.discard();
    return undefined;
  }

  /** The offer to send with the join. */
  get offer(): JoinOffer | undefined {
    const first = this.#route.held[0];
    if (first?.kind !== 'description' || first.description.type !== 'offer') return undefined;
    // The local description read now carries the candidates gathered since it was set.
    const now = this.session.pc.localDescription;
    return { type: 'offer', sdp: now?.type === 'offer' ? now.sdp : first.description.sdp };
  }

  /**
   * The join's ack named the member who took the offer: from now on the session is the connection to it.
   * The candidates held so far go out first, then everything else as it comes.
   */
  bind(remote: PeerInfo, polite: boolean, relay: (signal: Signal) => void | Promise<boolean>): PeerSession {
    this.session.bind(remote, polite);
    const [, ...candidates] = this.#route.held;
    this.#route.held = [];
    this.#route.relay = relay;
    for (const signal of candidates) void relay(signal);
    return this.session;
  }

  /** Nobody took the offer (we opened the room, or the join failed): the connection is not needed. */
  discard(): void {
    this.#route.held = [];
    this.session.close('local');
  }
}
