import type { PeerId } from '../../protocol/index.js';
import { type IceSettings, type JoinIce, joinIce } from '../ice/index.js';
import { mintPeerId } from './resume-token.js';
import type { ParleySocket } from './types.js';

/**
 * A credential minted for the lobby's connectivity check (an `ice` request before joining) lives this long
 * at most: the check gathers candidates for 5 s, so minutes are plenty, and a credential taken without a
 * place in a room is not good for a day.
 */
export const LOBBY_TURN_TTL_SECONDS = 300;

/** What one socket was handed last, and for whom: handed again while it is still good. */
interface Grant {
  /** The peer it was minted for; undefined for the lobby. */
  readonly holder: PeerId | undefined;
  readonly id: string;
  readonly ice: JoinIce;
  /** When it should be replaced rather than handed out again: half its lifetime. */
  readonly renewAt: number;
  readonly minted: boolean;
}

/**
 * The ICE servers each socket is handed, with TURN credentials reused while they are good. Without this,
 * every `ice` request minted a new username valid for a day, so one address could collect hundreds a minute
 * and coturn's per-user quotas (`user-quota`, keyed by username) meant nothing. A peer in a room keeps one
 * credential (renewed after half its lifetime, so an ICE restart never gets one about to expire); the lobby's
 * check gets one of {@link LOBBY_TURN_TTL_SECONDS} under an id of its own, per socket.
 */
export class TurnGrants {
  readonly #grants = new WeakMap<ParleySocket, Grant>();
  readonly #settings: IceSettings;

  constructor(settings: IceSettings) {
    this.#settings = settings;
  }

  /** True when a lobby `ice` request from this socket would mint a new credential (and so is limited). */
  wouldMintLobby(socket: ParleySocket, now = Date.now()): boolean {
    return this.#mints(this.#settings) && !this.#reusable(socket, undefined, now);
  }

  /**
   * The ICE servers for this socket: for its peer when it has joined, else for the lobby. `minted` says
   * whether a TURN credential was made for this answer (for the metric).
   */
  for(socket: ParleySocket, now = Date.now()): { ice: JoinIce; minted: boolean } {
    const holder = socket.data.peerId;
    const kept = this.#reusable(socket, holder, now);
    if (kept) return { ice: kept.ice, minted: false };
    const ttl =
      holder === undefined
        ? Math.min(LOBBY_TURN_TTL_SECONDS, this.#settings.turnTtl)
        : this.#settings.turnTtl;
    const id = holder ?? mintPeerId();
    const ice = joinIce({ ...this.#settings, turnTtl: ttl }, id, socket.handshake.headers.host, now);
    const minted = this.#mints(this.#settings);
    this.#grants.set(socket, { holder, id, ice, renewAt: now + (ttl * 1000) / 2, minted });
    return { ice, minted };
  }

  #reusable(socket: ParleySocket, holder: PeerId | undefined, now: number): Grant | undefined {
    const grant = this.#grants.get(socket);
    return grant && grant.holder === holder && now < grant.renewAt ? grant : undefined;
  }

  #mints(settings: IceSettings): boolean {
    return settings.turnUrls.length > 0 && settings.turnSecret !== undefined && settings.turnSecret !== '';
  }
}
