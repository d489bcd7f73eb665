import type { PeerId, PeerInfo, PeerLeft, RoomName } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { HeldPlace, RoomRegistry } from '../rooms/index.js';
import { type ParleyServer, type ParleySocket, peerChannel, roomChannel } from './types.js';

export interface PresenceOptions {
  io: ParleyServer;
  registry: RoomRegistry;
  logger: Logger;
  /** How long a dropped peer's place is kept for it to come back. */
  resumeWindowMs: number;
}

/** One peer's place as this process sees it: which room, which socket (none while dropped), which timer. */
interface Session {
  readonly peerId: PeerId;
  readonly room: RoomName;
  readonly name: string;
  socket: ParleySocket | undefined;
  dropTimer: NodeJS.Timeout | undefined;
}

/**
 * Binds peers to sockets in this process and carries out departures. Membership itself lives in the
 * registry; what is here is only what cannot be shared: live sockets and the resume-window timers.
 */
export class Presence {
  readonly #io: ParleyServer;
  readonly #registry: RoomRegistry;
  readonly #logger: Logger;
  readonly #resumeWindowMs: number;
  readonly #sessions = new Map<PeerId, Session>();
  /** The join under way for each peer id, so that joins, resumes and binds of one id take turns. */
  readonly #turns = new Map<PeerId, Promise<unknown>>();
  #closed = false;

  constructor(options: PresenceOptions) {
    this.#io = options.io;
    this.#registry = options.registry;
    this.#logger = options.logger;
    this.#resumeWindowMs = options.resumeWindowMs;
  }

