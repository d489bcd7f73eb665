import type { PeerId, Signal } from '../protocol/index.js';
import { CallError } from './errors.js';
import type { IceConfiguration } from './peer-session.js';
import type { SignalingTransport } from './transport.js';
import { withinMs } from './within.js';

/** How long a repair waits for fresh ICE servers before going ahead with the ones it has. */
const ICE_FETCH_TIMEOUT_MS = 2_000;

/**
 * A room session's side of signaling: whether the server holds our place now (so that signals reach the
 * others), the ICE servers it gave us last, and the two requests every peer connection makes through it.
 */
export class RoomSignaling {
  /**
   * Whether the server holds our place now. False from a socket drop until the resume is acknowledged:
   * repairs wait meanwhile, as they could not be negotiated.
   */
  active = false;
  /** The ICE servers of the last join, resume or `ice` answer: a peer's own TURN credential. */
  ice: IceConfiguration = { iceServers: [], iceTransportPolicy: 'all' };

  constructor(
    private readonly transport: SignalingTransport,
    private readonly onError: (error: CallError) => void,
  ) {}

  /**
   * Sends `signal` to `to` through the server; resolves to whether the server took it. A refusal that
   * matters is reported, never thrown.
   */
  send(to: PeerId, signal: Signal): Promise<boolean> {
    // Sent while the server does not hold our place: lost (socket.io's buffer is dropped on reconnect).
    if (!this.active) {
      void this.transport.request('signal', { to, signal }).catch(() => undefined);
      return Promise.resolve(false);
    }
    return this.transport.request('signal', { to, signal }).then(
      (ack) => {
        // UNKNOWN_PEER: they are not on the server (now); a repair will try again once they are.
        if (!ack.ok && ack.error.code !== 'UNKNOWN_PEER' && this.active)
          this.onError(CallError.of(ack.error));
        return ack.ok;
      },
      () => false,
    );
  }

  /** Fresh ICE servers (new TURN credentials) for a repair, or undefined if the server cannot say now. */
  async fetchIce(): Promise<IceConfiguration | undefined> {
    if (!this.active) return undefined;
    const ack = await withinMs(this.transport.request('ice', {}), ICE_FETCH_TIMEOUT_MS);
    if (!ack?.ok) return undefined;
    this.ice = { iceServers: ack.iceServers, iceTransportPolicy: ack.iceTransportPolicy };
    return this.ice;
  }
}
