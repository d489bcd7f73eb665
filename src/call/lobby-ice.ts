import type { IceConfiguration } from './peer-session.js';
import type { SignalingTransport } from './transport.js';

/**
 * How long ICE servers fetched on the pre-join screen are used for the join's offer. The server's TURN
 * credential before joining lasts 5 minutes, and a relay allocation must be made while it is valid.
 */
export const LOBBY_ICE_FRESH_MS = 4 * 60_000;

/**
 * ICE servers for the pre-join screen, asked for ahead of the Join click so that the first offer can be made
 * before joining and travel with the join (see `RoomSessionOptions.earlyIce`). Never waited for: without
 * fresh ones at hand, the join simply goes without an offer.
 */
export class LobbyIce {
  readonly #transport: SignalingTransport;
  readonly #now: () => number;
  #fetched: { ice: IceConfiguration; at: number } | undefined;
  #pending = false;

  constructor(transport: SignalingTransport, now: () => number = Date.now) {
    this.#transport = transport;
    this.#now = now;
  }

  /** Asks for ICE servers unless fresh ones are here or on their way. Never throws. */
  warm(): void {
    if (this.#pending || this.#fresh()) return;
    this.#pending = true;
    this.#transport.request('ice', {}).then(
      (ack) => {
        this.#pending = false;
        if (ack.ok) {
          const { iceServers, iceTransportPolicy } = ack;
          this.#fetched = { ice: { iceServers, iceTransportPolicy }, at: this.#now() };
        }
      },
      () => (this.#pending = false),
    );
  }

  /** Fresh ICE servers, or undefined (and then new ones are asked for, for the next try). */
  current(): IceConfiguration | undefined {
    if (this.#fresh()) return this.#fetched?.ice;
    this.warm();
    return undefined;
  }

  #fresh(): boolean {
    return this.#fetched !== undefined && this.#now() - this.#fetched.at < LOBBY_ICE_FRESH_MS;
  }
}