  /** People in a room whose socket is connected to this process (not those in their resume window). */
  get connectedPeers(): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.socket) count += 1;
    return count;
  }

  /**
   * Runs `task` when no other task for `peerId` is under way in this process. Two sockets resuming one
   * peer id at once (into two rooms, one of them hashing a password) would otherwise interleave their
   * registry steps and binds, and leave a member in a room no socket holds.
   */
  async exclusive<T>(peerId: PeerId, task: () => Promise<T>): Promise<T> {
    const before = this.#turns.get(peerId) ?? Promise.resolve();
    const turn = before.catch(() => {}).then(task);
    this.#turns.set(peerId, turn);
    try {
      return await turn;
    } finally {
      if (this.#turns.get(peerId) === turn) this.#turns.delete(peerId);
    }
  }

  /** Every place this process holds, for putting them back into a shared registry that lost them. */
  places(): HeldPlace[] {
    return [...this.#sessions.values()].map(({ room, peerId, name }) => ({ room, peerId, name }));
  }

  /**
   * A reconnecting client asks for `peerId` back. Stops its departure, so that the resume window cannot
   * run out while the join is under way, and says in which room this process holds it, if any.
   */
  hold(peerId: PeerId): RoomName | undefined {
    const session = this.#sessions.get(peerId);
    if (!session) return undefined;
    clearTimeout(session.dropTimer);
    session.dropTimer = undefined;
    return session.room;
  }

  /** Undoes {@link hold} when the join did not go through: a dropped peer's window starts again. */
  release(peerId: PeerId): void {
    const session = this.#sessions.get(peerId);
    if (session && !session.socket && !session.dropTimer) this.#scheduleDeparture(session);
  }

  /**
   * Gives `peerId`'s place in `room` to `socket`. A socket that still held it (a resume that raced the
   * old connection's death, or a second tab with the same token) is detached first and disconnected, so a
   * peer is never reachable through two sockets.
   */
  bind(socket: ParleySocket, peerId: PeerId, room: RoomName, name: string): void {
    const session = this.#sessions.get(peerId);
    const previous = session?.socket;
    if (previous && previous !== socket) {
      detach(previous, peerId, room);
      previous.disconnect(true);
    }
    clearTimeout(session?.dropTimer);
    // Sockets of this peer on other nodes (the local one is gone by now). Never this socket: with a cluster
    // adapter the local part runs only after the message is published, by when this socket has joined.
    this.#io.in(peerChannel(peerId)).except(socket.id).disconnectSockets(true);
    this.#sessions.set(peerId, { peerId, room, name, socket, dropTimer: undefined });
    socket.data.peerId = peerId;
    socket.data.room = room;
    void socket.join([peerChannel(peerId), roomChannel(room)]);
  }

  /**
   * Ends a peer's place in a room: forgets the session, detaches its socket, removes it from the registry
   * and tells whoever is left. Safe to call for a peer that is already gone.
   */
  async depart(peerId: PeerId, room: RoomName, reason: PeerLeft['reason']): Promise<void> {
    await this.#depart(peerId, room, reason, (r, p) => this.#registry.leave(r, p));
  }

  async #depart(
    peerId: PeerId,
    room: RoomName,
    reason: PeerLeft['reason'],
    remove: (room: RoomName, peerId: PeerId) => Promise<boolean>,
  ): Promise<void> {
    const session = this.#sessions.get(peerId);
    if (session?.room === room) {
      this.#sessions.delete(peerId);
      clearTimeout(session.dropTimer);
      if (session.socket) detach(session.socket, peerId, room);
    }
    if (!(await remove(room, peerId))) return;
    this.announceDeparture(room, peerId, reason);
  }

  /**
   * Tells the others in `room`, on every node, that `peer` arrived. Sent before the newcomer's ack: it
   * offers as soon as it has the ack, and the others must know who is offering by then. Each socket's
   * messages arrive in the order they were sent.
   */
  announceArrival(socket: ParleySocket, room: RoomName, peer: PeerInfo): void {
    socket.to(roomChannel(room)).emit('peer-joined', { peer });
  }

  /**
   * Tells a room, on every node, that a peer is gone without this node's doing: the registry removed the
   * member of a node that died. The others see a drop that was not resumed.
   */
  announceExpired(room: RoomName, peerId: PeerId): void {
    this.#io.to(roomChannel(room)).emit('peer-left', { peerId, reason: 'disconnected' });
    this.#logger.info({ room, peerId, reason: 'node-expired' }, 'peer left');
  }

  /** Tells everyone in `room`, on every node, that `peerId` is gone from it. */
  announceDeparture(room: RoomName, peerId: PeerId, reason: PeerLeft['reason']): void {
    this.#io.to(roomChannel(room)).emit('peer-left', { peerId, reason });
    this.#logger.info({ room, peerId, reason }, 'peer left');
  }

  /**
   * A socket holding a place went away without saying goodbye. Keep the place for the resume window so
   * that a reconnect takes it back unnoticed; after that the others are told.
   */
  dropped(socket: ParleySocket): void {
    const { peerId, room } = socket.data;
    if (peerId === undefined || room === undefined || this.#closed) return;
    const session = this.#sessions.get(peerId);
    detach(socket, peerId, room);
    if (session?.socket !== socket) return;
    session.socket = undefined;
    this.#logger.debug({ room, peerId }, 'peer dropped; holding its place');
    this.#scheduleDeparture(session);
  }

  #scheduleDeparture(session: Session): void {
    if (this.#closed) return;
    const leave = () => {
      session.dropTimer = undefined;
      // Only if nothing took the place back in the meantime.
      if (this.#sessions.get(session.peerId) !== session || session.socket) return;
      // Only if this node still holds it: the peer may have resumed through another node meanwhile.
      const remove = (room: RoomName, peerId: PeerId) => this.#registry.leaveIfHeld(room, peerId);
      this.#depart(session.peerId, session.room, 'disconnected', remove).catch((error: unknown) => {
        this.#logger.error({ err: error, room: session.room, peerId: session.peerId }, 'departure failed');
      });
    };
    session.dropTimer = setTimeout(leave, this.#resumeWindowMs);
    // A pending departure must not keep the process alive on its own.
    session.dropTimer.unref();
  }

  /** Stops every timer; departures no longer happen (the server is going down with everyone on it). */
  close(): void {
    this.#closed = true;
    for (const session of this.#sessions.values()) clearTimeout(session.dropTimer);
    this.#sessions.clear();
  }
}

/** Makes a socket forget its place, so nothing it does or suffers afterwards touches that place. */
function detach(socket: ParleySocket, peerId: PeerId, room: RoomName): void {
  socket.data.peerId = undefined;
  socket.data.room = undefined;
  void socket.leave(peerChannel(peerId));
  void socket.leave(roomChannel(room));
}
