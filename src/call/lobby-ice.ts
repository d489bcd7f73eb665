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
  #pending: Promise<IceConfiguration | undefined> | undefined;

  constructor(transport: SignalingTransport, now: () => number = Date.now) {
    this.#transport = transport;
    this.#now = now;
  }

  /** Asks for ICE servers unless fresh ones are here or on their way. Never throws. */
  warm(): void {
    if (this.#pending || this.#fresh()) return;
    const pending = this.#transport.request('ice', {}).then(
      (ack) => {
        if (!ack.ok) return undefined;
        const ice: IceConfiguration = {
          iceServers: ack.iceServers,
          iceTransportPolicy: ack.iceTransportPolicy,
        };
        this.#fetched = { ice, at: this.#now() };
        return ice;
      },
      () => undefined,
    );
    this.#pending = pending;
    void pending.finally(() => {
      if (this.#pending === pending) this.#pending = undefined;
    });
  }

  /**
   * Fresh ICE servers; or those on their way, if asked for already (waiting for them costs less than the
   * round trip an offer after the join would); or undefined, and new ones are asked for the next join.
   */
  current(): Promise<IceConfiguration | undefined> {
    if (this.#fresh()) return Promise.resolve(this.#fetched?.ice);
    if (this.#pending) return this.#pending;
    this.warm();
    return Promise.resolve(undefined);
  }

  #fresh(): boolean {
    return this.#fetched !== undefined && this.#now() - this.#fetched.at < LOBBY_ICE_FRESH_MS;
  }
}
